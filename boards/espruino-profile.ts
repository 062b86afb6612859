// What an Espruino board adds to the common profile: the serial device the
// token protocol takes over from the REPL, the I2C bus of its OLED, whether
// its firmware build has Graphics' 6x8 font, and which process.env.BOARD
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
  /** The OLED's I2C bus: Espruino's hardware I2C object and its pins. */
  i2c: { bus: string; scl: string; sda: string; bitrate: number };
  /** Whether the firmware has the "6x8" font (built with USE_FONT_6X8); if not, the bundle carries one. */
  font6x8: boolean;
  /** What the display says to press to confirm. */
  confirmHint: string;
  /** How to start the board with the REPL instead of the token (README and the flasher's refusal message). */
  replMode: string;
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
