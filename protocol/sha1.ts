// SHA-1 (FIPS 180-4 §6.1) in plain 32-bit JavaScript: the fallback for boards
// whose firmware has no native SHA1. Still the HOTP/TOTP default (RFC 4226).
// Written for interpreters that count every operation (XS's meter, Espruino):
// the 80 rounds run as four loops, one per round function (no round tests
// which function or constant it uses), each unrolled five times with the
// working variables renamed in turn instead of shifted (a round's
// e, d, c, b, a = d, c, b<<<30, a, T becomes: e = T; b = b<<<30; then the next
// round reads e as its a). Words are read inline.
import { padMessage, writeWord } from './sha-common.ts';

export function sha1(message: Uint8Array): Uint8Array {
  const m = padMessage(message, 64, 8);
  const w = new Int32Array(80);
  let h0 = 0x67452301, h1 = 0xefcdab89 | 0, h2 = 0x98badcfe | 0, h3 = 0x10325476, h4 = 0xc3d2e1f0 | 0;
  for (let off = 0; off < m.length; off += 64) {
    for (let t = 0, i = off; t < 16; t++, i += 4) w[t] = (m[i] << 24) | (m[i + 1] << 16) | (m[i + 2] << 8) | m[i + 3];
    for (let t = 16; t < 80; t++) {
      const x = w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16];
      w[t] = (x << 1) | (x >>> 31);
    }
    let a = h0, b = h1, c = h2, d = h3, e = h4;
    let t = 0;
    for (let end = t + 20; t < end; ) { // Ch
      e = ((a << 5 | a >>> 27) + (d ^ (b & (c ^ d))) + e + 0x5a827999 + w[t++]) | 0;
      b = b << 30 | b >>> 2;
      d = ((e << 5 | e >>> 27) + (c ^ (a & (b ^ c))) + d + 0x5a827999 + w[t++]) | 0;
      a = a << 30 | a >>> 2;
      c = ((d << 5 | d >>> 27) + (b ^ (e & (a ^ b))) + c + 0x5a827999 + w[t++]) | 0;
      e = e << 30 | e >>> 2;
      b = ((c << 5 | c >>> 27) + (a ^ (d & (e ^ a))) + b + 0x5a827999 + w[t++]) | 0;
      d = d << 30 | d >>> 2;
      a = ((b << 5 | b >>> 27) + (e ^ (c & (d ^ e))) + a + 0x5a827999 + w[t++]) | 0;
      c = c << 30 | c >>> 2;
    }
    for (let end = t + 20; t < end; ) { // Parity
      e = ((a << 5 | a >>> 27) + (b ^ c ^ d) + e + 0x6ed9eba1 + w[t++]) | 0;
      b = b << 30 | b >>> 2;
      d = ((e << 5 | e >>> 27) + (a ^ b ^ c) + d + 0x6ed9eba1 + w[t++]) | 0;
      a = a << 30 | a >>> 2;
      c = ((d << 5 | d >>> 27) + (e ^ a ^ b) + c + 0x6ed9eba1 + w[t++]) | 0;
      e = e << 30 | e >>> 2;
      b = ((c << 5 | c >>> 27) + (d ^ e ^ a) + b + 0x6ed9eba1 + w[t++]) | 0;
      d = d << 30 | d >>> 2;
      a = ((b << 5 | b >>> 27) + (c ^ d ^ e) + a + 0x6ed9eba1 + w[t++]) | 0;
      c = c << 30 | c >>> 2;
    }
    for (let end = t + 20; t < end; ) { // Maj; + 0x8f1bbcdc mod 2^32
      e = ((a << 5 | a >>> 27) + ((b & c) | (d & (b | c))) + e - 0x70e44324 + w[t++]) | 0;
      b = b << 30 | b >>> 2;
      d = ((e << 5 | e >>> 27) + ((a & b) | (c & (a | b))) + d - 0x70e44324 + w[t++]) | 0;
      a = a << 30 | a >>> 2;
      c = ((d << 5 | d >>> 27) + ((e & a) | (b & (e | a))) + c - 0x70e44324 + w[t++]) | 0;
      e = e << 30 | e >>> 2;
      b = ((c << 5 | c >>> 27) + ((d & e) | (a & (d | e))) + b - 0x70e44324 + w[t++]) | 0;
      d = d << 30 | d >>> 2;
      a = ((b << 5 | b >>> 27) + ((c & d) | (e & (c | d))) + a - 0x70e44324 + w[t++]) | 0;
      c = c << 30 | c >>> 2;
    }
    for (let end = t + 20; t < end; ) { // Parity; + 0xca62c1d6 mod 2^32
      e = ((a << 5 | a >>> 27) + (b ^ c ^ d) + e - 0x359d3e2a + w[t++]) | 0;
      b = b << 30 | b >>> 2;
      d = ((e << 5 | e >>> 27) + (a ^ b ^ c) + d - 0x359d3e2a + w[t++]) | 0;
      a = a << 30 | a >>> 2;
      c = ((d << 5 | d >>> 27) + (e ^ a ^ b) + c - 0x359d3e2a + w[t++]) | 0;
      e = e << 30 | e >>> 2;
      b = ((c << 5 | c >>> 27) + (d ^ e ^ a) + b - 0x359d3e2a + w[t++]) | 0;
      d = d << 30 | d >>> 2;
      a = ((b << 5 | b >>> 27) + (c ^ d ^ e) + a - 0x359d3e2a + w[t++]) | 0;
      c = c << 30 | c >>> 2;
    }
    h0 = (h0 + a) | 0; h1 = (h1 + b) | 0; h2 = (h2 + c) | 0; h3 = (h3 + d) | 0; h4 = (h4 + e) | 0;
  }
  m.fill(0);
  w.fill(0);
  const out = new Uint8Array(20);
  writeWord(out, 0, h0); writeWord(out, 4, h1); writeWord(out, 8, h2); writeWord(out, 12, h3); writeWord(out, 16, h4);
  return out;
}
