// What a board is, as data: the runtime that runs the firmware, its display,
// buttons, native crypto and storage. The build picks the port from
// `runtime`; the host refuses, before writing, what `algorithms` lacks.
import type { Algorithm } from '../protocol/hash.ts';

export type Runtime = 'node' | 'espruino' | 'xs';

export interface DisplayProfile {
  /** Driver: ssd1306 (I2C OLED), st7789 (SPI TFT), hd44780 (character LCD), or a simulated framebuffer. */
  driver: 'ssd1306' | 'st7789' | 'hd44780' | 'framebuffer';
  width: number;
  height: number;
  /** Bus wiring, pin names as the runtime spells them. */
  pins?: { [signal: string]: string | number };
  address?: number;
}

export interface ButtonProfile {
  /** next: move between accounts; confirm: physical presence. One button may do both (short/long press). */
  role: 'next' | 'confirm' | 'next+confirm';
  pin: string | number;
  /** Pressed reads low (pull-up wiring) when true. */
  activeLow: boolean;
}

export interface BoardProfile {
  id: string;
  name: string;
  runtime: Runtime;
  display: DisplayProfile;
  buttons: ButtonProfile[];
  /** SHA functions the board's firmware computes natively (DESIGN.md: native crypto differs by board). */
  nativeHashes: Algorithm[];
  /** Algorithms the token accepts: the native ones plus any pure fallbacks its bundle carries. */
  algorithms: Algorithm[];
  storage: { kind: 'file' | 'espruino-storage' | 'moddable-preference' | 'moddable-flash'; maxAccounts: number };
  /** Crystal or RC oscillator, and a typical rate error in ppm before correction. */
  clock: { source: 'system' | 'rtc-crystal' | 'rtc-rc'; typicalDriftPpm: number };
  /** The port entry the build bundles for this board; absent for boards built another way. */
  firmwareEntry?: string;
  /** Wiring notes for the README and `totp-token boards`. */
  wiring?: string[];
}
