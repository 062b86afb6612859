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

/** Control bytes: 0x00 = the bytes that follow are commands, 0x40 = display data. */
const COMMANDS = 0;
const DATA = 0x40;

/** Power-up sequence (SSD1306 datasheet application note), charge pump on, horizontal addressing. */
function initSequence(height: number): number[] {
  return [
    COMMANDS, 0xae, 0xd5, 0x80, 0xa8, height - 1, 0xd3, 0, 0x40, 0x8d, 0x14, 0x20, 0, 0xa1, 0xc8,
    0xda, height === 64 ? 0x12 : 0x02, 0x81, 0xcf, 0xd9, 0xf1, 0xdb, 0x40, 0xa4, 0xa6, 0xaf,
  ];
}

/** The board's OLED, or a null display (drawing does nothing) when this firmware has no Graphics or the panel does not answer. */
export function ssd1306Canvas(board: EspruinoBoardProfile): Canvas {
  const w = board.display.width;
  const h = board.display.height;
  const font = board.espruino.font;
  const small = font === '4x6';
  const wiring = board.espruino.i2c;
  const bus = global[wiring.bus] as EspruinoI2C;
  const address = board.display.address || 0x3c;
  // Null while there is no display to draw on.
  let g: EspruinoGraphics | null = null;
  try {
    // No such bus, no panel answering, or no Graphics in this firmware (a ReferenceError): each throws here.
    bus.setup({ scl: wiring.scl, sda: wiring.sda, bitrate: wiring.bitrate });
    bus.writeTo(address, initSequence(h));
    g = Graphics.createArrayBuffer(w, h, 1, { vertical_byte: true, msb: false });
  } catch (e) {
    // the token runs without a display
  }
  const pixels = g && new Uint8Array(g.buffer);
  const window = [COMMANDS, 0x21, 0, w - 1, 0x22, 0, (h >> 3) - 1];
  return {
    width: w,
    height: h,
    cellW: small ? 4 : 6,
    cellH: small ? 6 : 8,
    clear: () => {
      if (g) g.clear();
    },
    text: (x: number, y: number, text: string, scale: number) => {
      if (g) g.setFont(font, scale).drawString(text, x, y);
    },
    fillRect: (x: number, y: number, fw: number, fh: number) => {
      if (g && fw > 0 && fh > 0) g.fillRect(x, y, x + fw - 1, y + fh - 1);
    },
    flip: () => {
      if (!g) return;
      try {
        bus.writeTo(address, window);
        bus.writeTo(address, DATA, pixels as Uint8Array);
      } catch (e) {
        // No panel on the bus (I2C timeout): keep the token working without one.
        g = null;
      }
    },
  };
}
