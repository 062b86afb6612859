// The Espruino SSD1306 driver (firmware/ports/espruino/ssd1306.ts) keeps its
// power-up commands as a base64 string: here they are spelled out against the
// SSD1306 datasheet's power-up sequence, on Espruino-like globals.
import { afterEach, describe, expect, it } from 'vitest';
import { BOARDS } from '../../boards/index.ts';
import type { EspruinoBoardProfile } from '../../boards/espruino-profile.ts';
import { ssd1306Canvas } from '../../firmware/ports/espruino/ssd1306.ts';

const espruinoBoards = BOARDS.filter((b) => b.runtime === 'espruino') as EspruinoBoardProfile[];

/** The bytes of an I2C.writeTo data item: ints, strings (a character a byte) and arrays, as src/jswrap_spi_i2c.c takes them. */
function bytesOf(item: unknown): number[] {
  if (typeof item === 'number') return [item & 255];
  if (typeof item === 'string') return [...item].map((c) => c.charCodeAt(0) & 255);
  return Array.from(item as ArrayLike<number>, (b) => b & 255);
}

/** Espruino's I2C object on the globals: setup reads its options like jsvReadConfigObject (src/jsvar.c), which throws "Unknown option" on any other key. */
function installBus(name: string): { writes: number[][]; options: object[] } {
  const seen = { writes: [] as number[][], options: [] as object[] };
  (globalThis as Record<string, unknown>)[name] = {
    setup(options: object) {
      for (const key of Object.keys(options)) if (!['scl', 'sda', 'bitrate'].includes(key)) throw new Error('Unknown option "' + key + '"');
      seen.options.push(options);
    },
    writeTo(_address: number, ...data: unknown[]) {
      seen.writes.push(data.flatMap(bytesOf));
    },
  };
  (globalThis as Record<string, unknown>).Graphics = {
    createArrayBuffer: (w: number, h: number) => ({ buffer: new ArrayBuffer((w * h) >> 3), clear() {}, setFont() { return this; }, drawString() {}, fillRect() {} }),
  };
  return seen;
}

afterEach(() => {
  for (const b of espruinoBoards) delete (globalThis as Record<string, unknown>)[b.espruino.bus];
  delete (globalThis as Record<string, unknown>).Graphics;
});

describe('Espruino SSD1306 driver', () => {
  it('every Espruino board has the 128x64 panel the command bytes are for', () => {
    expect(espruinoBoards.length).toBeGreaterThan(0);
    for (const b of espruinoBoards) expect([b.display.driver, b.display.width, b.display.height], b.id).toEqual(['ssd1306', 128, 64]);
  });

  it('sets the bus up with its pins and speed only, and sends the datasheet power-up sequence', () => {
    for (const b of espruinoBoards) {
      const bus = installBus(b.espruino.bus);
      ssd1306Canvas(b);
      expect(bus.options).toEqual([{ scl: b.espruino.i2c.scl, sda: b.espruino.i2c.sda, bitrate: 400000 }]);
      // prettier-ignore
      expect(bus.writes).toEqual([[
        0x00, // the bytes that follow are commands
        0xae, // display off
        0xd5, 0x80, // clock divide ratio / oscillator frequency: the reset value
        0xa8, 63, // multiplex ratio: 64 rows
        0x40, // start line 0
        0x8d, 0x14, // charge pump on (the modules have no external VCC)
        0xa1, 0xc8, // segment remap, COM scan reversed
        0xda, 0x12, // COM pins: alternative configuration, as 64-row panels are wired
        0x81, 0xcf, // contrast
        0xd9, 0xf1, // precharge
        0xdb, 0x40, // VCOMH deselect level
        0xa4, // show the RAM
        0xa6, // not inverted
        0xaf, // display on
        0xd3, 0, // display offset 0
        0x20, 0, // horizontal addressing
      ]]);
    }
  });

  it('each frame sets the whole screen as the window, then sends 1024 bytes of display data', () => {
    const b = espruinoBoards[0];
    const bus = installBus(b.espruino.bus);
    const c = ssd1306Canvas(b);
    bus.writes.length = 0;
    c.flip();
    expect(bus.writes.length).toBe(2);
    expect(bus.writes[0]).toEqual([0x00, 0x21, 0, 127, 0x22, 0, 7]);
    expect(bus.writes[1][0]).toBe(0x40);
    expect(bus.writes[1].length).toBe(1 + 1024);
  });
});
