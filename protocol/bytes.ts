// Small byte helpers shared by every codec. Written for the Espruino subset:
// no TextEncoder, no Array.from, no spread.
import { fail } from './errors.ts';

/** 2^53 - 1, the largest whole number a double holds exactly; written out: Math.pow is inexact on Espruino. */
export const MAX_WHOLE = 9007199254740991;

export function assertBytes(value: unknown, what: string, minLength: number, maxLength: number): Uint8Array {
  if (!(value instanceof Uint8Array)) fail('BAD_ARGUMENT', what + ': expected Uint8Array, got ' + typeof value);
  const bytes = value as Uint8Array;
  if (bytes.length < minLength || bytes.length > maxLength) {
    fail('BAD_LENGTH', what + ': expected ' + minLength + '..' + maxLength + ' bytes, got length=' + bytes.length);
  }
  return bytes;
}

export function assertInteger(value: unknown, what: string, min: number, max: number): number {
  // Number.isInteger is missing on Espruino.
  if (typeof value !== 'number' || Math.floor(value) !== value || value < min || value > max) {
    fail('BAD_ARGUMENT', what + ': expected an integer from ' + min + ' to ' + max + ', got ' + String(value));
  }
  return value as number;
}

/** Big-endian 32-bit words (frame CRCs, record headers). */
export function putWord(out: Uint8Array, at: number, v: number): void {
  out[at] = v >>> 24;
  out[at + 1] = (v >>> 16) & 255;
  out[at + 2] = (v >>> 8) & 255;
  out[at + 3] = v & 255;
}

export function getWord(b: Uint8Array, at: number): number {
  return ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
}

/** Overwrite a buffer that held key material. */
export function wipe(bytes: { fill(value: number): unknown } | null | undefined): void {
  if (bytes) bytes.fill(0);
}

export function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Compare without an early exit, so timing does not reveal where two MACs differ. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  a.forEach((x, i) => {
    diff |= x ^ b[i];
  });
  return diff === 0;
}

const HEX = '0123456789abcdef';

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i] >> 4] + HEX[bytes[i] & 15];
  return s;
}

export function fromHex(hex: string): Uint8Array {
  if (typeof hex !== 'string' || hex.length % 2 !== 0) fail('BAD_HEX', 'hex: expected an even number of hex digits');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = HEX.indexOf(hex[2 * i].toLowerCase());
    const lo = HEX.indexOf(hex[2 * i + 1].toLowerCase());
    if (hi < 0 || lo < 0) fail('BAD_HEX', 'hex: invalid digit at position ' + (2 * i + 1));
    out[i] = (hi << 4) | lo;
  }
  return out;
}

/** UTF-8 encode (names and labels cross the wire as UTF-8). */
export function utf8Encode(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return new Uint8Array(out);
}

/** Strict UTF-8 decode: malformed sequences are an error, not U+FFFD. */
export function utf8Decode(bytes: Uint8Array): string {
  let s = '';
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    let need = 0;
    let c = 0;
    let min = 0;
    if (b < 0x80) { c = b; }
    else if (b >= 0xc2 && b < 0xe0) { need = 1; c = b & 31; min = 0x80; }
    else if (b >= 0xe0 && b < 0xf0) { need = 2; c = b & 15; min = 0x800; }
    else if (b >= 0xf0 && b < 0xf5) { need = 3; c = b & 7; min = 0x10000; }
    else fail('BAD_UTF8', 'text: invalid UTF-8 byte at position ' + (i + 1));
    if (i + need >= bytes.length) fail('BAD_UTF8', 'text: truncated UTF-8 sequence at position ' + (i + 1));
    for (let k = 1; k <= need; k++) {
      const cont = bytes[i + k];
      if ((cont & 0xc0) !== 0x80) fail('BAD_UTF8', 'text: invalid UTF-8 continuation at position ' + (i + k + 1));
      c = (c << 6) | (cont & 63);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c < 0xe000)) fail('BAD_UTF8', 'text: invalid UTF-8 sequence at position ' + (i + 1));
    if (c >= 0x10000) {
      c -= 0x10000;
      s += String.fromCharCode(0xd800 + (c >> 10), 0xdc00 + (c & 1023));
    } else {
      s += String.fromCharCode(c);
    }
    i += need + 1;
  }
  return s;
}
