import { describe, expect, it } from 'vitest';
import { accountFromText } from '../../host/lib/key-input.ts';

const AWS = 'otpauth://totp/Amazon%20Web%20Services:root-account-mfa-device@123456789012?secret=' + 'A'.repeat(64) + '&issuer=Amazon%20Web%20Services';

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

  it('refuses options that contradict the URI, hotp keys and migration exports', () => {
    expect(() => accountFromText(AWS, { digits: 8 })).toThrow(/--digits 8 contradicts the key's own digits \(6\)/);
    expect(() => accountFromText('otpauth://hotp/a?secret=JBSWY3DPEHPK3PXP&counter=1', {})).toThrow(/TOTP only/);
    expect(() => accountFromText('otpauth-migration://offline?data=abc', {})).toThrow(/Google Authenticator export/);
  });

  it('lets --name and --issuer rename a URI account', () => {
    expect(accountFromText(AWS, { name: 'root', issuer: 'AWS' })).toMatchObject({ name: 'root', issuer: 'AWS' });
  });
});
