// Camellia, the 128-bit block cipher of RFC 3713 (128-, 192- and 256-bit
// keys), for the page's PSKC import: python-pskc's corpus has files in
// camellia128/192/256-cbc and kw-camellia* (RFC 6030 via RFC 4051 and RFC
// 3657), WebCrypto has no Camellia and no well-kept JavaScript one exists.
// Written from the RFC's description, section by section; checked against its
// Appendix A vectors and against OpenSSL's Camellia (node:crypto) on random
// keys and messages (test/enroll/pskc-crypto.test.ts).
//
// 64-bit halves are kept as two 32-bit words (hi, lo), 128-bit values as four,
// most significant first, so every operation is a 32-bit one JavaScript does
// exactly. Table lookups make this variable-time; it decrypts a file the user
// chose, on the user's machine, where no one times it. Subkeys are wiped by
// wipe(); nothing here logs or keeps a key.

/** RFC 3713 §2.4.1: SBOX1, the table as the RFC gives it (decimal, row = high nibble). */
// prettier-ignore
const SBOX1 = new Uint8Array([
  112, 130,  44, 236, 179,  39, 192, 229, 228, 133,  87,  53, 234,  12, 174,  65,
   35, 239, 107, 147,  69,  25, 165,  33, 237,  14,  79,  78,  29, 101, 146, 189,
  134, 184, 175, 143, 124, 235,  31, 206,  62,  48, 220,  95,  94, 197,  11,  26,
  166, 225,  57, 202, 213,  71,  93,  61, 217,   1,  90, 214,  81,  86, 108,  77,
  139,  13, 154, 102, 251, 204, 176,  45, 116,  18,  43,  32, 240, 177, 132, 153,
  223,  76, 203, 194,  52, 126, 118,   5, 109, 183, 169,  49, 209,  23,   4, 215,
   20,  88,  58,  97, 222,  27,  17,  28,  50,  15, 156,  22,  83,  24, 242,  34,
  254,  68, 207, 178, 195, 181, 122, 145,  36,   8, 232, 168,  96, 252, 105,  80,
  170, 208, 160, 125, 161, 137,  98, 151,  84,  91,  30, 149, 224, 255, 100, 210,
   16, 196,   0,  72, 163, 247, 117, 219, 138,   3, 230, 218,   9,  63, 221, 148,
  135,  92, 131,   2, 205,  74, 144,  51, 115, 103, 246, 243, 157, 127, 191, 226,
   82, 155, 216,  38, 200,  55, 198,  59, 129, 150, 111,  75,  19, 190,  99,  46,
  233, 121, 167, 140, 159, 110, 188, 142,  41, 245, 249, 182,  47, 253, 180,  89,
  120, 152,   6, 106, 231,  70, 113, 186, 212,  37, 171,  66, 136, 162, 141, 250,
  114,   7, 185,  85, 248, 238, 172,  10,  54,  73,  42, 104,  60,  56, 241, 164,
   64,  40, 211, 123, 187, 201,  67, 193,  21, 227, 173, 244, 119, 199, 128, 158,
]);

const rotl8 = (x: number, n: number): number => ((x << n) | (x >>> (8 - n))) & 0xff;
// §2.4.1: SBOX2[x] = SBOX1[x] <<< 1; SBOX3[x] = SBOX1[x] <<< 7; SBOX4[x] = SBOX1[x <<< 1].
const SBOX2 = SBOX1.map((s) => rotl8(s, 1));
const SBOX3 = SBOX1.map((s) => rotl8(s, 7));
const SBOX4 = SBOX1.map((_, x) => SBOX1[rotl8(x, 1)]);

/** §2.2: Sigma1 ... Sigma6, each as (hi, lo). */
const SIGMA = [0xa09e667f, 0x3bcc908b, 0xb67ae858, 0x4caa73b2, 0xc6ef372f, 0xe94f82be, 0x54ff53a5, 0xf1d36f1c, 0x10e527fa, 0xde682d1d, 0xb05688c2, 0xb3e6c1fd];

