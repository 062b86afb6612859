// Shim of Moddable's `crypt` Digest. On a board it is C code; here the host
// computes the digest with node:crypto (OUT.DIGEST), so the XS meter counts
// only the JavaScript the firmware runs, as on the device, and the bytes
// come from an implementation independent of protocol/. The API is checked
// as modCrypt.c behaves: write() takes a String (its UTF-8 bytes), an
// ArrayBuffer or a view (only the view's window); close() returns an
// ArrayBuffer once; nothing works after close.
import { OUT, toHost } from './host.ts';

const ALGORITHMS = ['MD5', 'SHA1', 'SHA224', 'SHA256', 'SHA384', 'SHA512'];

export class Digest {
  #algorithm: number;
  #parts: Uint8Array[] | null = [];
  constructor(type: string) {
    const i = ALGORITHMS.indexOf(type);
    if (i < 0) throw new Error('crypt: unsupported digest ' + type);
    this.#algorithm = i;
  }
  write(data: unknown): void {
    if (!this.#parts) throw new Error("crypt: can't call digest write after close");
    if (typeof data === 'string') this.#parts.push(new TextEncoder().encode(data));
    else if (data instanceof ArrayBuffer) this.#parts.push(new Uint8Array(data.slice(0)));
    else if (ArrayBuffer.isView(data)) this.#parts.push(new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)));
    else throw new TypeError('crypt: write takes a String, ArrayBuffer or view');
  }
  close(): ArrayBuffer {
    if (!this.#parts) throw new Error("crypt: can't call digest close after close");
    let length = 1;
    for (const p of this.#parts) length += p.length;
    const message = new Uint8Array(length);
    message[0] = this.#algorithm;
    let at = 1;
    for (const p of this.#parts) {
      message.set(p, at);
      at += p.length;
    }
    this.#parts = null;
    return toHost(OUT.DIGEST, message).slice().buffer;
  }
}

export default Object.freeze({ Digest });
