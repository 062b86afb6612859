// Shim of Moddable's `crypt` Digest (modules/crypt/digest/crypt.js over
// modCrypt.c and kcl/fips180.c, rfc1321.c). On a board it is C code; here the
// host computes the digest with node:crypto (OUT.DIGEST), so the XS meter counts
// only the JavaScript the firmware runs, as on the device, and the bytes come
// from an implementation independent of protocol/. As modCrypt.c behaves:
//  - new Digest(type): MD5, SHA1, SHA224, SHA256, SHA384, SHA512 (GHASH not
//    shimmed); anything else "crypt: unsupported digest";
//  - write(data): a String is its UTF-8 bytes up to the first NUL (c_strlen);
//    otherwise xsmcGetBufferReadable: an ArrayBuffer or a view's own window;
//  - close(more): the digest as an ArrayBuffer; with `more` truthy the context
//    is saved and restored, so the stream goes on as if not closed;
//  - close() does not free the context: write() and close() after it do not
//    throw. They go on from kcl's finished state (sha1_fin leaves the length
//    and the padded state in place), which is no digest of anything: the shim
//    answers with a digest of a marker and the bytes, different from a fresh one;
//  - reset() starts again; process(...parts) is reset, write each, close;
//    update(data) is write; blockSize and outputSize as gDigests lists them.
import { OUT, toHost } from './host.ts';

const ALGORITHMS = ['MD5', 'SHA1', 'SHA224', 'SHA256', 'SHA384', 'SHA512'];
const BLOCK = [64, 64, 64, 64, 128, 128];
const OUTPUT = [16, 20, 28, 32, 48, 64];
const AFTER_CLOSE = new TextEncoder().encode('\u0000kcl state after fin\u0000');

export class Digest {
  #algorithm: number;
  #parts: Uint8Array[] = [];
  #closed = false;
  constructor(type: string) {
    const i = ALGORITHMS.indexOf(String(type));
    if (i < 0) throw new Error('crypt: unsupported digest');
    this.#algorithm = i;
  }
  write(data: unknown): void {
    if (typeof data === 'string') {
      const bytes = new TextEncoder().encode(data);
      const nul = bytes.indexOf(0);
      this.#parts.push(nul < 0 ? bytes : bytes.slice(0, nul));
    } else if (data instanceof ArrayBuffer) this.#parts.push(new Uint8Array(data.slice(0)));
    else if (ArrayBuffer.isView(data)) this.#parts.push(new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)));
    else throw new TypeError('crypt: write takes a String, ArrayBuffer or view');
  }
  update(data: unknown): void {
    this.write(data);
  }
  close(more?: unknown): ArrayBuffer {
    const parts = this.#closed ? [AFTER_CLOSE, ...this.#parts] : this.#parts;
    let length = 1;
    for (const p of parts) length += p.length;
    const message = new Uint8Array(length);
    message[0] = this.#algorithm;
    let at = 1;
    for (const p of parts) {
      message.set(p, at);
      at += p.length;
    }
    if (!more) this.#closed = true;
    return toHost(OUT.DIGEST, message).slice().buffer;
  }
  reset(): void {
    this.#parts = [];
    this.#closed = false;
  }
  process(...parts: unknown[]): ArrayBuffer {
    this.reset();
    for (const p of parts) this.write(p);
    return this.close();
  }
  get blockSize(): number {
    return BLOCK[this.#algorithm]!;
  }
  get outputSize(): number {
    return OUTPUT[this.#algorithm]!;
  }
}

export default Object.freeze({ Digest });
