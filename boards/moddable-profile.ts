// What a Moddable XS board adds to the common profile: the mcconfig target,
// the UART behind its USB serial, its display output, and the limits of the
// Preference store on its flash. Data only; firmware/ports/moddable reads it
// and host/lib/moddable writes the project from it.
import type { BoardProfile } from './profile.ts';

export interface ModdableTarget {
  /** `mcconfig -p` value: a platform, or platform/subplatform (esp32/m5stick_cplus). */
  platform: string;
  /** ECMA-419 Serial options of the token's link (embedded:io/serial), and where it comes out. */
  serial: { port: number; receive: number; transmit: number; baud: number; via: string; device?: string };
  /** I2C bus of an SSD1306 panel (embedded:io/i2c). */
  i2c?: { data: number; clock: number; hz: number };
  /**
   * 'ssd1306-i2c': the port writes the panel itself over I2C;
   * 'screen': the target's own display driver (the `screen` global that
   * Moddable's commodetto setup creates) receives pixels.
   */
  displayOutput: 'ssd1306-i2c' | 'screen';
  /** Size of the 1-bit canvas the app draws on, and its integer scale on the panel. */
  canvas: { width: number; height: number; scale: number };
  /** Pull-ups on the button pins: on the chip (Digital.InputPullUp) or fitted on the board (Digital.Input). */
  buttonPull: 'internal' | 'external';
  /**
   * Preference store and limits (documentation/files/files.md): on ESP32 it is the
   * IDF's NVS (15-character keys, values to 4000 bytes, a 24 KB partition in
   * Moddable's partitions.csv); on the Pico, Moddable's own store of 31-character
   * keys and 63-byte values in one 4 KB flash sector.
   */
  preference: { store: 'nvs' | 'sector'; maxKeyChars: number; maxValueBytes: number; capacityBytes: number };
  /** The token draws salts and challenges from the chip's hardware source through its own native module (never Math.random, which is newlib rand(), unseeded, on the Pico). */
  hardwareRandom: boolean;
  /** Manifests the project includes besides the common ones (the display driver's setup). */
  include?: string[];
  /** What the display says to press to confirm. */
  confirmHint: string;
}

export interface ModdableBoardProfile extends BoardProfile {
  runtime: 'xs';
  moddable: ModdableTarget;
}

/** The board's Moddable data, or null for boards of other runtimes. */
export function moddableTarget(board: BoardProfile): ModdableTarget | null {
  const m = (board as Partial<ModdableBoardProfile>).moddable;
  return board.runtime === 'xs' && m ? m : null;
}
