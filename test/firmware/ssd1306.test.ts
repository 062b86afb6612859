// The Espruino SSD1306 driver (firmware/ports/espruino/ssd1306.ts) keeps its
// power-up commands as a base64 string: here they are spelled out (the
// driver's own order) and checked against two published sequences, on
// Espruino-like globals:
// - Univision's UG-2864HSWEG01 module user guide (the 128x64 panel these boards
//   carry), section 4.4 "Software initialization": AE, D5 80, A8 3F, D3 00, 40,
//   8D 14, A1, C8, DA 12, 81 CF, D9 F1, DB 40, A4, A6, AF. The driver sends
//   exactly these, in this order, except that D3 00 comes after AF.
// - Solomon Systech's SSD1306 datasheet (Rev 1.1), Figure 2 "Software
//   Initialization Flow Chart": A8 3F, D3 00, 40, A0/A1, C0/C8, DA 02, 81 7F, A4,
//   A6, D5 80, 8D 14, AF ("an example ... the values of registers depend on
//   different condition and application"), and its charge pump note: 8D 14 must
//   be followed by AF. The driver sends every one of those commands; all but D3
//   come before AF, and 8D 14 before AF.
// Not the datasheet's order: after AF the driver sends D3 00 and 20 00. D3 00 is
// the display offset's reset value (datasheet command table: 00h after RESET),
// and 20 (memory addressing mode) only steers writes to display RAM, which
// start with the first frame (after 21/22 set the window) - so the panel shows
// the same either way. What is checked is exactly that.
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

/** Argument bytes per command (SSD1306 datasheet, command table); the rest take none. */
const ARGS: { [op: number]: number } = { 0x20: 1, 0x21: 2, 0x22: 2, 0x81: 1, 0x8d: 1, 0xa8: 1, 0xd3: 1, 0xd5: 1, 0xd9: 1, 0xda: 1, 0xdb: 1 };

/** A command write (control byte 00, then commands) as [opcode, ...arguments] each. */
function commands(bytes: number[]): number[][] {
  expect(bytes[0]).toBe(0x00);
  const out: number[][] = [];
  for (let i = 1; i < bytes.length; ) {
    const n = ARGS[bytes[i]] ?? 0;
    out.push(bytes.slice(i, i + 1 + n));
    i += 1 + n;
  }
  return out;
}

/** UG-2864HSWEG01 (Univision), section 4.4: the module maker's power-up sequence for this panel, charge pump on. */
// prettier-ignore
const UG_2864HSWEG01 = [[0xae], [0xd5, 0x80], [0xa8, 0x3f], [0xd3, 0x00], [0x40], [0x8d, 0x14], [0xa1], [0xc8], [0xda, 0x12], [0x81, 0xcf], [0xd9, 0xf1], [0xdb, 0x40], [0xa4], [0xa6], [0xaf]];

/** SSD1306 datasheet Rev 1.1, Figure 2 "Software Initialization Flow Chart": its commands in its order (either of a pair). */
// prettier-ignore
const DATASHEET_FLOW_CHART = [[0xa8], [0xd3], [0x40], [0xa0, 0xa1], [0xc0, 0xc8], [0xda], [0x81], [0xa4], [0xa6], [0xd5], [0x8d], [0xaf]];

/** SSD1306 datasheet command table: values after RESET that the driver relies on. */
const DATASHEET_RESET = { d3: 0x00 };

afterEach(() => {
  for (const b of espruinoBoards) delete (globalThis as Record<string, unknown>)[b.espruino.bus];
  delete (globalThis as Record<string, unknown>).Graphics;
});

describe('Espruino SSD1306 driver', () => {
  it('every Espruino board has the 128x64 panel the command bytes are for', () => {
    expect(espruinoBoards.length).toBeGreaterThan(0);
    for (const b of espruinoBoards) expect([b.display.driver, b.display.width, b.display.height], b.id).toEqual(['ssd1306', 128, 64]);
  });

  it('sets the bus up with its pins and speed only, and sends the power-up commands in the driver\'s order', () => {
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
        0xd3, 0, // display offset 0 (its reset value), after AF
        0x20, 0, // horizontal addressing, after AF (it steers RAM writes only)
      ]]);
    }
  });

  it('sends UG-2864HSWEG01\'s sequence in its order, but for D3 00 after AF and 20 00 added', () => {
    const bus = installBus(espruinoBoards[0].espruino.bus);
    ssd1306Canvas(espruinoBoards[0]);
    const sent = commands(bus.writes[0]);
    const moved = (c: number[]) => c[0] === 0xd3 || c[0] === 0x20;
    expect(sent.filter((c) => !moved(c))).toEqual(UG_2864HSWEG01.filter((c) => !moved(c)));
    expect(sent.slice(sent.findIndex((c) => c[0] === 0xaf) + 1)).toEqual([[0xd3, 0], [0x20, 0]]);
  });

  it('sends every command of the SSD1306 datasheet\'s flow chart, each but D3 before AF, and 8D 14 before AF as its charge pump note asks', () => {
    const bus = installBus(espruinoBoards[0].espruino.bus);
    ssd1306Canvas(espruinoBoards[0]);
    const sent = commands(bus.writes[0]);
    const at = (op: number) => sent.findIndex((c) => c[0] === op);
    const on = at(0xaf);
    for (const step of DATASHEET_FLOW_CHART) {
      const i = sent.findIndex((c) => step.includes(c[0]));
      expect(i, step.map((o) => o.toString(16)).join('/')).toBeGreaterThanOrEqual(0);
      if (step[0] === 0xd3) expect(sent[i]).toEqual([0xd3, DATASHEET_RESET.d3]);
      else expect(i, step.map((o) => o.toString(16)).join('/')).toBeLessThanOrEqual(on);
    }
    expect(sent[at(0x8d)]).toEqual([0x8d, 0x14]);
    expect(at(0x8d)).toBeLessThan(on);
    expect(on).toBeGreaterThan(0);
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
