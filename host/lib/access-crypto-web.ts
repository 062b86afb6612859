// access-crypto.ts for the web page: PBKDF2 from WebCrypto, off the page's
// thread (or @noble/hashes' HMAC in a loop that yields to the page's timers
// without a secure context; both in
// hashes/pbkdf2-web.ts), so the page's pings keep its session while it
// works; HMAC-SHA1 from @noble/hashes (audited, pure JS), one block per
// unlock. test/host/access-web.test.ts checks both against node:crypto.
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';

export { pbkdf2 } from './hashes/pbkdf2-web.ts';

export function hmacSha1(key: Uint8Array, message: Uint8Array): Uint8Array {
  return hmac(sha1, key, message);
}
