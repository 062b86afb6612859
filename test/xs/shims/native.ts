// Shim of the project's own native module, firmware/ports/moddable/native/totp-native.{js,c}.
//  - Native.random(n): an ArrayBuffer of n bytes, RangeError "invalid length"
//    outside 1..256 (totp-native.c). The bytes model a hardware source
//    (esp_fill_random, pico_rand's get_rand_32, getrandom): independent of
//    everything before, across restarts too, so they come from the host's
//    node:crypto (OUT.RANDOM), never from a seed the shim keeps.
//  - Flash('storage'): modules/files/flash/flash.js's API over the Pico's storage
//    partition, with nrf52/flash.c's bounds errors ("unknown partition",
//    "invalid sector", "invalid offset", "invalid length", "invalid") and NOR
//    flash physics from ./flash.ts (erase sets a 4 KB sector to 0xFF; a write
//    only clears bits, page by page as xs/platforms/pico/xsHost.c modSPIWrite does).
import { config, OUT, toHost } from './host.ts';
import { flashErase, flashRead, flashWrite, SECTOR, storagePartition } from './flash.ts';

export const Native = Object.freeze({
  random(n: number): ArrayBuffer {
    n = Math.trunc(Number(n));
    if (!(n > 0 && n <= 256)) throw new RangeError('invalid length');
    const bytes = toHost(OUT.RANDOM, Uint8Array.of(n - 1));
    if (bytes.length !== n) throw new Error('shim: the host sent ' + bytes.length + ' random bytes for ' + n);
    return bytes.slice().buffer;
  },
});

export class Flash {
  #start: number;
  #length: number;
  constructor(name: string) {
    if (config.platform !== 'pico') throw new Error('no totp flash on this platform');
    if (name !== 'storage') throw new Error('unknown partition');
    const p = storagePartition();
    this.#start = p.start;
    this.#length = p.length;
  }
  erase(sector: number): void {
    sector = Math.trunc(Number(sector));
    if (!(sector >= 0 && sector < this.#length / SECTOR)) throw new Error('invalid sector');
    flashErase(this.#start + sector * SECTOR, SECTOR);
  }
  read(offset: number, byteLength: number): ArrayBuffer {
    offset = Math.trunc(Number(offset));
    byteLength = Math.trunc(Number(byteLength));
    if (!(offset >= 0 && offset < this.#length)) throw new Error('invalid offset');
    if (!(byteLength > 0 && offset + byteLength <= this.#length)) throw new Error('invalid length');
    return flashRead(this.#start + offset, byteLength).slice().buffer;
  }
  write(offset: number, byteLength: number, buffer: ArrayBuffer | ArrayBufferView): void {
    offset = Math.trunc(Number(offset));
    byteLength = Math.trunc(Number(byteLength));
    if (!(offset >= 0 && byteLength > 0 && offset + byteLength <= this.#length)) throw new Error('invalid');
    // xsmcGetBufferReadable: an ArrayBuffer or a view's own window.
    let bytes: Uint8Array;
    if (buffer instanceof ArrayBuffer) bytes = new Uint8Array(buffer);
    else if (ArrayBuffer.isView(buffer)) bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    else throw new TypeError('invalid buffer');
    if (bytes.length < byteLength) throw new Error('invalid');
    flashWrite(this.#start + offset, bytes.slice(0, byteLength));
  }
  get byteLength(): number {
    return this.#length;
  }
  get blockSize(): number {
    return SECTOR;
  }
}

export default Native;
