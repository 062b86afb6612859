// The hash seam. HMAC, HOTP and TOTP take a Hash, so Espruino's native SHA,
// Moddable's Digest, node:crypto, @noble/hashes and our pure-TS fallback all
// plug into the same code.

export type Algorithm = 'SHA1' | 'SHA256' | 'SHA512';

export const ALGORITHMS: Algorithm[] = ['SHA1', 'SHA256', 'SHA512'];

export interface Hash {
  readonly algorithm: Algorithm;
  /** Block size in bytes (64 for SHA1/SHA256, 128 for SHA512): HMAC pads the key to it. */
  readonly blockLen: number;
  digest(message: Uint8Array): Uint8Array;
}

/** The hashes one runtime can compute; a board without SHA512 simply lacks the key. */
export interface HashSet {
  SHA1?: Hash;
  SHA256?: Hash;
  SHA512?: Hash;
}

export function makeHash(algorithm: Algorithm, digest: (message: Uint8Array) => Uint8Array): Hash {
  return { algorithm: algorithm, blockLen: algorithm === 'SHA512' ? 128 : 64, digest: digest };
}

export function parseAlgorithm(name: string): Algorithm | null {
  const n = String(name).toUpperCase().replace('-', '');
  return n === 'SHA1' || n === 'SHA256' || n === 'SHA512' ? n : null;
}

export function algorithmsOf(hashes: HashSet): Algorithm[] {
  return ALGORITHMS.filter((a) => !!hashes[a]);
}