/** §2.4.1 F-function: F(x, k) for 64-bit x = (xh, xl) and k = (kh, kl), into out[0], out[1]. */
function f(xh: number, xl: number, kh: number, kl: number, out: Uint32Array): void {
  const a = xh ^ kh;
  const b = xl ^ kl;
  const t1 = SBOX1[a >>> 24];
  const t2 = SBOX2[(a >>> 16) & 0xff];
  const t3 = SBOX3[(a >>> 8) & 0xff];
  const t4 = SBOX4[a & 0xff];
  const t5 = SBOX2[b >>> 24];
  const t6 = SBOX3[(b >>> 16) & 0xff];
  const t7 = SBOX4[(b >>> 8) & 0xff];
  const t8 = SBOX1[b & 0xff];
  const y1 = t1 ^ t3 ^ t4 ^ t6 ^ t7 ^ t8;
  const y2 = t1 ^ t2 ^ t4 ^ t5 ^ t7 ^ t8;
  const y3 = t1 ^ t2 ^ t3 ^ t5 ^ t6 ^ t8;
  const y4 = t2 ^ t3 ^ t4 ^ t5 ^ t6 ^ t7;
  const y5 = t1 ^ t2 ^ t6 ^ t7 ^ t8;
  const y6 = t2 ^ t3 ^ t5 ^ t7 ^ t8;
  const y7 = t3 ^ t4 ^ t5 ^ t6 ^ t8;
  const y8 = t1 ^ t4 ^ t5 ^ t6 ^ t7;
  out[0] = (y1 << 24) | (y2 << 16) | (y3 << 8) | y4;
  out[1] = (y5 << 24) | (y6 << 16) | (y7 << 8) | y8;
}

const rotl32 = (x: number, n: number): number => (x << n) | (x >>> (32 - n));

/** A 128-bit value (four words, most significant first) rotated left by n bits (§2.1's <<<). */
function rotl128(k: Uint32Array, n: number): Uint32Array {
  const q = n >>> 5;
  const r = n & 31;
  const out = new Uint32Array(4);
  for (let i = 0; i < 4; i++) {
    const a = k[(i + q) & 3];
    const b = k[(i + q + 1) & 3];
    out[i] = r === 0 ? a : (a << r) | (b >>> (32 - r));
  }
  return out;
}

// §2.2's subkey tables, in the order the data randomizing part (§2.3.1, §2.3.2) uses them:
// kw1 kw2, k1..k6, ke1 ke2, k7..k12, ke3 ke4, k13..k18, [ke5 ke6, k19..k24,] kw3 kw4.
// Each entry is [key, rotation]: both 64-bit halves of (key <<< rotation), or with 'h'/'l' only one.
type Source = 'L' | 'R' | 'A' | 'B';
type Take = [Source, number] | [Source, number, 'h' | 'l'];
const SCHEDULE_128: Take[] = [
  ['L', 0], ['A', 0], ['L', 15], ['A', 15], ['A', 30], ['L', 45], ['A', 45, 'h'], ['L', 60, 'l'],
  ['A', 60], ['L', 77], ['L', 94], ['A', 94], ['L', 111], ['A', 111],
]; // prettier-ignore
const SCHEDULE_256: Take[] = [
  ['L', 0], ['B', 0], ['R', 15], ['A', 15], ['R', 30], ['B', 30], ['L', 45], ['A', 45], ['L', 60],
  ['R', 60], ['B', 60], ['L', 77], ['A', 77], ['R', 94], ['A', 94], ['L', 111], ['B', 111],
]; // prettier-ignore

function words(bytes: Uint8Array, from: number, count: number): Uint32Array {
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) out[i] = (bytes[from + 4 * i] << 24) | (bytes[from + 4 * i + 1] << 16) | (bytes[from + 4 * i + 2] << 8) | bytes[from + 4 * i + 3];
  return out;
}

