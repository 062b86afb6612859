// The pure-JavaScript hash set: correct everywhere, fast nowhere. Ports use
// native hashes where the board has them and fall back to these per algorithm.
import { makeHash } from './hash.ts';
import type { HashSet } from './hash.ts';
import { sha1 } from './sha1.ts';
import { sha256 } from './sha256.ts';
import { sha512 } from './sha512.ts';

export function pureHashes(): HashSet {
  return {
    SHA1: makeHash('SHA1', sha1),
    SHA256: makeHash('SHA256', sha256),
    SHA512: makeHash('SHA512', sha512),
  };
}
