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
  /** --type: must agree with a URI's own type. */
  type?: 'totp' | 'hotp';
  /** --counter (HOTP): the counter the first code uses; must agree with a URI's. */
  counter?: number;
}

export function isOtpauthUri(text: string): boolean {
  return text.trim().toLowerCase().startsWith('otpauth://');
}

export function accountFromUri(uri: string, opts: KeyOptions): NewAccount {
  const o = parseOtpauth(uri);
  // Options that change how codes are computed must agree with the URI: a
  // different value would make the token show wrong codes.
  const clash = (key: 'algorithm' | 'digits' | 'period' | 'type' | 'counter'): void => {
    if (opts[key] !== undefined && opts[key] !== o[key]) {
      o.secret.fill(0);
      throw new TokenError('BAD_INPUT', `--${key} ${opts[key]} contradicts the key's own ${key} (${o[key]})`);
    }
  };
  clash('type');
  clash('algorithm');
  clash('digits');
  if (o.type === 'hotp') clash('counter');
  else {
    clash('period');
    if (opts.counter !== undefined) {
      o.secret.fill(0);
      throw new TokenError('BAD_INPUT', '--counter is for HOTP keys; this URI is a TOTP key');
    }
  }
  const account: NewAccount = {
    name: opts.name ?? o.account,
    issuer: opts.issuer ?? o.issuer,
    algorithm: o.algorithm,
    digits: o.digits,
    period: o.period,
    secret: o.secret,
  };
  if (o.type === 'hotp') {
    account.type = 'hotp';
    account.counter = o.counter;
  }
  return account;
}

export function accountFromBase32(text: string, opts: KeyOptions): NewAccount {
  if (!opts.name) throw new TokenError('BAD_INPUT', 'a bare base32 key needs --name (an otpauth:// URI carries its own)');
  const hotp = opts.type === 'hotp';
  if (hotp && opts.period !== undefined) throw new TokenError('BAD_INPUT', '--period is for TOTP keys; an HOTP key has a counter instead');
  if (!hotp && opts.counter !== undefined) throw new TokenError('BAD_INPUT', '--counter is for HOTP keys: add --type hotp');
  const account: NewAccount = {
    name: opts.name,
    issuer: opts.issuer ?? '',
    algorithm: opts.algorithm ?? 'SHA1',
    digits: opts.digits ?? 6,
    period: opts.period ?? 30,
    secret: base32Decode(text.trim()),
  };
  if (hotp) {
    account.type = 'hotp';
    account.counter = opts.counter ?? 0;
  }
  return account;
}

/** An otpauth:// URI or a base32 key, told apart by the scheme. */
export function accountFromText(text: string, opts: KeyOptions): NewAccount {
  const t = text.trim();
  if (t.toLowerCase().startsWith('otpauth-migration://')) {
    throw new TokenError('BAD_INPUT', 'this is a Google Authenticator export (otpauth-migration://), not a single otpauth:// key');
  }
  return isOtpauthUri(t) ? accountFromUri(t, opts) : accountFromBase32(t, opts);
}
