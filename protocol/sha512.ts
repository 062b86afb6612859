// SHA-512 (FIPS 180-4 §6.4) with each 64-bit word held as two 32-bit halves,
// since Espruino has no BigInt and no 64-bit integers. Slow but small: only
// boards without native SHA512 use it.
import { padMessage, readWord, writeWord } from './sha-common.ts';

// §4.2.3 constants as [hi, lo] pairs, flattened.
const K = [
  0x428a2f98, 0xd728ae22, 0x71374491, 0x23ef65cd, 0xb5c0fbcf, 0xec4d3b2f, 0xe9b5dba5, 0x8189dbbc,
  0x3956c25b, 0xf348b538, 0x59f111f1, 0xb605d019, 0x923f82a4, 0xaf194f9b, 0xab1c5ed5, 0xda6d8118,
  0xd807aa98, 0xa3030242, 0x12835b01, 0x45706fbe, 0x243185be, 0x4ee4b28c, 0x550c7dc3, 0xd5ffb4e2,
  0x72be5d74, 0xf27b896f, 0x80deb1fe, 0x3b1696b1, 0x9bdc06a7, 0x25c71235, 0xc19bf174, 0xcf692694,
  0xe49b69c1, 0x9ef14ad2, 0xefbe4786, 0x384f25e3, 0x0fc19dc6, 0x8b8cd5b5, 0x240ca1cc, 0x77ac9c65,
  0x2de92c6f, 0x592b0275, 0x4a7484aa, 0x6ea6e483, 0x5cb0a9dc, 0xbd41fbd4, 0x76f988da, 0x831153b5,
  0x983e5152, 0xee66dfab, 0xa831c66d, 0x2db43210, 0xb00327c8, 0x98fb213f, 0xbf597fc7, 0xbeef0ee4,
  0xc6e00bf3, 0x3da88fc2, 0xd5a79147, 0x930aa725, 0x06ca6351, 0xe003826f, 0x14292967, 0x0a0e6e70,
  0x27b70a85, 0x46d22ffc, 0x2e1b2138, 0x5c26c926, 0x4d2c6dfc, 0x5ac42aed, 0x53380d13, 0x9d95b3df,
  0x650a7354, 0x8baf63de, 0x766a0abb, 0x3c77b2a8, 0x81c2c92e, 0x47edaee6, 0x92722c85, 0x1482353b,
  0xa2bfe8a1, 0x4cf10364, 0xa81a664b, 0xbc423001, 0xc24b8b70, 0xd0f89791, 0xc76c51a3, 0x0654be30,
  0xd192e819, 0xd6ef5218, 0xd6990624, 0x5565a910, 0xf40e3585, 0x5771202a, 0x106aa070, 0x32bbd1b8,
  0x19a4c116, 0xb8d2d0c8, 0x1e376c08, 0x5141ab53, 0x2748774c, 0xdf8eeb99, 0x34b0bcb5, 0xe19b48a8,
  0x391c0cb3, 0xc5c95a63, 0x4ed8aa4a, 0xe3418acb, 0x5b9cca4f, 0x7763e373, 0x682e6ff3, 0xd6b2b8a3,
  0x748f82ee, 0x5defb2fc, 0x78a5636f, 0x43172f60, 0x84c87814, 0xa1f0ab72, 0x8cc70208, 0x1a6439ec,
  0x90befffa, 0x23631e28, 0xa4506ceb, 0xde82bde9, 0xbef9a3f7, 0xb2c67915, 0xc67178f2, 0xe372532b,
  0xca273ece, 0xea26619c, 0xd186b8c7, 0x21c0c207, 0xeada7dd6, 0xcde0eb1e, 0xf57d4f7f, 0xee6ed178,
  0x06f067aa, 0x72176fba, 0x0a637dc5, 0xa2c898a6, 0x113f9804, 0xbef90dae, 0x1b710b35, 0x131c471b,
  0x28db77f5, 0x23047d84, 0x32caab7b, 0x40c72493, 0x3c9ebe0a, 0x15c9bebc, 0x431d67c4, 0x9c100d4c,
  0x4cc5d4be, 0xcb3e42b6, 0x597f299c, 0xfc657e2a, 0x5fcb6fab, 0x3ad6faec, 0x6c44198c, 0x4a475817,
];
const H0 = [
  0x6a09e667, 0xf3bcc908, 0xbb67ae85, 0x84caa73b, 0x3c6ef372, 0xfe94f82b, 0xa54ff53a, 0x5f1d36f1,
  0x510e527f, 0xade682d1, 0x9b05688c, 0x2b3e6c1f, 0x1f83d9ab, 0xfb41bd6b, 0x5be0cd19, 0x137e2179,
];
const TWO_32 = 4294967296;

