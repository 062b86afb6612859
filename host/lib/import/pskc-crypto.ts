// The ciphers PSKC files use (RFC 6030 §6, XML Encryption 1.0/1.1, RFC 4051
// for Camellia), written once over a small provider of primitives
// (PskcCrypto): node:crypto for the CLI (pskc-crypto-node.ts), @noble/ciphers,
// @noble/hashes, des.js, camellia.ts and WebCrypto in the page (pskc-crypto-web.ts). The
// set and the algorithm aliases follow python-pskc (pskc/algorithms.py,
// pskc/encryption.py), the reference reader the import is tested against:
//   aes128/192/256-cbc, camellia128/192/256-cbc, tripledes-cbc: CBC with the IV
//     prepended (or given once in the file: drafts), PKCS#7/xmlenc padding;
//   kw-aes128/192/256, kw-camellia128/192/256: RFC 3394 key wrap (RFC 3657 for Camellia);
//   kw-tripledes: RFC 3217 (two CBC passes and a SHA-1 check);
//   rsa-oaep-mgf1p: RSA-OAEP (SHA-1, MGF1) with the recipient's private key (certificate files, §6.3).
// rsa-1_5 (PKCS#1 v1.5, RFC 6030 figure 8) is refused: its padding check is a
// decryption oracle (Bleichenbacher 1998; in timing, CVE-2023-46809, the Marvin
// attack), so node:crypto no longer decrypts it and WebCrypto never offered it;
// each provider says why in its own words (rsa15Refusal).
// This file imports no node: module (the page uses it).

/** The block ciphers PSKC names. */
export type BlockCipher = 'aes' | 'camellia' | 'des-ede3';
import type { HmacHash } from '../hashes/hmac-hash.ts';
export type { HmacHash };

/**
 * What the PSKC codec needs from a crypto library. Everything is async so a
 * provider can use WebCrypto. Keys and data are never kept. Padding, key-wrap
 * integrity values and MACs are checked by the codec, not the provider.
 */
export interface PskcCrypto {
  /** Names the library: "node:crypto", "this browser". */
  readonly name: string;
  /** Why RSA PKCS#1 v1.5 (xmlenc#rsa-1_5) is not decrypted, in this host's words: "which node:crypto refuses to decrypt because...". */
  readonly rsa15Refusal: string;
  /** CBC decryption without unpadding (`data` is whole blocks; a 3DES key is 24 bytes here). */
  cbcDecrypt(cipher: BlockCipher, key: Uint8Array, iv: Uint8Array, data: Uint8Array): Promise<Uint8Array>;
  /** One 16-byte block decrypted (ECB), for RFC 3394 key unwrap. */
  blockDecrypt(cipher: 'aes' | 'camellia', key: Uint8Array, block: Uint8Array): Promise<Uint8Array>;
  hmac(hash: HmacHash, key: Uint8Array, message: Uint8Array): Promise<Uint8Array>;
  sha1(data: Uint8Array): Promise<Uint8Array>;
  pbkdf2(hash: HmacHash, password: Uint8Array, salt: Uint8Array, iterations: number, length: number): Promise<Uint8Array>;
  /** Reads a PEM private key into whatever rsaOaepDecrypt takes; throws CipherRefusal saying why it cannot. */
  rsaPrivateKey(pem: string): Promise<RsaPrivateKey>;
  /** RSA-OAEP with SHA-1 and MGF1-SHA-1 (xmlenc#rsa-oaep-mgf1p); throws (anything) when it does not decrypt. */
  rsaOaepDecrypt(key: RsaPrivateKey, data: Uint8Array): Promise<Uint8Array>;
}

/** A provider's parsed private key (a KeyObject, a CryptoKey): opaque to the codec. */
export interface RsaPrivateKey {
  readonly rsaPrivateKey: unknown;
}

