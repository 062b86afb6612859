import { describe, expect, it } from 'vitest';
import { formatOtpauth, parseOtpauth } from '../../protocol/otpauth.ts';
import type { OtpAuth } from '../../protocol/otpauth.ts';
import { base32Encode } from '../../protocol/base32.ts';
import { toHex } from '../../protocol/bytes.ts';
import { loadVectors } from '../helpers/vectors.ts';

interface OtpauthVectors {
  valid: { note: string; uri: string; expect: Omit<OtpAuth, 'secret'> & { secret_hex: string } }[];
  invalid: { note: string; uri: string; error: string; message_includes?: string }[];
}
const vectors = loadVectors<OtpauthVectors>('otpauth.json');

describe('otpauth:// Key URI', () => {
  for (const v of vectors.valid) {
    it(`parses: ${v.note}`, () => {
      const parsed = parseOtpauth(v.uri);
      const { secret_hex, ...rest } = v.expect;
      expect({ ...parsed, secret: toHex(parsed.secret) }).toEqual({ ...rest, secret: secret_hex });
      // format -> parse is the identity on what we keep
      expect(parseOtpauth(formatOtpauth(parsed))).toEqual(parsed);
    });
  }

  for (const v of vectors.invalid) {
    it(`rejects: ${v.note}`, () => {
      let caught: (Error & { code?: string }) | undefined;
      try {
        parseOtpauth(v.uri);
      } catch (e) {
        caught = e as Error & { code?: string };
      }
      expect(caught, 'must throw').toBeInstanceOf(Error);
      expect(caught!.code).toBe(v.error);
      expect(caught!.message).toMatch(/^otpauth: /);
      if (v.message_includes) expect(caught!.message).toContain(v.message_includes);
      // An error message must never carry the secret.
      const secret = /secret=([^&]+)/.exec(v.uri)?.[1];
      if (secret && secret.length >= 8) expect(caught!.message).not.toContain(secret);
    });
  }

  it('formats AWS-shaped accounts with a 64-character secret and no padding', () => {
    const uri = formatOtpauth({
      type: 'totp', issuer: 'Amazon Web Services', account: 'root@123456789012', secret: new Uint8Array(40).fill(7),
      algorithm: 'SHA1', digits: 6, period: 30, counter: 0,
    });
    expect(uri).toBe(
      'otpauth://totp/Amazon%20Web%20Services:root%40123456789012?secret=' + base32Encode(new Uint8Array(40).fill(7), false) + '&issuer=Amazon%20Web%20Services',
    );
  });

  it('formats hotp with its counter, even 0, and without a period', () => {
    const key = new Uint8Array([0x48, 0x65, 0x6c, 0x6c, 0x6f]);
    const o = { type: 'hotp', issuer: 'VPN', account: 'alice', secret: key, algorithm: 'SHA1', digits: 6, period: 60, counter: 0 } as const;
    expect(formatOtpauth(o)).toBe('otpauth://hotp/VPN:alice?secret=JBSWY3DP&issuer=VPN&counter=0');
    expect(formatOtpauth({ ...o, counter: 9007199254740991, digits: 8 })).toBe('otpauth://hotp/VPN:alice?secret=JBSWY3DP&issuer=VPN&digits=8&counter=9007199254740991');
  });

  it('gives a coded error, not a TypeError, for non-string input', () => {
    expect(() => parseOtpauth(undefined as unknown as string)).toThrow(/otpauth: expected a string/);
  });
});
