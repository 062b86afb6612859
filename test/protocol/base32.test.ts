import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode } from '../../protocol/base32.ts';
import { toHex } from '../../protocol/bytes.ts';
import { loadVectors } from '../helpers/vectors.ts';

interface Base32Vectors {
  valid: { note: string; input: string; hex: string; canonical?: string }[];
  invalid: { note: string; input: string; error: string; message_includes?: string; message_excludes?: string }[];
}
const vectors = loadVectors<Base32Vectors>('base32.json');

describe('base32 (RFC 4648)', () => {
  for (const v of vectors.valid) {
    it(`decodes: ${v.note}`, () => {
      expect(toHex(base32Decode(v.input))).toBe(v.hex);
      // Node's Buffer has no base32; cross-check the encoder against the canonical form instead.
      if (v.canonical) expect(base32Encode(base32Decode(v.input))).toBe(v.canonical);
    });
  }

  for (const v of vectors.invalid) {
    it(`rejects: ${v.note}`, () => {
      let caught: unknown;
      try {
        base32Decode(v.input);
      } catch (e) {
        caught = e;
      }
      expect(caught, 'must throw').toBeInstanceOf(Error);
      const err = caught as Error & { code?: string };
      expect(err.code).toBe(v.error);
      expect(err.message).toMatch(/^base32: /);
      if (v.message_includes) expect(err.message).toContain(v.message_includes);
      if (v.message_excludes) expect(err.message, v.note).not.toContain(v.message_excludes); // a valid key character is never quoted
    });
  }

  it('round-trips every length from 0 to 80 bytes, padded and unpadded', () => {
    for (let n = 1; n <= 80; n++) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 37 + n * 11) & 0xff);
      const padded = base32Encode(bytes);
      expect(padded.length % 8).toBe(0);
      expect(base32Decode(padded)).toEqual(bytes);
      const bare = base32Encode(bytes, false);
      expect(bare).not.toContain('=');
      expect(base32Decode(bare)).toEqual(bytes);
    }
    expect(base32Encode(new Uint8Array(0))).toBe('');
  });

  it('encodes a 40-byte AWS seed to exactly 64 characters without padding', () => {
    expect(base32Encode(new Uint8Array(40).fill(0xa5))).toHaveLength(64);
  });

  it('gives a coded error, not a TypeError, for non-string input', () => {
    for (const bad of [undefined, null, 42, {}, new Uint8Array(2)]) {
      expect(() => base32Decode(bad as unknown as string)).toThrow(/base32: expected a string/);
    }
  });
});