const ALIASES: { [name: string]: string } = {
  '3des-cbc': 'tripledes-cbc',
  '3des112-cbc': 'tripledes-cbc',
  '3des168-cbc': 'tripledes-cbc',
  'pbe-3des112-cbc': 'tripledes-cbc',
  'pbe-3des168-cbc': 'tripledes-cbc',
  'pbe-aes128-cbc': 'aes128-cbc',
  'pbe-aes192-cbc': 'aes192-cbc',
  'pbe-aes256-cbc': 'aes256-cbc',
  camellia128: 'camellia128-cbc',
  camellia192: 'camellia192-cbc',
  camellia256: 'camellia256-cbc',
  'kw-3des': 'kw-tripledes',
  'hmac-sha-1': 'hmac-sha1',
  'hmac-sha-224': 'hmac-sha224',
  'hmac-sha-256': 'hmac-sha256',
  'hmac-sha-384': 'hmac-sha384',
  'hmac-sha-512': 'hmac-sha512',
  'rsa-1_5': 'rsa-1_5',
  rsa_1_5: 'rsa-1_5',
};

/** The short name of an algorithm URI or draft-era name: 'aes128-cbc', 'kw-tripledes', 'hmac-sha1'... ('' for none). */
export function algorithmName(uri: string): string {
  const t = uri.trim();
  if (t === '' || t.toLowerCase() === 'none') return '';
  const lower = t.toLowerCase();
  if (ALIASES[lower]) return ALIASES[lower];
  const tail = lower.slice(lower.lastIndexOf('#') + 1);
  return ALIASES[tail] ?? tail;
}

interface Cipher {
  mode: 'cbc' | 'kw' | 'kw3des' | 'rsa';
  cipher: BlockCipher | null;
  keyLengths: number[];
  block: number;
}

const CIPHERS: { [name: string]: Cipher } = {
  'aes128-cbc': { mode: 'cbc', cipher: 'aes', keyLengths: [16], block: 16 },
  'aes192-cbc': { mode: 'cbc', cipher: 'aes', keyLengths: [24], block: 16 },
  'aes256-cbc': { mode: 'cbc', cipher: 'aes', keyLengths: [32], block: 16 },
  'camellia128-cbc': { mode: 'cbc', cipher: 'camellia', keyLengths: [16], block: 16 },
  'camellia192-cbc': { mode: 'cbc', cipher: 'camellia', keyLengths: [24], block: 16 },
  'camellia256-cbc': { mode: 'cbc', cipher: 'camellia', keyLengths: [32], block: 16 },
  'tripledes-cbc': { mode: 'cbc', cipher: 'des-ede3', keyLengths: [16, 24], block: 8 },
  'kw-aes128': { mode: 'kw', cipher: 'aes', keyLengths: [16], block: 16 },
  'kw-aes192': { mode: 'kw', cipher: 'aes', keyLengths: [24], block: 16 },
  'kw-aes256': { mode: 'kw', cipher: 'aes', keyLengths: [32], block: 16 },
  'kw-camellia128': { mode: 'kw', cipher: 'camellia', keyLengths: [16], block: 16 },
  'kw-camellia192': { mode: 'kw', cipher: 'camellia', keyLengths: [24], block: 16 },
  'kw-camellia256': { mode: 'kw', cipher: 'camellia', keyLengths: [32], block: 16 },
  'kw-tripledes': { mode: 'kw3des', cipher: 'des-ede3', keyLengths: [16, 24], block: 8 },
  'rsa-oaep-mgf1p': { mode: 'rsa', cipher: null, keyLengths: [], block: 0 },
};

/** Decryption failed the way a wrong key fails (padding, integrity check): the caller says "wrong password or key". */
export class WrongKeyError extends Error {}
/** The file asks for something that is not supported or is malformed: the message says what. */
export class CipherRefusal extends Error {}

export function isKeyWrap(name: string): boolean {
  const c = CIPHERS[name];
  return !!c && (c.mode === 'kw' || c.mode === 'kw3des');
}

export function isAsymmetric(name: string): boolean {
  return name === 'rsa-oaep-mgf1p' || name === 'rsa-1_5';
}

