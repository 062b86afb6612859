// Moddable's native digests (crypt's Digest, C code from the SDK's kcl) as
// Hash objects. HMAC stays in protocol/hmac.ts over them, as on every port.
import { Digest } from 'crypt';
import { makeHash } from '../../../protocol/hash.ts';
import type { Algorithm, HashSet } from '../../../protocol/hash.ts';

function digestOf(algorithm: Algorithm): (message: Uint8Array) => Uint8Array {
  return (message: Uint8Array) => {
    const d = new Digest(algorithm);
    // write() reads a view in place (xsmcGetBufferReadable honours its offset and length).
    if (message.length > 0) d.write(message);
    return new Uint8Array(d.close());
  };
}

export function moddableHashes(algorithms: Algorithm[]): HashSet {
  const out: HashSet = {};
  for (let i = 0; i < algorithms.length; i++) out[algorithms[i]] = makeHash(algorithms[i], digestOf(algorithms[i]));
  return out;
}
