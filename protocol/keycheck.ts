// Key check: how a device proves it stored the seed the host sent, without
// revealing the seed or any code. It is an HMAC of a fixed label (not an
// 8-byte counter, so it can never equal an HOTP input) under the seed, cut
// to 8 bytes. The host computes the same value from the seed it sent.
import type { Hash } from './hash.ts';
import { hmac } from './hmac.ts';
import { wipe } from './bytes.ts';
import { latin1Bytes } from './latin1.ts';

export const KEY_CHECK_LABEL = 'totp-token key check v1';
export const KEY_CHECK_BYTES = 8;

export function keyCheckValue(hash: Hash, secret: Uint8Array): Uint8Array {
  // The label is ASCII, so its UTF-8 bytes are its character codes.
  const mac = hmac(hash, secret, latin1Bytes(KEY_CHECK_LABEL));
  // subarray+copy, not slice: on Espruino a typed array's slice() returns a plain Array.
  const out = new Uint8Array(mac.subarray(0, KEY_CHECK_BYTES));
  wipe(mac);
  return out;
}