/** Check that `name` is a cipher we decrypt and `key` fits it, before any value is touched. */
export function checkCipher(crypto: PskcCrypto, name: string, uri: string, keyLength: number | null): void {
  if (name === 'rsa-1_5') {
    throw new CipherRefusal(`the file is encrypted to a certificate with RSA PKCS#1 v1.5 (xmlenc#rsa-1_5), ${crypto.rsa15Refusal}; ask the sender for RSA-OAEP (rsa-oaep-mgf1p), a pre-shared key or a password`);
  }
  const c = CIPHERS[name];
  if (!c) throw new CipherRefusal(`encryption algorithm '${uri || 'none given'}' is not supported (AES, Camellia and Triple DES in CBC or key wrap, and RSA-OAEP are)`);
  if (keyLength !== null && c.mode !== 'rsa' && c.keyLengths.indexOf(keyLength) < 0) {
    throw new CipherRefusal(`the key given is ${keyLength} bytes but ${name} needs ${c.keyLengths.join(' or ')}`);
  }
}

/**
 * RFC 3394 §2.2.2 key unwrap (index-based) for any 128-bit block cipher (RFC
 * 3657 uses it for Camellia), and its RFC 5649 padded form (integrity value
 * A65959A6 and the length), which wraps keys that are not a multiple of 8
 * bytes (a 20-byte HOTP seed): python-pskc's aeskw.unwrap accepts both.
 */
async function unwrapRfc3394(crypto: PskcCrypto, cipher: 'aes' | 'camellia', key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  if (data.length < 16 || data.length % 8 !== 0) throw new WrongKeyError('length');
  const decrypt = (block: Uint8Array) => crypto.blockDecrypt(cipher, key, block);
  const n = data.length / 8 - 1;
  let a: Uint8Array;
  const r: Uint8Array[] = [];
  if (n === 1) {
    const b = await decrypt(data); // RFC 5649 §4.2: one block, one decryption
    a = b.slice(0, 8);
    r.push(b.slice(8));
    b.fill(0);
  } else {
    a = data.slice(0, 8);
    for (let i = 0; i < n; i++) r.push(data.slice(8 + i * 8, 16 + i * 8));
    const block = new Uint8Array(16);
    for (let j = 5; j >= 0; j--) {
      for (let i = n; i >= 1; i--) {
        const t = n * j + i; // at most 6 * 2^29: exact in a double
        block.set(a, 0);
        for (let k = 0; k < 8; k++) block[7 - k] ^= Math.floor(t / 2 ** (8 * k)) & 0xff;
        block.set(r[i - 1], 8);
        const b = await decrypt(block);
        a = b.slice(0, 8);
        r[i - 1] = b.slice(8);
        b.fill(0);
      }
    }
    block.fill(0);
  }
  const out = new Uint8Array(n * 8);
  r.forEach((x, i) => {
    out.set(x, i * 8);
    x.fill(0);
  });
  if (n > 1 && a.every((x) => x === 0xa6)) return out;
  // RFC 5649 §3: A = A65959A6 || 32-bit length; the padding (fewer than 8 bytes) must be zeros.
  const mli = ((a[4] << 24) | (a[5] << 16) | (a[6] << 8) | a[7]) >>> 0;
  if (a[0] === 0xa6 && a[1] === 0x59 && a[2] === 0x59 && a[3] === 0xa6 && mli > 8 * (n - 1) && mli <= 8 * n && out.subarray(mli).every((x) => x === 0)) {
    const plain = new Uint8Array(out.subarray(0, mli));
    out.fill(0);
    return plain;
  }
  out.fill(0);
  throw new WrongKeyError('integrity check');
}

const RFC3217_IV = new Uint8Array([0x4a, 0xdd, 0xa2, 0x2c, 0x79, 0xe8, 0x21, 0x05]);

