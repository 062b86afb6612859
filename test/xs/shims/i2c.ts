// Shim of ECMA-419 `embedded:io/i2c` (the synchronous controller) with an
// SSD1306 at each address in config.ssd1306. The panel model keeps its 1 KB
// display RAM and follows the commands the datasheet defines: a control byte
// 0x00 starts commands, 0x40 display data; data lands at the column/page
// pointer inside the window set by 0x21/0x22 and wraps in horizontal mode.
// A write to an address nobody answers throws "write failed", as a NACK does
// in modules/io/i2c/pico/_i2c.c and esp32/_i2c.c (xs_i2c_write).
import { config, IN, onHost, usePin } from './host.ts';

interface I2COptions {
  data: number;
  clock: number;
  hz: number;
  address: number;
}

/** Number of argument bytes of each SSD1306 command that takes any. */
const ARGS: Record<number, number> = { 0x20: 1, 0x21: 2, 0x22: 2, 0x81: 1, 0x8d: 1, 0xa8: 1, 0xd3: 1, 0xd5: 1, 0xd9: 1, 0xda: 1, 0xdb: 1 };

export class Ssd1306Model {
  ram = new Uint8Array(128 * 8);
  on = false;
  chargePump = false;
  mode = 2; // page addressing after reset
  multiplex = 64;
  col = 0;
  page = 0;
  window = { c0: 0, c1: 127, p0: 0, p1: 7 };
  writes = 0;

  receive(bytes: Uint8Array): void {
    this.writes++;
    if (bytes[0] === 0x40) return this.#data(bytes.subarray(1));
    if (bytes[0] !== 0x00) throw new Error('ssd1306: control byte 0x' + bytes[0]!.toString(16) + ' is neither commands (0x00) nor data (0x40)');
    for (let i = 1; i < bytes.length; ) {
      const op = bytes[i]!;
      const n = ARGS[op] ?? 0;
      const args = bytes.subarray(i + 1, i + 1 + n);
      if (args.length < n) throw new Error('ssd1306: command 0x' + op.toString(16) + ' cut short');
      this.#command(op, args);
      i += 1 + n;
    }
  }
  #command(op: number, a: Uint8Array): void {
    if (op === 0xae) this.on = false;
    else if (op === 0xaf) this.on = true;
    else if (op === 0x8d) this.chargePump = (a[0]! & 0x04) !== 0;
    else if (op === 0x20) this.mode = a[0]! & 3;
    else if (op === 0xa8) this.multiplex = (a[0]! & 0x3f) + 1;
    else if (op === 0x21) {
      this.window.c0 = a[0]! & 127;
      this.window.c1 = a[1]! & 127;
      this.col = this.window.c0;
    } else if (op === 0x22) {
      this.window.p0 = a[0]! & 7;
      this.window.p1 = a[1]! & 7;
      this.page = this.window.p0;
    }
  }
  #data(bytes: Uint8Array): void {
    if (this.mode !== 0) throw new Error('ssd1306 model: data in addressing mode ' + this.mode + '; the port sets horizontal (0x20 0x00)');
    for (const b of bytes) {
      this.ram[this.col + this.page * 128] = b;
      if (this.col < this.window.c1) this.col++;
      else {
        this.col = this.window.c0;
        this.page = this.page < this.window.p1 ? this.page + 1 : this.window.p0;
      }
    }
  }
  /** What the glass shows: nothing unless the panel is on with its charge pump. */
  visible(): { width: number; height: number; bits: Uint8Array } {
    const height = this.multiplex;
    const bits = new Uint8Array(128 * (height >> 3));
    if (this.on && this.chargePump) bits.set(this.ram.subarray(0, bits.length));
    return { width: 128, height, bits };
  }
}

export const panels = new Map<number, Ssd1306Model>();
for (const address of config.ssd1306) panels.set(address, new Ssd1306Model());

export default class I2C {
  #address: number;
  constructor(options: I2COptions) {
    if (!(options.hz > 0 && options.hz <= 1000000)) throw new RangeError('invalid hz');
    if (!(options.address >= 0 && options.address < 128)) throw new RangeError('invalid address');
    usePin(options.data, 'i2c data');
    usePin(options.clock, 'i2c clock');
    this.#address = options.address;
  }
  write(data: ArrayBuffer | ArrayBufferView): void {
    const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const panel = panels.get(this.#address);
    if (!panel) throw new Error('write failed'); // nobody answers at this address
    panel.receive(bytes.slice());
  }
  read(count: number): ArrayBuffer {
    void count;
    throw new Error('i2c shim: nothing to read from an SSD1306');
  }
  close(): void {}
}

if (panels.size > 0) {
  onHost(IN.DISPLAY, () => {
    const v = panels.values().next().value!.visible();
    const out = new Uint8Array(4 + v.bits.length);
    new DataView(out.buffer).setUint16(0, v.width);
    new DataView(out.buffer).setUint16(2, v.height);
    out.set(v.bits, 4);
    return out.buffer;
  });
}
