// SHA-1 (FIPS 180-4 §6.1) in plain 32-bit JavaScript: the fallback for boards
// whose firmware has no native SHA1. Still the HOTP/TOTP default (RFC 4226).
import { padMessage, readWord, writeWord } from './sha-common.ts';

export function sha1(message: Uint8Array): Uint8Array {
  const m = padMessage(message, 64, 8);
  const w = new Int32Array(80);
  let h0 = 0x67452301, h1 = 0xefcdab89 | 0, h2 = 0x98badcfe | 0, h3 = 0x10325476, h4 = 0xc3d2e1f0 | 0;
  for (let off = 0; off < m.length; off += 64) {
    for (let t = 0; t < 16; t++) w[t] = readWord(m, off + 4 * t);
    for (let t = 16; t < 80; t++) {
      const x = w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16];
      w[t] = (x << 1) | (x >>> 31);
    }
    let a = h0, b = h1, c = h2, d = h3, e = h4;
    for (let t = 0; t < 80; t++) {
      let f, k;
      if (t < 20) { f = (b & c) | (~b & d); k = 0x5a827999; }
      else if (t < 40) { f = b ^ c ^ d; k = 0x6ed9eba1; }
      else if (t < 60) { f = (b & c) | (b & d) | (c & d); k = 0x8f1bbcdc | 0; }
      else { f = b ^ c ^ d; k = 0xca62c1d6 | 0; }
      const tmp = (((a << 5) | (a >>> 27)) + f + e + k + w[t]) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = tmp;
    }
    h0 = (h0 + a) | 0; h1 = (h1 + b) | 0; h2 = (h2 + c) | 0; h3 = (h3 + d) | 0; h4 = (h4 + e) | 0;
  }
  m.fill(0);
  w.fill(0);
  const out = new Uint8Array(20);
  writeWord(out, 0, h0); writeWord(out, 4, h1); writeWord(out, 8, h2); writeWord(out, 12, h3); writeWord(out, 16, h4);
  return out;
}
