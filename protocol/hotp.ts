// HOTP (RFC 4226 §5). The counter is a JavaScript number used exactly up to
// 2^53 - 1: it is split into two 32-bit halves with division, never with
// 32-bit shifts, so counters past 2^32 (and times past 2038) are right.
import type { Hash } from './hash.ts';
import { hmac } from './hmac.ts';
import { assertBytes, assertInteger, getWord, MAX_WHOLE, putWord, wipe } from './bytes.ts';

export const MAX_COUNTER = MAX_WHOLE;
export const MIN_DIGITS = 6;
export const MAX_DIGITS = 10;
export const MAX_SECRET_BYTES = 128;
const TWO_32 = 4294967296;

/** The 8-byte big-endian counter message of RFC 4226 §5.1. */
export function counterBytes(counter: number): Uint8Array {
  const hi = Math.floor(counter / TWO_32);
  const lo = counter - hi * TWO_32;
  const out = new Uint8Array(8);
  putWord(out, 0, hi);
  putWord(out, 4, lo);
  return out;
}

/** Dynamic truncation (RFC 4226 §5.3): a 31-bit number from the MAC. */
export function dynamicTruncate(mac: Uint8Array): number {
  // The top bit cleared as `<< 1 >>> 1` (the same as `& 0x7fffffff` on a 32-bit
  // word): 4 bytes stored on Espruino, where the constant is 11 (past 32767 it is text).
  return (getWord(mac, mac[mac.length - 1] & 0x0f) << 1) >>> 1;
}

export function formatCode(value: number, digits: number): string {
  // 10^digits parsed from its decimal form (exact; Math.pow is not on
  // Espruino); the zeros cover a 10-digit code of a 31-bit value.
  return ('0000000000' + (value % Number('1e' + digits))).slice(-digits);
}

/** HOTP with every argument checked (a coded BAD_ARGUMENT error names the bad one). */
export function hotp(hash: Hash, secret: Uint8Array, counter: number, digits: number): string {
  assertBytes(secret, 'secret', 1, MAX_SECRET_BYTES);
  assertInteger(counter, 'counter', 0, MAX_COUNTER);
  assertInteger(digits, 'digits', MIN_DIGITS, MAX_DIGITS);
  return hotpChecked(hash, secret, counter, digits);
}

/**
 * HOTP for arguments already checked where they entered: the firmware checks
 * an account once, when it is added, and then computes with this, so its
 * bundle carries neither the checks twice nor their messages.
 */
export function hotpChecked(hash: Hash, secret: Uint8Array, counter: number, digits: number): string {
  const mac = hmac(hash, secret, counterBytes(counter));
  const code = formatCode(dynamicTruncate(mac), digits);
  wipe(mac);
  return code;
}