/** RFC 3217 §3.2 Triple-DES key unwrap (CMS): two CBC passes, a byte reversal, and an 8-byte SHA-1 checksum. */
async function unwrap3des(crypto: PskcCrypto, key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  if (data.length < 16 || data.length % 8 !== 0) throw new WrongKeyError('length');
  const k = tripleKey(key);
  try {
    const tmp = (await crypto.cbcDecrypt('des-ede3', k, RFC3217_IV, data)).reverse();
    const plain = await crypto.cbcDecrypt('des-ede3', k, tmp.subarray(0, 8), tmp.subarray(8));
    tmp.fill(0);
    const body = plain.slice(0, plain.length - 8);
    const check = (await crypto.sha1(body)).subarray(0, 8);
    const ok = sameBytes(plain.subarray(plain.length - 8), check);
    plain.fill(0);
    if (!ok) {
      body.fill(0);
      throw new WrongKeyError('checksum');
    }
    return body;
  } finally {
    if (k !== key) k.fill(0);
  }
}

/** Two-key Triple DES (16 bytes) is K1 K2 K1. */
function tripleKey(key: Uint8Array): Uint8Array {
  if (key.length !== 16) return key;
  const k = new Uint8Array(24);
  k.set(key, 0);
  k.set(key.subarray(0, 8), 16);
  return k;
}

/** Equal bytes, in time that depends only on the length (MACs, checksums). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

/** A key for decrypt(): the bytes of a shared key, or a provider's parsed private key. */
export type PskcKeyMaterial = Uint8Array | RsaPrivateKey;

/**
 * Decrypt one value. `iv` is the file-wide IV of draft-era files (else the IV
 * is the first block of `data`). Throws WrongKeyError for what a wrong key
 * causes, CipherRefusal for what is unsupported.
 */
export async function decrypt(crypto: PskcCrypto, name: string, uri: string, key: PskcKeyMaterial, data: Uint8Array, iv: Uint8Array | null): Promise<Uint8Array> {
  const c = CIPHERS[name];
  checkCipher(crypto, name, uri, key instanceof Uint8Array ? key.length : null);
  if (c.mode === 'rsa') {
    // The reader checks this first with its host's words (pskc.ts decryptWith); this is for direct callers.
    if (key instanceof Uint8Array) throw new CipherRefusal('the file is encrypted to a certificate: it needs a private key, not a shared key');
    try {
      return await crypto.rsaOaepDecrypt(key, data);
    } catch {
      throw new WrongKeyError('rsa');
    }
  }
  if (!(key instanceof Uint8Array)) throw new CipherRefusal(`a private key was given but the values are encrypted with ${name}`);
  if (c.mode === 'kw') return unwrapRfc3394(crypto, c.cipher as 'aes' | 'camellia', key, data);
  if (c.mode === 'kw3des') return unwrap3des(crypto, key, data);
  let ivBytes = iv;
  let body = data;
  if (!ivBytes) {
    ivBytes = data.subarray(0, c.block);
    body = data.subarray(c.block);
  }
  if (ivBytes.length !== c.block || body.length === 0 || body.length % c.block !== 0) throw new WrongKeyError('length');
  const k = c.cipher === 'des-ede3' ? tripleKey(key) : key;
  const plain = await crypto.cbcDecrypt(c.cipher as BlockCipher, k, ivBytes, body);
  if (k !== key) k.fill(0);
  // PKCS#7 padding, checked whole (python-pskc's unpadder does the same).
  const pad = plain[plain.length - 1];
  if (pad < 1 || pad > c.block || !plain.subarray(plain.length - pad).every((x) => x === pad)) {
    plain.fill(0);
    throw new WrongKeyError('padding');
  }
  const out = new Uint8Array(plain.subarray(0, plain.length - pad));
  plain.fill(0);
  return out;
}

/** The hash of an HMAC algorithm name ('hmac-sha256' -> 'sha256'), or null. */
export function hmacHash(name: string): HmacHash | null {
  const m = /^hmac-(sha1|sha224|sha256|sha384|sha512)$/.exec(name);
  return m ? (m[1] as HmacHash) : null;
}
