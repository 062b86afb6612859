// A small SSD1306 writer over ECMA-419 I2C (embedded:io/i2c). The framebuffer
// is already in the panel's page layout, so a flip is one I2C write per page;
// only pages that changed since the last flip are sent (about 3 ms each at 400 kHz).
import I2C from 'embedded:io/i2c';
import { createFramebuffer } from '../../ui/framebuffer.ts';
import type { Framebuffer } from '../../ui/framebuffer.ts';
import type { ModdableBoardProfile } from '../../../boards/moddable-profile.ts';

export interface Ssd1306Wiring {
  data: number;
  clock: number;
  hz: number;
  address: number;
  width: number;
  height: number;
}

/** Control bytes: 0x00 = the bytes that follow are commands, 0x40 = display data. */
const COMMANDS = 0x00;
const DATA = 0x40;

/** The power-up sequence from the SSD1306 datasheet's application note, with the charge pump on. */
function initSequence(height: number): number[] {
  return [
    COMMANDS,
    0xae, // display off
    0xd5, 0x80, // clock divide
    0xa8, height - 1, // multiplex ratio
    0xd3, 0x00, // display offset
    0x40, // start line 0
    0x8d, 0x14, // charge pump on
    0x20, 0x00, // horizontal addressing
    0xa1, // column 127 is SEG0 (the usual module orientation)
    0xc8, // COM scan from the bottom
    0xda, height === 64 ? 0x12 : 0x02, // COM pins
    0x81, 0xcf, // contrast
    0xd9, 0xf1, // pre-charge
    0xdb, 0x40, // VCOMH
    0xa4, // show RAM
    0xa6, // not inverted
    0xaf, // display on
  ];
}

export function ssd1306Canvas(w: Ssd1306Wiring): Framebuffer {
  const bus = new I2C({ data: w.data, clock: w.clock, hz: w.hz, address: w.address });
  bus.write(new Uint8Array(initSequence(w.height)));
  const pages = w.height >> 3;
  const shown = new Uint8Array(w.width * pages);
  let first = true;
  const addressing = new Uint8Array([COMMANDS, 0x21, 0, w.width - 1, 0x22, 0, 0]);
  const line = new Uint8Array(w.width + 1);
  line[0] = DATA;

  function flip(fb: Framebuffer): void {
    for (let p = 0; p < pages; p++) {
      const page = fb.buffer.subarray(p * w.width, (p + 1) * w.width);
      let same = !first;
      for (let i = 0; same && i < w.width; i++) same = page[i] === shown[p * w.width + i];
      if (same) continue;
      addressing[5] = p;
      addressing[6] = p;
      bus.write(addressing);
      line.set(page, 1);
      bus.write(line);
      shown.set(page, p * w.width);
    }
    first = false;
  }

  return createFramebuffer(w.width, w.height, flip);
}

/** The panel a board profile describes: its I2C bus, address and size. */
export function boardSsd1306(board: ModdableBoardProfile): Framebuffer {
  const bus = board.moddable.i2c;
  if (!bus) throw new Error(board.id + ': an SSD1306 board needs moddable.i2c in its profile');
  return ssd1306Canvas({ data: bus.data, clock: bus.clock, hz: bus.hz, address: board.display.address || 0x3c, width: board.display.width, height: board.display.height });
}
