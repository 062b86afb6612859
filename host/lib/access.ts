// The host side of the USB password (firmware/access.ts): derive the key with
// PBKDF2-SHA256 from the password and the token's salt, answer the token's
// per-session challenge with HMAC-SHA1. The password never crosses the wire.
import { hmacSha1, pbkdf2 } from './access-crypto.ts';
import { TokenError } from './errors.ts';

export const ACCESS_KEY_BYTES = 32;
/**
 * The iteration counts a host accepts from a token: no fewer than a weak
 * derivation, no more than a few seconds of work (a broken or hostile token
 * must not hang the host).
 */
export const MIN_PBKDF2_ITERATIONS = 10000;
export const MAX_PBKDF2_ITERATIONS = 10000000;

/** The access key for a password: PBKDF2 off the thread that keeps the session alive (see access-crypto.ts). */
export async function deriveAccessKey(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  if (!password) throw new TokenError('BAD_INPUT', 'empty password');
  if (!Number.isInteger(iterations) || iterations < MIN_PBKDF2_ITERATIONS || iterations > MAX_PBKDF2_ITERATIONS) {
    throw new TokenError('BAD_REPLY', `the token asks for ${iterations} PBKDF2 iterations; this host accepts ${MIN_PBKDF2_ITERATIONS} to ${MAX_PBKDF2_ITERATIONS}`);
  }
  if (salt.length < 16) throw new TokenError('BAD_REPLY', `the token's salt is ${salt.length} bytes; at least 16 are needed`);
  const utf8 = new TextEncoder().encode(password.normalize('NFC'));
  try {
    return await pbkdf2('sha256', utf8, salt, iterations, ACCESS_KEY_BYTES);
  } finally {
    utf8.fill(0); // the string itself cannot be wiped, only this copy
  }
}

export function answerChallenge(key: Uint8Array, challenge: Uint8Array): Uint8Array {
  return hmacSha1(key, challenge);
}
