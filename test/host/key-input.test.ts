import { describe, expect, it } from 'vitest';
import { accountFromText } from '../../host/lib/key-input.ts';

const AWS = 'otpauth://totp/Amazon%20Web%20Services:root-account-mfa-device@123456789012?secret=' + 'A'.repeat(64) + '&issuer=Amazon%20Web%20Services';
const HOTP = 'otpauth://hotp/VPN:alice?secret=JBSWY3DPEHPK3PXP&issuer=VPN&counter=7';

describe('key input', () => {
  it('takes an AWS-style URI whole: 40-byte seed, names from the label', () => {
    const a = accountFromText(AWS + '\n', {});
    expect(a).toMatchObject({ name: 'root-account-mfa-device@123456789012', issuer: 'Amazon Web Services', algorithm: 'SHA1', digits: 6, period: 30 });
    expect(a.secret.length).toBe(40);
  });

  it('takes base32 with spaces and lower case, and needs a name', () => {
    const a = accountFromText(' jbsw y3dp ehpk 3pxp ', { name: 'x', digits: 8, algorithm: 'SHA256' });
    expect(a).toMatchObject({ name: 'x', issuer: '', algorithm: 'SHA256', digits: 8, period: 30 });
    expect(a.secret.length).toBe(10);
    expect(() => accountFromText('JBSWY3DPEHPK3PXP', {})).toThrow(/needs --name/);
  });

  it('names the bad base32 character and its position, never the key', () => {
    expect(() => accountFromText('JBSWY3DP0HPK3PXP', { name: 'x' })).toThrow("invalid character '0' at position 9");
    try {
      accountFromText('otpauth://totp/a?secret=JBSWY3DP1HPK3PXP', {});
    } catch (e) {
      expect((e as Error).message).toMatch(/'1' at position 9/);
      expect((e as Error).message).not.toMatch(/JBSWY3DP/);
    }
  });

  it('refuses options that contradict the URI, and migration exports', () => {
    expect(() => accountFromText(AWS, { digits: 8 })).toThrow(/--digits 8 contradicts the key's own digits \(6\)/);
    expect(() => accountFromText(AWS, { type: 'hotp' })).toThrow(/--type hotp contradicts the key's own type \(totp\)/);
    expect(() => accountFromText(AWS, { counter: 3 })).toThrow(/--counter is for HOTP keys/);
    expect(() => accountFromText(HOTP, { counter: 2 })).toThrow(/--counter 2 contradicts the key's own counter \(7\)/);
    expect(() => accountFromText('otpauth-migration://offline?data=abc', {})).toThrow(/Google Authenticator export/);
  });

  it('takes an hotp URI with its counter, and a bare key with --type hotp --counter N', () => {
    const a = accountFromText(HOTP, {});
    expect(a).toMatchObject({ name: 'alice', issuer: 'VPN', type: 'hotp', counter: 7, digits: 6 });
    expect(accountFromText(HOTP, { type: 'hotp', counter: 7 })).toMatchObject({ type: 'hotp', counter: 7 });
    expect(accountFromText('JBSWY3DPEHPK3PXP', { name: 'n', type: 'hotp', counter: 12 })).toMatchObject({ type: 'hotp', counter: 12 });
    expect(accountFromText('JBSWY3DPEHPK3PXP', { name: 'n', type: 'hotp' })).toMatchObject({ type: 'hotp', counter: 0 });
    expect(() => accountFromText('JBSWY3DPEHPK3PXP', { name: 'n', counter: 1 })).toThrow(/--counter is for HOTP keys: add --type hotp/);
    expect(() => accountFromText('JBSWY3DPEHPK3PXP', { name: 'n', type: 'hotp', period: 60 })).toThrow(/--period is for TOTP keys/);
    expect(accountFromText(AWS, {}).type).toBeUndefined(); // absent means TOTP (the agreed AccountInfo shape)
  });

  it('lets --name and --issuer rename a URI account', () => {
    expect(accountFromText(AWS, { name: 'root', issuer: 'AWS' })).toMatchObject({ name: 'root', issuer: 'AWS' });
  });
});
