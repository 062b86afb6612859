// Hashes over @noble/hashes (audited, pure JS): for hosts without node:crypto.
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { makeHash } from '../../../protocol/hash.ts';
import type { HashSet } from '../../../protocol/hash.ts';

export function nobleHashes(): HashSet {
  return {
    SHA1: makeHash('SHA1', (m) => sha1(m)),
    SHA256: makeHash('SHA256', (m) => sha256(m)),
    SHA512: makeHash('SHA512', (m) => sha512(m)),
  };
}
