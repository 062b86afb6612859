// The Key URI format (otpauth://TYPE/LABEL?PARAMETERS) used by QR codes from
// Google Authenticator onwards: parse and format. Errors name the parameter
// that is wrong and never echo the secret.
import { base32Decode, base32Encode } from './base32.ts';
import { fail } from './errors.ts';
import { parseAlgorithm } from './hash.ts';
import type { Algorithm } from './hash.ts';
import { MAX_COUNTER, MAX_DIGITS, MAX_SECRET_BYTES, MIN_DIGITS } from './hotp.ts';
import { percentDecode, percentEncode } from './percent.ts';

export type OtpType = 'totp' | 'hotp';

export interface OtpAuth {
  type: OtpType;
  /** The service, from the issuer parameter or the label prefix; '' when neither. */
  issuer: string;
  account: string;
  secret: Uint8Array;
  algorithm: Algorithm;
  digits: number;
  /** Seconds per code (totp); 30 by default. */
  period: number;
  /** Moving factor (hotp only; 0 for totp). */
  counter: number;
}

const SCHEME = 'otpauth://';
const KNOWN = ['secret', 'issuer', 'algorithm', 'digits', 'period', 'counter'];

function parseWhole(text: string, name: string, min: number, max: number): number {
  let ok = text.length > 0 && text.length <= 16;
  for (let i = 0; i < text.length && ok; i++) ok = text[i] >= '0' && text[i] <= '9';
  const n = ok ? parseInt(text, 10) : NaN;
  if (!ok || n < min || n > max) {
    fail('OTPAUTH_PARAM', "otpauth: parameter '" + name + "' must be a whole number from " + min + ' to ' + max + ", got '" + text + "'");
  }
  return n;
}

function splitLabel(label: string): string[] {
  const colon = label.indexOf(':');
  if (colon < 0) return ['', label.trim()];
  return [label.slice(0, colon).trim(), label.slice(colon + 1).trim()];
}

export function parseOtpauth(uri: string): OtpAuth {
  if (typeof uri !== 'string') fail('OTPAUTH_TYPE', 'otpauth: expected a string, got ' + typeof uri);
  const text = uri.trim();
  if (text.slice(0, SCHEME.length).toLowerCase() !== SCHEME) {
    fail('OTPAUTH_SCHEME', 'otpauth: not an otpauth:// URI (it must start with otpauth://)');
  }
  const hash = text.indexOf('#');
  const body = text.slice(SCHEME.length, hash < 0 ? text.length : hash);
  const slash = body.indexOf('/');
  const type = (slash < 0 ? body : body.slice(0, slash)).toLowerCase();
  if (type !== 'totp' && type !== 'hotp') {
    fail('OTPAUTH_TYPE', "otpauth: type must be 'totp' or 'hotp', got '" + type.slice(0, 16) + "'");
  }
  const rest = slash < 0 ? '' : body.slice(slash + 1);
  const q = rest.indexOf('?');
  const parts = splitLabel(percentDecode(q < 0 ? rest : rest.slice(0, q), 'otpauth: label', false));
  if (parts[1] === '') fail('OTPAUTH_LABEL', 'otpauth: label has no account name');

  const params: { [key: string]: string } = {};
  const query = q < 0 ? '' : rest.slice(q + 1);
  const pairs = query === '' ? [] : query.split('&');
  for (let i = 0; i < pairs.length; i++) {
    if (pairs[i] === '') continue;
    const eq = pairs[i].indexOf('=');
    const key = percentDecode(eq < 0 ? pairs[i] : pairs[i].slice(0, eq), 'otpauth: parameter name', true).toLowerCase();
    if (KNOWN.indexOf(key) < 0) continue; // unknown parameters (image, color...) are allowed
    if (params[key] !== undefined) fail('OTPAUTH_PARAM', "otpauth: parameter '" + key + "' appears more than once");
    params[key] = percentDecode(eq < 0 ? '' : pairs[i].slice(eq + 1), "otpauth: parameter '" + key + "'", true);
  }

  if (params.secret === undefined || params.secret === '') fail('OTPAUTH_SECRET', "otpauth: parameter 'secret' is missing");
  let secret: Uint8Array;
  try {
    secret = base32Decode(params.secret);
  } catch (e) {
    return fail('OTPAUTH_SECRET', "otpauth: parameter 'secret' is not valid base32: " + String((e as Error)['message']).replace('base32: ', ''));
  }
  if (secret.length > MAX_SECRET_BYTES) {
    fail('OTPAUTH_SECRET', "otpauth: parameter 'secret' is " + secret.length + ' bytes; at most ' + MAX_SECRET_BYTES + ' are supported');
  }

  let issuer = parts[0];
  if (params.issuer !== undefined) {
    const given = params.issuer.trim();
    if (issuer !== '' && given !== issuer) {
      fail('OTPAUTH_PARAM', "otpauth: parameter 'issuer' ('" + given + "') does not match the label prefix ('" + issuer + "')");
    }
    issuer = given;
  }

  let algorithm: Algorithm = 'SHA1';
  if (params.algorithm !== undefined) {
    const a = parseAlgorithm(params.algorithm);
    if (!a) fail('OTPAUTH_PARAM', "otpauth: parameter 'algorithm' must be SHA1, SHA256 or SHA512, got '" + params.algorithm.slice(0, 16) + "'");
    algorithm = a as Algorithm;
  }
  const digits = params.digits === undefined ? 6 : parseWhole(params.digits, 'digits', MIN_DIGITS, MAX_DIGITS);
  const period = params.period === undefined ? 30 : parseWhole(params.period, 'period', 1, 86400);
  let counter = 0;
  if (type === 'hotp') {
    if (params.counter === undefined) fail('OTPAUTH_PARAM', "otpauth: parameter 'counter' is required for hotp");
    counter = parseWhole(params.counter, 'counter', 0, MAX_COUNTER);
  }
  return {
    type: type as OtpType,
    issuer: issuer,
    account: parts[1],
    secret: secret,
    algorithm: algorithm,
    digits: digits,
    period: period,
    counter: counter,
  };
}

/** Format a Key URI; default parameters are left out, as authenticator apps expect. */
export function formatOtpauth(o: OtpAuth): string {
  const label = (o.issuer ? percentEncode(o.issuer) + ':' : '') + percentEncode(o.account);
  let s = SCHEME + o.type + '/' + label + '?secret=' + base32Encode(o.secret, false);
  if (o.issuer) s += '&issuer=' + percentEncode(o.issuer);
  if (o.algorithm !== 'SHA1') s += '&algorithm=' + o.algorithm;
  if (o.digits !== 6) s += '&digits=' + o.digits;
  if (o.type === 'totp' && o.period !== 30) s += '&period=' + o.period;
  if (o.type === 'hotp') s += '&counter=' + o.counter;
  return s;
}
