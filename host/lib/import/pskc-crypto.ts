// The ciphers PSKC files use (RFC 6030 §6, XML Encryption 1.0/1.1, RFC 4051
// for Camellia), all with node:crypto primitives. The set and the algorithm
// aliases follow python-pskc (pskc/algorithms.py, pskc/encryption.py), the
// reference reader the import is tested against:
//   aes128/192/256-cbc, camellia128/192/256-cbc, tripledes-cbc: CBC with the IV
//     prepended (or given once in the file: drafts), PKCS#7/xmlenc padding;
//   kw-aes128/192/256, kw-camellia128/192/256: RFC 3394 key wrap (RFC 3657 for Camellia);
//   kw-tripledes: RFC 3217 (two CBC passes and a SHA-1 check);
//   rsa-oaep-mgf1p: RSA-OAEP (SHA-1, MGF1) with the recipient's private key (certificate files, §6.3).
// rsa-1_5 (PKCS#1 v1.5, RFC 6030 figure 8) is refused: node:crypto no longer
// decrypts it (CVE-2023-46809, the Marvin timing attack) and it cannot be made safe.
import { constants, createCipheriv, createDecipheriv, createHash, privateDecrypt } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

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
  /** node:crypto name of the block cipher in ECB (for key wrap) or CBC. */
  node: string;
  keyLengths: number[];
  block: number;
}

