// A compact SSD1306 driver: the app draws with Espruino's native Graphics on
// an ArrayBuffer laid out as the panel's pages (vertical_byte, and msb: false
// so bit 0 is a page's top row, as the panel reads it; Graphics defaults to
// MSB-first), and a flip sends the whole buffer in one I2C write (about
// 25 ms at 400 kHz). Without Graphics or a working bus the token still runs,
// on a null display.
import type { Canvas } from '../../ports.ts';
import type { EspruinoBoardProfile } from '../../../boards/espruino-profile.ts';
import type { EspruinoGraphics, EspruinoGraphicsClass, EspruinoI2C } from './espruino-api.ts';

declare const Graphics: EspruinoGraphicsClass;
declare const global: { [name: string]: unknown };
declare function atob(base64: string): string;

/**
 * The power-up sequence for a 128x64 panel (Univision's UG-2864HSWEG01
 * module guide, section 4.4; the SSD1306 datasheet Rev 1.1's Figure 2 has
 * the same commands), charge pump on: after the control byte 00 (the bytes that follow are
 * commands), AE display off, D5 80 clock, A8 3F 64 rows, 40 start line 0,
 * 8D 14 charge pump on, A1 C8 columns and rows scanned in reverse (the
 * modules' usual orientation), DA 12 COM pins of a 64-row panel, 81 CF
 * contrast, D9 F1 precharge, DB 40 VCOMH, A4 show RAM, A6 not inverted,
 * AF display on; then D3 00 no offset and 20 00 horizontal addressing, the
 * two whose argument is 0, sent as numbers (nothing is drawn before the first
 * frame, so their place after AF changes nothing). Base64 because
 * I2C.writeTo takes a string as bytes (its data "may be ints, strings,
 * arrays", src/jswrap_spi_i2c.c) and the flasher stores atob("...") of a
 * constant as the decoded bytes, as Espruino's own tokeniser does (jslex.c):
 * 21 bytes and a 2-byte header, where 21 numbers would take over 60. Only if
 * no byte is 0: a raw string holding a NUL is stored as escaped text
 * (host/lib/flash/espruino-tokens.ts). test/firmware/ssd1306.test.ts spells
 * the bytes out.
 */
const INIT_128X64 = 'rtWAqD9AjRShyNoSgc/Z8dtApKav';
/** The control byte of a frame's bytes: display data. */
const DATA = 0x40;

/**
 * The board's OLED (128x64: every Espruino board profile has that panel,
 * test/firmware/ssd1306.test.ts checks), or a null display (drawing does
 * nothing) when this firmware has no Graphics or the panel does not answer.
 */
export function ssd1306Canvas(board: EspruinoBoardProfile): Canvas {
  const w = board.display.width;
  const h = board.display.height;
  const font = board.espruino.font;
  const small = font === '4x6';
  const bus = global[board.espruino.bus] as EspruinoI2C;
  const address = board.display.address || 0x3c;
  // Null while there is no display to draw on.
  let g: EspruinoGraphics | null = null;
  try {
    // No such bus, no panel answering, or no Graphics in this firmware (a ReferenceError): each throws here.
    bus.setup(board.espruino.i2c); // exactly I2C.setup's options: it throws on any other key
    bus.writeTo(address, 0, atob(INIT_128X64), 0xd3, 0, 0x20, 0);
    g = Graphics.createArrayBuffer(w, h, 1, { vertical_byte: true, msb: false });
  } catch (e) {
    // the token runs without a display
  }
  const pixels = g && new Uint8Array(g.buffer);
  return {
    width: w,
    height: h,
    cellW: small ? 4 : 6,
    cellH: small ? 6 : 8,
    clear: () => {
      if (g) g['clear'](); // quoted: SHARED_WITH_BUILTINS (esbuild-firmware.ts)
    },
    text: (x: number, y: number, text: string, scale: number) => {
      if (g) g.setFont(font, scale).drawString(text, x, y);
    },
    fillRect: (x: number, y: number, fw: number, fh: number) => {
      if (g && fw > 0 && fh > 0) g['fillRect'](x, y, x + fw - 1, y + fh - 1); // quoted: SHARED_WITH_BUILTINS
    },
    flip: () => {
      if (!g) return;
      try {
        bus.writeTo(address, 0, 0x21, 0, 127, 0x22, 0, 7); // commands: all 128 columns, all 8 pages, so the data starts at the top left
        bus.writeTo(address, DATA, pixels as Uint8Array);
      } catch (e) {
        // No panel on the bus (I2C timeout): keep the token working without one.
        g = null;
      }
    },
  };
}
