// HMAC (RFC 2104) over any Hash. Pads and derived keys are wiped after use.
import type { Hash } from './hash.ts';
import { wipe } from './bytes.ts';

export function hmac(hash: Hash, key: Uint8Array, message: Uint8Array): Uint8Array {
  const B = hash.blockLen;
  // RFC 2104 §2: keys longer than the block are hashed first.
  const k = key.length > B ? hash.digest(key) : key;
  const inner = new Uint8Array(B + message.length);
  for (let i = 0; i < B; i++) inner[i] = (i < k.length ? k[i] : 0) ^ 0x36;
  inner.set(message, B);
  const innerHash = hash.digest(inner);
  // The outer pad is the key ^ 0x5c, i.e. the inner pad ^ 0x36 ^ 0x5c; sized by
  // the digest just made, so a Hash need not declare its output length.
  const outer = new Uint8Array(B + innerHash.length);
  for (let i = 0; i < B; i++) outer[i] = inner[i] ^ 0x6a;
  outer.set(innerHash, B);
  const mac = hash.digest(outer);
  wipe(inner);
  wipe(outer);
  wipe(innerHash);
  if (k !== key) wipe(k);
  return mac;
}
