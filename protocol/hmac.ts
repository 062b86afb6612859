// HMAC (RFC 2104) over any Hash. Pads and derived keys are wiped after use.
// The pads start as fills (native) and only the key's own bytes are XORed in,
// so a 20-byte key costs 40 interpreted steps, not 128 (the Espruino build
// uses firmware/ports/espruino/native-hmac.ts, all native).
import type { Hash } from './hash.ts';
import { wipe } from './bytes.ts';

export function hmac(hash: Hash, key: Uint8Array, message: Uint8Array): Uint8Array {
  const B = hash.blockLen;
  // RFC 2104 §2: keys longer than the block are hashed first.
  const k = key.length > B ? hash.digest(key) : key;
  const n = k.length;
  const inner = new Uint8Array(B + message.length);
  inner.fill(0x36, 0, B); // the zero padding of a short key, already XORed
  for (let i = 0; i < n; i++) inner[i] = k[i] ^ 0x36;
  inner.set(message, B);
  const innerHash = hash.digest(inner);
  // Sized by the digest just made, so a Hash need not declare its output length.
  const outer = new Uint8Array(B + innerHash.length);
  outer.fill(0x5c, 0, B);
  for (let i = 0; i < n; i++) outer[i] = k[i] ^ 0x5c;
  outer.set(innerHash, B);
  const mac = hash.digest(outer);
  wipe(inner);
  wipe(outer);
  wipe(innerHash);
  if (k !== key) wipe(k);
  return mac;
}