const CIPHERS: { [name: string]: Cipher } = {
  'aes128-cbc': { mode: 'cbc', node: 'aes-128-cbc', keyLengths: [16], block: 16 },
  'aes192-cbc': { mode: 'cbc', node: 'aes-192-cbc', keyLengths: [24], block: 16 },
  'aes256-cbc': { mode: 'cbc', node: 'aes-256-cbc', keyLengths: [32], block: 16 },
  'camellia128-cbc': { mode: 'cbc', node: 'camellia-128-cbc', keyLengths: [16], block: 16 },
  'camellia192-cbc': { mode: 'cbc', node: 'camellia-192-cbc', keyLengths: [24], block: 16 },
  'camellia256-cbc': { mode: 'cbc', node: 'camellia-256-cbc', keyLengths: [32], block: 16 },
  'tripledes-cbc': { mode: 'cbc', node: 'des-ede3-cbc', keyLengths: [16, 24], block: 8 },
  'kw-aes128': { mode: 'kw', node: 'aes-128-ecb', keyLengths: [16], block: 16 },
  'kw-aes192': { mode: 'kw', node: 'aes-192-ecb', keyLengths: [24], block: 16 },
  'kw-aes256': { mode: 'kw', node: 'aes-256-ecb', keyLengths: [32], block: 16 },
  'kw-camellia128': { mode: 'kw', node: 'camellia-128-ecb', keyLengths: [16], block: 16 },
  'kw-camellia192': { mode: 'kw', node: 'camellia-192-ecb', keyLengths: [24], block: 16 },
  'kw-camellia256': { mode: 'kw', node: 'camellia-256-ecb', keyLengths: [32], block: 16 },
  'kw-tripledes': { mode: 'kw3des', node: 'des-ede3-cbc', keyLengths: [16, 24], block: 8 },
  'rsa-oaep-mgf1p': { mode: 'rsa', node: '', keyLengths: [], block: 0 },
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
export function checkCipher(name: string, uri: string, keyLength: number | null): void {
  if (name === 'rsa-1_5') {
    throw new CipherRefusal(
      'the file is encrypted to a certificate with RSA PKCS#1 v1.5 (xmlenc#rsa-1_5), which node:crypto refuses to decrypt because it cannot be done safely (CVE-2023-46809, the Marvin attack); ask the sender for RSA-OAEP (rsa-oaep-mgf1p), a pre-shared key or a password',
    );
  }
  const c = CIPHERS[name];
  if (!c) throw new CipherRefusal(`encryption algorithm '${uri || 'none given'}' is not supported (AES, Camellia and Triple DES in CBC or key wrap, and RSA-OAEP are)`);
  if (keyLength !== null && c.mode !== 'rsa' && c.keyLengths.indexOf(keyLength) < 0) {
    throw new CipherRefusal(`the key given is ${keyLength} bytes but ${name} needs ${c.keyLengths.join(' or ')}`);
  }
}

function ecb(node: string, key: Uint8Array, encrypt: boolean): (block: Uint8Array) => Uint8Array {
  return (block) => {
    const c = encrypt ? createCipheriv(node, key, null) : createDecipheriv(node, key, null);
    c.setAutoPadding(false);
    return new Uint8Array(Buffer.concat([c.update(block), c.final()]));
  };
}

/**
 * RFC 3394 §2.2.2 key unwrap (index-based) for any 128-bit block cipher (RFC
 * 3657 uses it for Camellia), and its RFC 5649 padded form (integrity value
 * A65959A6 and the length), which wraps keys that are not a multiple of 8
 * bytes (a 20-byte HOTP seed): python-pskc's aeskw.unwrap accepts both.
 */
function unwrapRfc3394(node: string, key: Uint8Array, data: Uint8Array): Uint8Array {
  if (data.length < 16 || data.length % 8 !== 0) throw new WrongKeyError('length');
  const decrypt = ecb(node, key, false);
  const n = data.length / 8 - 1;
  let a: Uint8Array;
  const r: Uint8Array[] = [];
  if (n === 1) {
    const b = decrypt(data); // RFC 5649 §4.2: one block, one decryption
    a = b.slice(0, 8);
    r.push(b.slice(8));
  } else {
    a = data.slice(0, 8);
    for (let i = 0; i < n; i++) r.push(data.slice(8 + i * 8, 16 + i * 8));
    for (let j = 5; j >= 0; j--) {
      for (let i = n; i >= 1; i--) {
        const t = BigInt(n * j + i);
        const ax = new Uint8Array(a);
        for (let k = 0; k < 8; k++) ax[7 - k] ^= Number((t >> BigInt(8 * k)) & 0xffn);
        const b = decrypt(new Uint8Array([...ax, ...r[i - 1]]));
        a = b.slice(0, 8);
        r[i - 1] = b.slice(8);
      }
    }
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

const RFC3217_IV = Buffer.from('4adda22c79e82105', 'hex');

/** RFC 3217 §3.2 Triple-DES key unwrap (CMS): two CBC passes, a byte reversal, and an 8-byte SHA-1 checksum. */
function unwrap3des(key: Uint8Array, data: Uint8Array): Uint8Array {
  if (data.length < 16 || data.length % 8 !== 0) throw new WrongKeyError('length');
  const pass = (iv: Uint8Array, input: Uint8Array): Uint8Array => {
    const d = createDecipheriv('des-ede3-cbc', tripleKey(key), iv);
    d.setAutoPadding(false);
    return new Uint8Array(Buffer.concat([d.update(input), d.final()]));
  };
  const tmp = pass(RFC3217_IV, data).reverse();
  const plain = pass(tmp.subarray(0, 8), tmp.subarray(8));
  const body = plain.subarray(0, plain.length - 8);
  const check = createHash('sha1').update(body).digest().subarray(0, 8);
  if (!Buffer.from(plain.subarray(plain.length - 8)).equals(check)) throw new WrongKeyError('checksum');
  return new Uint8Array(body);
}

/** Two-key Triple DES (16 bytes) is K1 K2 K1. */
function tripleKey(key: Uint8Array): Uint8Array {
  return key.length === 16 ? new Uint8Array([...key, ...key.subarray(0, 8)]) : key;
}

/**
 * Decrypt one value. `iv` is the file-wide IV of draft-era files (else the IV
 * is the first block of `data`). Throws WrongKeyError for what a wrong key
 * causes, CipherRefusal for what is unsupported.
 */
export function decrypt(name: string, uri: string, key: Uint8Array | KeyObject, data: Uint8Array, iv: Uint8Array | null): Uint8Array {
  const c = CIPHERS[name];
  checkCipher(name, uri, key instanceof Uint8Array ? key.length : null);
  if (c.mode === 'rsa') {
    if (key instanceof Uint8Array) throw new CipherRefusal('the file is encrypted to a certificate: give the private key (--private-key)');
    try {
      return new Uint8Array(privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, data));
    } catch {
      throw new WrongKeyError('rsa');
    }
  }
  if (!(key instanceof Uint8Array)) throw new CipherRefusal(`a private key was given but the values are encrypted with ${name}`);
  if (c.mode === 'kw') return unwrapRfc3394(c.node, key, data);
  if (c.mode === 'kw3des') return unwrap3des(key, data);
  let ivBytes = iv;
  let body = data;
  if (!ivBytes) {
    ivBytes = data.subarray(0, c.block);
    body = data.subarray(c.block);
  }
  if (ivBytes.length !== c.block || body.length === 0 || body.length % c.block !== 0) throw new WrongKeyError('length');
  const d = createDecipheriv(c.node, c.node.startsWith('des') ? tripleKey(key) : key, ivBytes);
  d.setAutoPadding(false);
  const plain = new Uint8Array(Buffer.concat([d.update(body), d.final()]));
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

/** RFC 3394 wrap, only for tests and the writer: the reader never encrypts. */
export function wrapRfc3394(node: string, key: Uint8Array, plain: Uint8Array): Uint8Array {
  const encrypt = ecb(node, key, true);
  const n = plain.length / 8;
  let a: Uint8Array = new Uint8Array(8).fill(0xa6);
  const r: Uint8Array[] = [];
  for (let i = 0; i < n; i++) r.push(plain.slice(i * 8, i * 8 + 8));
  for (let j = 0; j <= 5; j++) {
    for (let i = 1; i <= n; i++) {
      const b = encrypt(new Uint8Array([...a, ...r[i - 1]]));
      const t = BigInt(n * j + i);
      a = b.slice(0, 8);
      for (let k = 0; k < 8; k++) a[7 - k] ^= Number((t >> BigInt(8 * k)) & 0xffn);
      r[i - 1] = b.slice(8);
    }
  }
  return new Uint8Array([...a, ...r.flatMap((x) => Array.from(x))]);
}

/** The hash of an HMAC algorithm name ('hmac-sha256' -> 'sha256'), or null. */
export function hmacHash(name: string): string | null {
  const m = /^hmac-(sha1|sha224|sha256|sha384|sha512)$/.exec(name);
  return m ? m[1] : null;
}
