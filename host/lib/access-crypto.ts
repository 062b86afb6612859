// The two primitives of the USB password (access.ts), over node:crypto. Its
// PBKDF2 runs off the event loop (hashes/pbkdf2-node.ts), so the link keeps
// pinging the token while the 600,000 iterations run. The web page's build
// swaps in access-crypto-web.ts.
import { createHmac } from 'node:crypto';

export { pbkdf2 } from './hashes/pbkdf2-node.ts';

export function hmacSha1(key: Uint8Array, message: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac('sha1', key).update(message).digest());
}
