// PBKDF2 (RFC 8018 §5.2) for the web page: WebCrypto's deriveBits, native and
// off the page's thread, where it has the PRF and a secure context; else
// @noble/hashes' pbkdf2Async, which yields to the page between rounds. Either
// way the page's keep-alive pings go on while it works: a page that derived
// on its own thread for 20 s (a slow machine) lost its session to the token's
// 10 s silence limit before it could answer (test/web/web-serial.test.ts).
import { sha1 } from '@noble/hashes/legacy.js';
import { pbkdf2Async } from '@noble/hashes/pbkdf2.js';
import { sha224, sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import type { HmacHash } from './hmac-hash.ts';

const HASHES = { sha1, sha224, sha256, sha384, sha512 };

/**
 * WebCrypto's names for the PBKDF2 PRFs it has (W3C Web Cryptography API,
 * §29 PBKDF2 and §30 SHA: "SHA-1", "SHA-256", "SHA-384", "SHA-512"); it has
 * no SHA-224, which RFC 6030 files may name (HMAC-SHA224 is in RFC 4231).
 */
const WEBCRYPTO_HASH: { [h in HmacHash]?: string } = { sha1: 'SHA-1', sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' };

/** Whether the page's PBKDF2 runs natively (WebCrypto) for this PRF: the page says how long it may take when it does not. */
export function nativePbkdf2(hash: HmacHash): boolean {
  return WEBCRYPTO_HASH[hash] !== undefined && globalThis.crypto?.subtle !== undefined;
}

export async function pbkdf2(hash: HmacHash, password: Uint8Array, salt: Uint8Array, iterations: number, length: number): Promise<Uint8Array> {
  const name = WEBCRYPTO_HASH[hash];
  const s = globalThis.crypto?.subtle;
  // Without a secure context (a plain-http static host) there is no subtle: the JavaScript PBKDF2 gives the same bytes, slower.
  if (name === undefined || s === undefined) return pbkdf2Async(HASHES[hash], password, salt, { c: iterations, dkLen: length });
  // A copy with an ArrayBuffer, as WebCrypto's BufferSource wants; importKey copies the bytes (the spec's "a copy of the bytes held by keyData"), so ours is wiped at once.
  const copy = new Uint8Array(password);
  let key: CryptoKey;
  try {
    key = await s.importKey('raw', copy, 'PBKDF2', false, ['deriveBits']);
  } finally {
    copy.fill(0);
  }
  return new Uint8Array(await s.deriveBits({ name: 'PBKDF2', hash: name, salt: new Uint8Array(salt), iterations }, key, length * 8));
}
