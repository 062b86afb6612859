// What an Espruino board adds to the common profile: the serial device the
// token protocol takes over from the REPL, the I2C bus of its OLED, whether
// font its firmware build has for the display, and which process.env.BOARD
// values the flasher accepts. Data only; firmware/ports/espruino reads it and
// host/lib/flash checks the device against it before writing.
import type { BoardProfile } from './profile.ts';

export interface EspruinoTarget {
  /** process.env.BOARD values of the firmware builds this profile is for (the flasher refuses others). */
  firmwareBoards: string[];
  /**
   * The serial device that carries the token protocol while the token runs:
   * 'USB' (the chip's own USB, as on the Pico) or 'Serial1' (a UART behind a
   * USB-serial bridge, as on ESP32 dev boards). The REPL is taken off it.
   */
  link: string;
  /** Baud rate to set up a UART link with; absent for USB CDC. */
  baud?: number;
  /** The OLED's I2C bus: the name of Espruino's hardware I2C object ('I2C1'). */
  bus: string;
  /** That bus's pins and speed, exactly the options its setup() takes (it throws on any other key). */
  i2c: { scl: string; sda: string; bitrate: number };
  /**
   * Graphics' built-in font for the display: '6x8' where the firmware is built
   * with it (USE_FONT_6X8, as on ESP32), else '4x6', which every build has (the
   * Pixl.js uses it on the same 128x64 class of panel). No font in the bundle.
   */
  font: '6x8' | '4x6';
  /** What the display says to press to confirm. */
  confirmHint: string;
  /** How to start the board with the REPL instead of the token (README and the flasher's refusal message). */
  replMode: string;
  /**
   * Where salts and challenges come from, never Math.random: 'hwRand' where
   * the firmware's E.hwRand reads real noise (STM32F1/F4: the voltage
   * reference, targets/stm32/jshardware.c); the address of the chip's RNG
   * register for peek32 where E.hwRand is only Espruino's rand(), restarted
   * with fixed seeds at every boot (ESP32, ESP8266, Linux: src/jsutils.c).
   * The Linux build's test variant, which has neither, passes a function
   * instead (fileRandom in firmware/ports/espruino/file-random.ts: a board's
   * bundle then carries no file reader). None: the token refuses to start.
   */
  rng?: 'hwRand' | number | ((n: number) => Uint8Array);
}

export interface EspruinoBoardProfile extends BoardProfile {
  runtime: 'espruino';
  espruino: EspruinoTarget;
}

/** The board's Espruino data, or null for boards of other runtimes. */
export function espruinoTarget(board: BoardProfile): EspruinoTarget | null {
  const e = (board as Partial<EspruinoBoardProfile>).espruino;
  return board.runtime === 'espruino' && e ? e : null;
}
