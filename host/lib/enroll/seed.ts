// Where an enrollment's seed comes from: the QR code image a setup page
// shows (saved as a PNG), the otpauth:// URI inside it, or the base32
// "secret configuration key" typed at a hidden prompt. Decoded once, with
// the protocol's strict codecs (base32 errors name the character and its
// position); never echoed.
//
// Truncation is the failure that matters: a key cut short still decodes,
// the token then shows codes nobody accepts, and the service may lock the
// account. So a key for a service known to use a fixed length must have it
// (AWS: 40 bytes = 64 base32 characters), and a typed key shorter than 80
// bits is refused as truncated.
import { base32Decode } from '../../../protocol/base32.ts';
import { parseOtpauth } from '../../../protocol/otpauth.ts';
import type { OtpAuth } from '../../../protocol/otpauth.ts';
import { TokenError } from '../errors.ts';
import { classifyText } from '../import/classify.ts';

export type SeedSource = { kind: 'qr'; file: string } | { kind: 'uri'; uri: string } | { kind: 'base32'; key: string };

export interface SeedOptions {
  /** Account name on the token; default: the URI's label. Required for a bare key. */
  account?: string;
  /** Service name; default: the URI's issuer. */
  issuer?: string;
  /** The user says this is an AWS key: it must be 40 bytes (64 base32 characters). */
  aws?: boolean;
  /** For a bare key: algorithm, digits and period when the service is not the usual SHA1/6/30. */
  algorithm?: OtpAuth['algorithm'];
  digits?: number;
  period?: number;
}

export interface EnrollSeed {
  otp: OtpAuth;
  /** Things worth telling the user that do not stop the flow. */
  warnings: string[];
}

/** AWS virtual MFA seeds: 40 bytes, shown as a 64-character base32 "secret configuration key". */
export const AWS_SEED_BYTES = 40;
export const AWS_KEY_CHARS = 64;
/** RFC 4226 §4 asks for 128 bits; 80-bit keys are common; anything shorter is treated as truncated. */
const MIN_SEED_BYTES = 10;
const RFC_MIN_SEED_BYTES = 16;

function bad(message: string): never {
  throw new TokenError('BAD_INPUT', message);
}

/** Does this look like an AWS seed (by issuer or by the user's word)? */
export function isAwsIssuer(issuer: string): boolean {
  return /^(aws|amazon web services|amazon)$/i.test(issuer.trim());
}

function keyCharacters(text: string): number {
  return text.replace(/[\s=-]/g, '').length;
}

async function readQr(file: string): Promise<string> {
  const { decodeQrPng } = await import('../qr.ts'); // pngjs + jsqr only when needed
  const text = decodeQrPng(file);
  const c = classifyText(text);
  if (c.kind === 'otpauth') return text.trim();
  if (c.kind === 'migration') bad(`${file}: this QR code is a Google Authenticator export (otpauth-migration://), not a setup code; use: totp-token import ${file}`);
  return bad(`${file}: this QR code holds ${c.kind === 'pskc' ? 'XML' : c.what}; enrollment needs the QR code from the service's MFA setup page`);
}

export async function readEnrollSeed(source: SeedSource, opts: SeedOptions = {}): Promise<EnrollSeed> {
  const warnings: string[] = [];
  let otp: OtpAuth;
  if (source.kind === 'base32') {
    const chars = keyCharacters(source.key);
    if (chars === 0) bad('no key given');
    if (opts.aws && chars !== AWS_KEY_CHARS) {
      bad(`an AWS secret configuration key is ${AWS_KEY_CHARS} characters; this one has ${chars}: ${chars < AWS_KEY_CHARS ? 'it looks truncated, copy' : 'copy'} it again ("Show secret key" on the AWS page)`);
    }
    const secret = base32Decode(source.key); // names the bad character and its position
    if (secret.length < MIN_SEED_BYTES) {
      secret.fill(0);
      bad(`the key is ${chars} characters (${secret.length} bytes): too short for a real TOTP key (at least 16 characters), so probably truncated; copy it again`);
    }
    if (!opts.account) {
      secret.fill(0);
      bad('a bare key needs an account name (the otpauth:// URI or QR code carries its own)');
    }
    otp = { type: 'totp', issuer: opts.issuer ?? '', account: opts.account, secret, algorithm: opts.algorithm ?? 'SHA1', digits: opts.digits ?? 6, period: opts.period ?? 30, counter: 0 };
  } else {
    const uri = source.kind === 'qr' ? await readQr(source.file) : source.uri.trim();
    if (source.kind === 'uri') {
      const c = classifyText(uri);
      if (c.kind === 'migration') bad('this is a Google Authenticator export (otpauth-migration://), not a setup URI; use: totp-token import');
      if (c.kind !== 'otpauth') bad(`expected an otpauth:// URI, got ${c.kind === 'pskc' ? 'XML' : c.what}`);
    }
    otp = parseOtpauth(uri);
    if (otp.type !== 'totp') {
      otp.secret.fill(0);
      bad('this is an HOTP (counter-based) key; enroll reads two consecutive time-based codes, so it takes TOTP keys only: add an HOTP key with totp-token add');
    }
    if (opts.account) otp.account = opts.account;
    if (opts.issuer !== undefined) otp.issuer = opts.issuer;
  }
  const aws = opts.aws || isAwsIssuer(otp.issuer);
  if (aws && otp.secret.length !== AWS_SEED_BYTES) {
    const n = otp.secret.length;
    otp.secret.fill(0);
    bad(`AWS seeds are ${AWS_SEED_BYTES} bytes (${AWS_KEY_CHARS} base32 characters); this one is ${n} bytes: it was truncated somewhere, get the QR code or key again`);
  }
  if (aws && (otp.algorithm !== 'SHA1' || otp.digits !== 6 || otp.period !== 30)) {
    otp.secret.fill(0);
    bad('AWS virtual MFA uses SHA1, 6 digits and 30 seconds; this key says otherwise');
  }
  if (!aws && otp.secret.length < RFC_MIN_SEED_BYTES) {
    warnings.push(`the key is ${otp.secret.length} bytes, under RFC 4226's 16; common, but check it was not cut short`);
  }
  return { otp, warnings };
}
