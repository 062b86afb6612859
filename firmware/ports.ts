// What a runtime port gives the token app. The app is the same on every
// board; each port (Espruino, Moddable XS, Node simulator) supplies these.
import type { HashSet } from '../protocol/hash.ts';
import type { Algorithm } from '../protocol/hash.ts';

/** The USB serial link, as strings of byte values (0..255 per char). */
export interface SerialPort {
  write(text: string): void;
  onData(handler: (chunk: string) => void): void;
}

/** A 1-bit canvas with a monospaced font of cellW x cellH cells (6x8: the shared 5x7 font, Espruino's "6x8"; 4x6: Espruino's "4x6"). */
export interface Canvas {
  width: number;
  height: number;
  cellW: number;
  cellH: number;
  clear(): void;
  /** Draw text with its top-left at (x, y); each glyph is cellW*scale wide and cellH*scale tall. */
  text(x: number, y: number, text: string, scale: number): void;
  fillRect(x: number, y: number, w: number, h: number): void;
  /** Send the drawing to the display. */
  flip(): void;
}

/** Key/value storage of strings. A write either happens whole or leaves a value the app can detect as bad. */
export interface Storage {
  read(key: string): string | undefined;
  write(key: string, value: string): void;
  erase(key: string): void;
  /** Drop older copies the medium itself keeps (the Moddable Pico's flash store keeps its previous image): called after removed seeds or keys were overwritten. */
  scrub?(): void;
}

export interface Clock {
  /** Milliseconds since the Unix epoch as the device believes it. */
  nowMs(): number;
  setMs(ms: number): void;
  /** False after power loss or before the first sync: no codes are shown then. */
  isSet(): boolean;
}

export interface Timers {
  setInterval(fn: () => void, ms: number): unknown;
  setTimeout(fn: () => void, ms: number): unknown;
  /** The app never cancels a timer; a port may offer this for its own parts. */
  clearTimeout?(handle: unknown): void;
}

export type ButtonRole = 'next' | 'confirm';

export interface Ports {
  serial: SerialPort;
  canvas: Canvas;
  storage: Storage;
  clock: Clock;
  timers: Timers;
  hashes: HashSet;
  /** Register the app's button handler; the port debounces and maps pins to roles. */
  onButton(handler: (role: ButtonRole) => void): void;
  /** Random bytes for salts and challenges: the board's hardware RNG where it has one (E.hwRand, esp_random, node:crypto). */
  random: (n: number) => Uint8Array;
  board: { id: string; algorithms: Algorithm[]; maxAccounts: number; typicalDriftPpm?: number };
}
