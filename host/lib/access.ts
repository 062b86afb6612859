// The host side of the USB password (firmware/access.ts): derive the key with
// PBKDF2-SHA256 from the password and the token's salt, answer the token's
// per-session challenge with HMAC-SHA1. The password never crosses the wire.
import { createHmac, pbkdf2Sync } from 'node:crypto';

export const ACCESS_KEY_BYTES = 32;

export function deriveAccessKey(password: string, salt: Uint8Array, iterations: number): Uint8Array {
  if (!password) throw new Error('empty password');
  return new Uint8Array(pbkdf2Sync(password.normalize('NFC'), salt, iterations, ACCESS_KEY_BYTES, 'sha256'));
}

export function answerChallenge(key: Uint8Array, challenge: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac('sha1', key).update(challenge).digest());
}
