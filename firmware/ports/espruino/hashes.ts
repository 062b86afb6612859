// Espruino's native SHA (require("crypto")) wrapped as Hash objects. Natives
// return an ArrayBuffer; HMAC over them is ~15x faster than pure JS on the
// Linux build. Boards lacking one fall back to the pure implementation.
import { makeHash } from '../../../protocol/hash.ts';
import type { Algorithm, HashSet } from '../../../protocol/hash.ts';

// Through `global` for the reason in storage.ts.
declare const global: { require(name: 'crypto'): { [name: string]: ((data: Uint8Array) => ArrayBuffer) | undefined } };

/** Hashes the firmware provides natively, for the algorithms named. */
export function espruinoNativeHashes(algorithms: Algorithm[]): HashSet {
  const crypto = global.require('crypto');
  const out: HashSet = {};
  for (const alg of algorithms) {
    const fn = crypto[alg];
    if (fn) out[alg] = makeHash(alg, (m: Uint8Array) => new Uint8Array(fn(m)));
  }
  return out;
}
