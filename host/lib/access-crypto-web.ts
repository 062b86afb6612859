// access-crypto.ts for the web page: PBKDF2 from WebCrypto, off the page's
// thread (or @noble/hashes' pbkdf2Async without a secure context; both in
// hashes/pbkdf2-web.ts), so the page's pings keep its session while it
// works; HMAC-SHA1 from @noble/hashes (audited, pure JS), one block per
// unlock. test/host/access-web.test.ts checks both against node:crypto.
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { pbkdf2 } from './hashes/pbkdf2-web.ts';

export async function pbkdf2Sha256(password: string, salt: Uint8Array, iterations: number, bytes: number): Promise<Uint8Array> {
  const utf8 = new TextEncoder().encode(password);
  try {
    return await pbkdf2('sha256', utf8, salt, iterations, bytes);
  } finally {
    utf8.fill(0); // the string itself cannot be wiped, only this copy
  }
}

export function hmacSha1(key: Uint8Array, message: Uint8Array): Uint8Array {
  return hmac(sha1, key, message);
}
