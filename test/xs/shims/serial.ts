// Shim of ECMA-419 `embedded:io/serial` as Moddable's hosts behave, per platform:
//  - esp32 (modules/io/serial/esp32/serial.c): read() returns everything
//    received so far as an ArrayBuffer, undefined when nothing waits;
//  - pico (modules/io/serial/pico/serial.c): read() throws "invalid" when
//    nothing waits (requested <= 0), and when asked for more than waits;
//  - lin (modules/io/serial/lin/serial.c): the constructor opens
//    options.device (a pty; anything else fails as open(2) does); read() is
//    undefined when nothing waits; write() takes an ArrayBuffer only
//    (xsToArrayBuffer: a view is a TypeError) and throws "would overflow" past
//    its 1024-byte buffer or while a write is pending.
// Everywhere: buffer format; write() copies into a FIFO of `serialFifo` bytes
// and throws "output full" past its free space; onWritable(count) reports free
// space once the FIFO has drained (after the current job, here), and once
// after construction. Bytes written go to the host (OUT.SERIAL_TX); bytes
// from the host (IN.SERIAL_RX) arrive in FIFO-sized pieces, each followed by
// onReadable(count). A piece that arrives while unread bytes fill the FIFO is
// counted as an overrun (the host's status shows it; tests require none).
import { config, IN, onHost, OUT, toHost, usePin } from './host.ts';

interface SerialOptions {
  device?: string;
  port?: number;
  receive?: number;
  transmit?: number;
  baud: number;
  format?: string;
  onReadable?: (this: Serial, count: number) => void;
  onWritable?: (this: Serial, count: number) => void;
}

export const serialStats = { overruns: 0, written: 0, received: 0 };
let open: Serial | null = null;

export default class Serial {
  #options: SerialOptions;
  #rx: number[] = [];
  #room: number;
  #drainScheduled = false;
  constructor(options: SerialOptions) {
    if (open) throw new RangeError('port in use');
    if (config.platform === 'lin') {
      if (options.device === undefined || options.device !== config.serialDevice) throw new Error('No such file or directory (open ' + String(options.device) + ')');
    } else if (options.transmit === undefined && options.receive === undefined) throw new Error('invalid');
    if (!(options.baud > 0 && options.baud <= 20000000)) throw new RangeError('invalid baud');
    if ((options.format ?? 'buffer') !== 'buffer') throw new RangeError('shim supports the buffer format only');
    if (options.transmit !== undefined) usePin(options.transmit, 'serial transmit');
    if (options.receive !== undefined) usePin(options.receive, 'serial receive');
    this.#options = options;
    this.#room = 0;
    open = this;
    this.#drainLater();
  }
  #drainLater(): void {
    if (this.#drainScheduled || !this.#options.onWritable) return;
    this.#drainScheduled = true;
    Promise.resolve().then(() => {
      this.#drainScheduled = false;
      this.#room = config.serialFifo;
      this.#options.onWritable!.call(this, this.#room);
    });
  }
  read(count?: number): ArrayBuffer | undefined {
    const requested = count === undefined ? this.#rx.length : Math.trunc(Number(count));
    if (config.platform === 'pico' && (requested <= 0 || requested > this.#rx.length)) throw new Error('invalid');
    if (this.#rx.length === 0) return undefined;
    const n = Math.min(requested, this.#rx.length);
    const out = new Uint8Array(this.#rx.slice(0, n));
    this.#rx = this.#rx.slice(n);
    return out.buffer;
  }
  write(data: ArrayBuffer | ArrayBufferView): void {
    if (config.platform === 'lin' && !(data instanceof ArrayBuffer)) throw new TypeError('serial write: not an ArrayBuffer');
    const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (bytes.length > this.#room) throw new Error(config.platform === 'lin' ? 'would overflow' : 'output full');
    this.#room -= bytes.length;
    serialStats.written += bytes.length;
    toHost(OUT.SERIAL_TX, bytes);
    this.#drainLater();
  }
  close(): void {
    open = null;
  }
  receive(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i += config.serialFifo) {
      const piece = bytes.subarray(i, i + config.serialFifo);
      if (this.#rx.length + piece.length > config.serialFifo) {
        serialStats.overruns++;
        continue;
      }
      for (const b of piece) this.#rx.push(b);
      serialStats.received += piece.length;
      this.#options.onReadable?.call(this, this.#rx.length);
    }
  }
}

onHost(IN.SERIAL_RX, (body) => {
  if (!open) throw new Error('serial: the firmware has not opened the port');
  open.receive(body);
  return undefined;
});
