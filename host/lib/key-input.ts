// Turning what a user supplies (an otpauth:// URI, or a bare base32 key plus
// options) into the account to add. Decoding happens once, here, with the
// protocol's strict codecs: errors name the bad character and its position
// or the bad parameter, and never echo the key.
import { base32Decode } from '../../protocol/base32.ts';
import type { Algorithm } from '../../protocol/hash.ts';
import { parseOtpauth } from '../../protocol/otpauth.ts';
import type { NewAccount } from './client.ts';
import { TokenError } from './errors.ts';

/** What the user said on the command line; for a URI, these must agree with it or rename it. */
export interface KeyOptions {
  name?: string;
  issuer?: string;
  algorithm?: Algorithm;
  digits?: number;
  period?: number;
}

export function isOtpauthUri(text: string): boolean {
  return text.trim().toLowerCase().startsWith('otpauth://');
}

export function accountFromUri(uri: string, opts: KeyOptions): NewAccount {
  const o = parseOtpauth(uri);
  if (o.type !== 'totp') {
    o.secret.fill(0);
    throw new TokenError('BAD_INPUT', 'this is an hotp (counter-based) key; the token does TOTP only');
  }
  // Options that change how codes are computed must agree with the URI: a
  // different value would make the token show wrong codes.
  const clash = (key: 'algorithm' | 'digits' | 'period'): void => {
    if (opts[key] !== undefined && opts[key] !== o[key]) {
      o.secret.fill(0);
      throw new TokenError('BAD_INPUT', `--${key} ${opts[key]} contradicts the key's own ${key} (${o[key]})`);
    }
  };
  clash('algorithm');
  clash('digits');
  clash('period');
  return {
    name: opts.name ?? o.account,
    issuer: opts.issuer ?? o.issuer,
    algorithm: o.algorithm,
    digits: o.digits,
    period: o.period,
    secret: o.secret,
  };
}

export function accountFromBase32(text: string, opts: KeyOptions): NewAccount {
  if (!opts.name) throw new TokenError('BAD_INPUT', 'a bare base32 key needs --name (an otpauth:// URI carries its own)');
  return {
    name: opts.name,
    issuer: opts.issuer ?? '',
    algorithm: opts.algorithm ?? 'SHA1',
    digits: opts.digits ?? 6,
    period: opts.period ?? 30,
    secret: base32Decode(text.trim()),
  };
}

/** An otpauth:// URI or a base32 key, told apart by the scheme. */
export function accountFromText(text: string, opts: KeyOptions): NewAccount {
  const t = text.trim();
  if (t.toLowerCase().startsWith('otpauth-migration://')) {
    throw new TokenError('BAD_INPUT', 'this is a Google Authenticator export (otpauth-migration://), not a single otpauth:// key');
  }
  return isOtpauthUri(t) ? accountFromUri(t, opts) : accountFromBase32(t, opts);
}
