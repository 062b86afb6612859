// access-crypto.ts for the web page: @noble/hashes (audited, pure JS), which
// the browser can run synchronously. Slower than node:crypto (seconds for
// 600,000 iterations), once per unlock. test/host checks it against node:crypto.
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { pbkdf2 } from '@noble/hashes/pbkdf2.js';
import { sha256 } from '@noble/hashes/sha2.js';

export function pbkdf2Sha256(password: string, salt: Uint8Array, iterations: number, bytes: number): Uint8Array {
  return pbkdf2(sha256, new TextEncoder().encode(password), salt, { c: iterations, dkLen: bytes });
}

export function hmacSha1(key: Uint8Array, message: Uint8Array): Uint8Array {
  return hmac(sha1, key, message);
}