// High and low halves of a 64-bit right rotation by n (0 < n < 32); for n > 32
// callers swap the halves and rotate by n - 32.
function rotrHi(hi: number, lo: number, n: number): number {
  return (hi >>> n) | (lo << (32 - n));
}
function rotrLo(hi: number, lo: number, n: number): number {
  return (lo >>> n) | (hi << (32 - n));
}

export function sha512(message: Uint8Array): Uint8Array {
  const m = padMessage(message, 128, 16);
  const w = new Int32Array(160); // w[2t] = high half, w[2t+1] = low half
  const h = new Int32Array(H0);
  const v = new Int32Array(16); // working variables a..h as hi/lo pairs
  for (let off = 0; off < m.length; off += 128) {
    for (let t = 0; t < 32; t++) w[t] = readWord(m, off + 4 * t);
    for (let t = 16; t < 80; t++) {
      const xh = w[2 * t - 30], xl = w[2 * t - 29]; // w[t-15]
      const yh = w[2 * t - 4], yl = w[2 * t - 3]; // w[t-2]
      // sigma0 = rotr1 ^ rotr8 ^ shr7; sigma1 = rotr19 ^ rotr61 ^ shr6
      const s0h = rotrHi(xh, xl, 1) ^ rotrHi(xh, xl, 8) ^ (xh >>> 7);
      const s0l = rotrLo(xh, xl, 1) ^ rotrLo(xh, xl, 8) ^ ((xl >>> 7) | (xh << 25));
      const s1h = rotrHi(yh, yl, 19) ^ rotrHi(yl, yh, 29) ^ (yh >>> 6);
      const s1l = rotrLo(yh, yl, 19) ^ rotrLo(yl, yh, 29) ^ ((yl >>> 6) | (yh << 26));
      const lo = (s0l >>> 0) + (s1l >>> 0) + (w[2 * t - 13] >>> 0) + (w[2 * t - 31] >>> 0);
      w[2 * t + 1] = lo | 0;
      w[2 * t] = (s0h + s1h + w[2 * t - 14] + w[2 * t - 32] + Math.floor(lo / TWO_32)) | 0;
    }
    v.set(h);
    for (let t = 0; t < 80; t++) {
      const ah = v[0], al = v[1], bh = v[2], bl = v[3], ch = v[4], cl = v[5];
      const eh = v[8], el = v[9], fh = v[10], fl = v[11], gh = v[12], gl = v[13];
      // Sigma1(e) = rotr14 ^ rotr18 ^ rotr41; Ch(e,f,g)
      const S1h = rotrHi(eh, el, 14) ^ rotrHi(eh, el, 18) ^ rotrHi(el, eh, 9);
      const S1l = rotrLo(eh, el, 14) ^ rotrLo(eh, el, 18) ^ rotrLo(el, eh, 9);
      const chh = (eh & fh) ^ (~eh & gh);
      const chl = (el & fl) ^ (~el & gl);
      const t1l = (v[15] >>> 0) + (S1l >>> 0) + (chl >>> 0) + K[2 * t + 1] + (w[2 * t + 1] >>> 0);
      const t1h = v[14] + S1h + chh + K[2 * t] + w[2 * t] + Math.floor(t1l / TWO_32);
      // Sigma0(a) = rotr28 ^ rotr34 ^ rotr39; Maj(a,b,c)
      const S0h = rotrHi(ah, al, 28) ^ rotrHi(al, ah, 2) ^ rotrHi(al, ah, 7);
      const S0l = rotrLo(ah, al, 28) ^ rotrLo(al, ah, 2) ^ rotrLo(al, ah, 7);
      const mjh = (ah & bh) ^ (ah & ch) ^ (bh & ch);
      const mjl = (al & bl) ^ (al & cl) ^ (bl & cl);
      const t2l = (S0l >>> 0) + (mjl >>> 0);
      const t2h = S0h + mjh + Math.floor(t2l / TWO_32);
      // h=g g=f f=e e=d+t1 d=c c=b b=a a=t1+t2
      for (let i = 15; i >= 2; i--) v[i] = v[i - 2];
      const el2 = (v[9] >>> 0) + ((t1l | 0) >>> 0);
      v[9] = el2 | 0;
      v[8] = (v[8] + (t1h | 0) + Math.floor(el2 / TWO_32)) | 0;
      const al2 = ((t1l | 0) >>> 0) + ((t2l | 0) >>> 0);
      v[1] = al2 | 0;
      v[0] = ((t1h | 0) + (t2h | 0) + Math.floor(al2 / TWO_32)) | 0;
    }
    for (let i = 0; i < 16; i += 2) {
      const lo = (h[i + 1] >>> 0) + (v[i + 1] >>> 0);
      h[i + 1] = lo | 0;
      h[i] = (h[i] + v[i] + Math.floor(lo / TWO_32)) | 0;
    }
  }
  m.fill(0);
  w.fill(0);
  v.fill(0);
  const out = new Uint8Array(64);
  for (let i = 0; i < 16; i++) writeWord(out, 4 * i, h[i]);
  return out;
}
