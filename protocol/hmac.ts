// HMAC (RFC 2104) over any Hash. Pads and derived keys are wiped after use.
import type { Hash } from './hash.ts';
import { wipe } from './bytes.ts';

export function hmac(hash: Hash, key: Uint8Array, message: Uint8Array): Uint8Array {
  const B = hash.blockLen;
  // RFC 2104 §2: keys longer than the block are hashed first.
  const k = key.length > B ? hash.digest(key) : key;
  const inner = new Uint8Array(B + message.length);
  const outer = new Uint8Array(B + hash.outputLen);
  for (let i = 0; i < B; i++) {
    const kb = i < k.length ? k[i] : 0;
    inner[i] = kb ^ 0x36;
    outer[i] = kb ^ 0x5c;
  }
  inner.set(message, B);
  const innerHash = hash.digest(inner);
  outer.set(innerHash, B);
  const mac = hash.digest(outer);
  wipe(inner);
  wipe(outer);
  wipe(innerHash);
  if (k !== key) wipe(k);
  return mac;
}