/** §2.2 key scheduling part: the subkeys for encryption, two words each, in use order. */
function schedule(key: Uint8Array): Uint32Array {
  const kl = words(key, 0, 4);
  const kr = new Uint32Array(4);
  if (key.length === 24) {
    // KR = the key's last 64 bits, then their complement.
    kr.set(words(key, 16, 2), 0);
    kr[2] = ~kr[0];
    kr[3] = ~kr[1];
  } else if (key.length === 32) kr.set(words(key, 16, 4));
  const t = new Uint32Array(2);
  // D1, D2 = (KL ^ KR) >> 64, (KL ^ KR) & MASK64, then six F steps under Sigma1..6.
  let d1h = kl[0] ^ kr[0];
  let d1l = kl[1] ^ kr[1];
  let d2h = kl[2] ^ kr[2];
  let d2l = kl[3] ^ kr[3];
  f(d1h, d1l, SIGMA[0], SIGMA[1], t);
  d2h ^= t[0];
  d2l ^= t[1];
  f(d2h, d2l, SIGMA[2], SIGMA[3], t);
  d1h ^= t[0] ^ kl[0];
  d1l ^= t[1] ^ kl[1];
  d2h ^= kl[2];
  d2l ^= kl[3];
  f(d1h, d1l, SIGMA[4], SIGMA[5], t);
  d2h ^= t[0];
  d2l ^= t[1];
  f(d2h, d2l, SIGMA[6], SIGMA[7], t);
  d1h ^= t[0];
  d1l ^= t[1];
  const ka = Uint32Array.of(d1h, d1l, d2h, d2l);
  d1h ^= kr[0];
  d1l ^= kr[1];
  d2h ^= kr[2];
  d2l ^= kr[3];
  f(d1h, d1l, SIGMA[8], SIGMA[9], t);
  d2h ^= t[0];
  d2l ^= t[1];
  f(d2h, d2l, SIGMA[10], SIGMA[11], t);
  d1h ^= t[0];
  d1l ^= t[1];
  const kb = Uint32Array.of(d1h, d1l, d2h, d2l);
  const keys = { L: kl, R: kr, A: ka, B: kb };
  const table = key.length === 16 ? SCHEDULE_128 : SCHEDULE_256;
  const out: number[] = [];
  for (const [source, rotation, half] of table) {
    const r = rotl128(keys[source], rotation);
    if (half !== 'l') out.push(r[0], r[1]);
    if (half !== 'h') out.push(r[2], r[3]);
    r.fill(0);
  }
  for (const k of [kl, kr, ka, kb]) k.fill(0);
  return Uint32Array.from(out);
}

/**
 * §2.3.3: decryption is encryption with the subkeys in reverse order (kw1..2
 * with kw3..4, k1 with k18 or k24, ke1 with ke4 or ke6...): reversing the
 * list of 64-bit subkeys does that, except that each whitening pair keeps its
 * own order (kw3 then kw4 come first).
 */
function reverseSchedule(sk: Uint32Array): Uint32Array {
  const n = sk.length / 2;
  const out = new Uint32Array(sk.length);
  for (let i = 0; i < n; i++) {
    out[2 * i] = sk[2 * (n - 1 - i)];
    out[2 * i + 1] = sk[2 * (n - 1 - i) + 1];
  }
  for (const at of [0, sk.length - 4]) {
    for (let j = 0; j < 2; j++) {
      const x = out[at + j];
      out[at + j] = out[at + 2 + j];
      out[at + 2 + j] = x;
    }
  }
  return out;
}

/** §2.3.1 (18 rounds) / §2.3.2 (24 rounds), with the FL/FLINV layers of §2.4.2 every six rounds. */
function crypt(sk: Uint32Array, input: Uint8Array, inAt: number, output: Uint8Array, outAt: number): void {
  const rounds = sk.length === 52 ? 18 : 24; // 26 or 34 subkeys of two words
  const t = new Uint32Array(2);
  const m = words(input, inAt, 4);
  let d1h = m[0] ^ sk[0];
  let d1l = m[1] ^ sk[1];
  let d2h = m[2] ^ sk[2];
  let d2l = m[3] ^ sk[3];
  let i = 4;
  for (let r = 0; r < rounds; r++) {
    if (r > 0 && r % 6 === 0) {
      // D1 = FL(D1, ke), D2 = FLINV(D2, ke'): §2.4.2.
      d1l ^= rotl32(d1h & sk[i], 1);
      d1h ^= d1l | sk[i + 1];
      d2h ^= d2l | sk[i + 3];
      d2l ^= rotl32(d2h & sk[i + 2], 1);
      i += 4;
    }
    if (r % 2 === 0) {
      f(d1h, d1l, sk[i], sk[i + 1], t);
      d2h ^= t[0];
      d2l ^= t[1];
    } else {
      f(d2h, d2l, sk[i], sk[i + 1], t);
      d1h ^= t[0];
      d1l ^= t[1];
    }
    i += 2;
  }
  // C = (D2 ^ kw3) || (D1 ^ kw4)
  const c = [d2h ^ sk[i], d2l ^ sk[i + 1], d1h ^ sk[i + 2], d1l ^ sk[i + 3]];
  for (let w = 0; w < 4; w++) {
    output[outAt + 4 * w] = c[w] >>> 24;
    output[outAt + 4 * w + 1] = c[w] >>> 16;
    output[outAt + 4 * w + 2] = c[w] >>> 8;
    output[outAt + 4 * w + 3] = c[w];
  }
  m.fill(0);
  t.fill(0);
}

