// PBKDF2 (RFC 8018 §5.2) for the CLI: node:crypto's, which runs on libuv's
// thread pool, so the event loop, and the link's keep-alive pings, go on
// while it works (600,000 iterations are a good part of a second on a slow
// machine; the token ends a session after 10 s without a frame).
import { pbkdf2 as nodePbkdf2 } from 'node:crypto';

import type { HmacHash } from './hmac-hash.ts';

/** The derived key as the only copy: node:crypto's Buffer viewed, not copied, so the caller's fill(0) wipes it (test/host/pbkdf2-node-wipe.test.ts). */
export function pbkdf2(hash: HmacHash, password: Uint8Array, salt: Uint8Array, iterations: number, length: number): Promise<Uint8Array> {
  return new Promise((ok, fail) => nodePbkdf2(password, salt, iterations, length, hash, (err, key) => (err ? fail(err) : ok(new Uint8Array(key.buffer, key.byteOffset, key.byteLength)))));
}
