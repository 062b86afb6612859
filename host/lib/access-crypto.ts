// The two primitives of the USB password (access.ts), over node:crypto: its
// native PBKDF2 takes ~0.2 s for the token's 600,000 iterations, where pure
// JS takes seconds. The web page's build swaps in access-crypto-noble.ts.
import { createHmac, pbkdf2Sync } from 'node:crypto';

export function pbkdf2Sha256(password: string, salt: Uint8Array, iterations: number, bytes: number): Uint8Array {
  return new Uint8Array(pbkdf2Sync(password, salt, iterations, bytes, 'sha256'));
}

export function hmacSha1(key: Uint8Array, message: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac('sha1', key).update(message).digest());
}