export const CAMELLIA_BLOCK = 16;

/** A Camellia key, scheduled for both directions. */
export interface CamelliaKey {
  encryptBlock(block: Uint8Array): Uint8Array;
  decryptBlock(block: Uint8Array): Uint8Array;
  /** Overwrites the subkeys; the key is unusable afterwards. */
  wipe(): void;
}

function checkBytes(what: string, b: Uint8Array, lengths: number[] | 'blocks'): void {
  if (!(b instanceof Uint8Array)) throw new TypeError(`camellia: ${what} must be a Uint8Array`);
  const ok = lengths === 'blocks' ? b.length % CAMELLIA_BLOCK === 0 : lengths.indexOf(b.length) >= 0;
  if (!ok) throw new RangeError(`camellia: ${what} must be ${lengths === 'blocks' ? 'whole 16-byte blocks' : `${lengths.join(', ')} bytes`}, got length=${b.length}`);
}

export function camelliaKey(key: Uint8Array): CamelliaKey {
  checkBytes('key', key, [16, 24, 32]);
  const enc = schedule(key);
  const dec = reverseSchedule(enc);
  const one = (sk: Uint32Array, block: Uint8Array): Uint8Array => {
    checkBytes('block', block, [CAMELLIA_BLOCK]);
    const out = new Uint8Array(CAMELLIA_BLOCK);
    crypt(sk, block, 0, out, 0);
    return out;
  };
  return {
    encryptBlock: (block) => one(enc, block),
    decryptBlock: (block) => one(dec, block),
    wipe() {
      enc.fill(0);
      dec.fill(0);
    },
  };
}

/** CBC decryption of whole blocks, no unpadding (the PSKC codec checks the padding). */
export function camelliaCbcDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  checkBytes('iv', iv, [CAMELLIA_BLOCK]);
  checkBytes('data', data, 'blocks');
  const k = camelliaKey(key);
  const out = new Uint8Array(data.length);
  try {
    for (let at = 0; at < data.length; at += CAMELLIA_BLOCK) {
      const p = k.decryptBlock(data.subarray(at, at + CAMELLIA_BLOCK));
      const prev = at === 0 ? iv : data.subarray(at - CAMELLIA_BLOCK, at);
      for (let j = 0; j < CAMELLIA_BLOCK; j++) out[at + j] = p[j] ^ prev[j];
      p.fill(0);
    }
  } finally {
    k.wipe();
  }
  return out;
}

/** CBC encryption of whole blocks, no padding (tests encrypt with it; the page only decrypts). */
export function camelliaCbcEncrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  checkBytes('iv', iv, [CAMELLIA_BLOCK]);
  checkBytes('data', data, 'blocks');
  const k = camelliaKey(key);
  const out = new Uint8Array(data.length);
  const x = new Uint8Array(CAMELLIA_BLOCK);
  try {
    for (let at = 0; at < data.length; at += CAMELLIA_BLOCK) {
      const prev = at === 0 ? iv : out.subarray(at - CAMELLIA_BLOCK, at);
      for (let j = 0; j < CAMELLIA_BLOCK; j++) x[j] = data[at + j] ^ prev[j];
      out.set(k.encryptBlock(x), at);
    }
  } finally {
    x.fill(0);
    k.wipe();
  }
  return out;
}
