// Hashes over node:crypto: what the simulator and host use, and the reference
// the other providers are tested against.
import { createHash } from 'node:crypto';
import { makeHash } from '../../../protocol/hash.ts';
import type { Algorithm, HashSet } from '../../../protocol/hash.ts';

function nodeDigest(algorithm: Algorithm) {
  const name = algorithm === 'SHA1' ? 'sha1' : algorithm === 'SHA256' ? 'sha256' : 'sha512';
  return (message: Uint8Array) => new Uint8Array(createHash(name).update(message).digest());
}

export function nodeHashes(): HashSet {
  return {
    SHA1: makeHash('SHA1', nodeDigest('SHA1')),
    SHA256: makeHash('SHA256', nodeDigest('SHA256')),
    SHA512: makeHash('SHA512', nodeDigest('SHA512')),
  };
}
