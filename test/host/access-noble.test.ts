// The web page's USB password primitives (host/lib/access-crypto-noble.ts,
// @noble/hashes) against the CLI's (access-crypto.ts, node:crypto).
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as nodeForm from '../../host/lib/access-crypto.ts';
import * as nobleForm from '../../host/lib/access-crypto-noble.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('USB password primitives: the web form matches node:crypto', () => {
  it('PBKDF2-SHA256 and HMAC-SHA1', () => {
    for (const password of ['correct horse', 'pässwörd', '\u00e9']) {
      const salt = new Uint8Array(randomBytes(16));
      const key = nobleForm.pbkdf2Sha256(password, salt, 2000, 32);
      expect(hex(key)).toBe(hex(nodeForm.pbkdf2Sha256(password, salt, 2000, 32)));
      const challenge = new Uint8Array(randomBytes(20));
      expect(hex(nobleForm.hmacSha1(key, challenge))).toBe(hex(nodeForm.hmacSha1(key, challenge)));
    }
  });
});
