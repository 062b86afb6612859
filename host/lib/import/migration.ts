// Google Authenticator's "Transfer accounts" export:
//   otpauth-migration://offline?data=<base64 of a protobuf MigrationPayload>
// message MigrationPayload {
//   repeated OtpParameters otp_parameters = 1;
//   int32 version = 2; int32 batch_size = 3; int32 batch_index = 4; int32 batch_id = 5; }
// message OtpParameters {
//   bytes secret = 1; string name = 2; string issuer = 3;
//   Algorithm algorithm = 4;   // 0 unspecified, 1 SHA1, 2 SHA256, 3 SHA512, 4 MD5
//   DigitCount digits = 5;     // 0 unspecified, 1 SIX, 2 EIGHT
//   OtpType type = 6;          // 0 unspecified, 1 HOTP, 2 TOTP
//   int64 counter = 7; }
// The format has no period: 30 s is assumed (the app only exports 30 s accounts).
// A large export is split over several QR codes (batch_size > 1); each decodes alone.
// Errors name the entry (1-based index, issuer and name), never the secret.
import { base64Decode } from '../../../protocol/base64.ts';
import { utf8Decode } from '../../../protocol/bytes.ts';
import type { Algorithm } from '../../../protocol/hash.ts';
import { MAX_COUNTER, MAX_SECRET_BYTES } from '../../../protocol/hotp.ts';
import type { OtpAuth, OtpType } from '../../../protocol/otpauth.ts';
import { TokenError } from '../errors.ts';
import { decodeMessage, int32, int64 } from './protobuf.ts';
import type { ProtoField } from './protobuf.ts';

export interface MigrationBatch {
  accounts: OtpAuth[];
  version: number;
  /** How many QR codes the whole export spans (1 when it fits one). */
  batchSize: number;
  /** 0-based position of this QR code in the export. */
  batchIndex: number;
  /** Same for every QR code of one export. */
  batchId: number;
}

const SCHEME = 'otpauth-migration://';
export const MIGRATION_PERIOD = 30;

const ALGORITHMS: { [id: number]: Algorithm | 'MD5' } = { 0: 'SHA1', 1: 'SHA1', 2: 'SHA256', 3: 'SHA512', 4: 'MD5' };
const DIGITS: { [id: number]: number } = { 0: 6, 1: 6, 2: 8 };
const TYPES: { [id: number]: OtpType } = { 1: 'hotp', 2: 'totp' };

function bad(message: string): never {
  throw new TokenError('BAD_INPUT', `otpauth-migration: ${message}`);
}

/** The `data` parameter as bytes: percent-decoded, then base64 (standard or URL-safe, padding optional). */
function payloadBytes(uri: string): Uint8Array {
  const text = uri.trim();
  if (text.slice(0, SCHEME.length).toLowerCase() !== SCHEME) bad('not an otpauth-migration:// URI');
  const q = text.indexOf('?');
  if (q < 0) bad("the URI has no 'data' parameter");
  let data: string | undefined;
  for (const pair of text.slice(q + 1).split('&')) {
    const eq = pair.indexOf('=');
    if ((eq < 0 ? pair : pair.slice(0, eq)) !== 'data') continue;
    if (data !== undefined) bad("parameter 'data' appears more than once");
    data = eq < 0 ? '' : pair.slice(eq + 1);
  }
  if (!data) bad("the URI has no 'data' parameter (or it is empty)");
  let b64: string;
  try {
    // A '+' that went through form decoding arrives as a space.
    b64 = decodeURIComponent(data).replace(/ /g, '+').replace(/-/g, '+').replace(/_/g, '/');
  } catch {
    return bad("parameter 'data' has a broken %-escape");
  }
  b64 = b64.replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]*$/.test(b64)) bad("parameter 'data' is not base64");
  if (b64.length % 4 === 1) bad("parameter 'data' is cut short (its base64 length is impossible)");
  while (b64.length % 4 !== 0) b64 += '=';
  try {
    return base64Decode(b64);
  } catch (e) {
    return bad(`parameter 'data' is not base64 (${(e as Error).message})`);
  }
}

function text(v: bigint | Uint8Array, what: string): string {
  if (!(v instanceof Uint8Array)) bad(`${what} is not text`);
  try {
    return utf8Decode(v);
  } catch {
    return bad(`${what} is not valid UTF-8`);
  }
}

const int = (f: ProtoField, what: string): number => int32(f, `otpauth-migration: ${what}`);

/**
 * Google's name is "Issuer:account" when the account has an issuer: the prefix
 * is dropped when it is that issuer. Without an issuer the name is kept whole,
 * colon and all, as the app shows it (the real export's "encoding: ¿äÄéÉ? (demo)"
 * is one name, per extract_otp_secrets' expected output for it).
 */
function accountAndIssuer(name: string, issuer: string): [string, string] {
  const iss = issuer.trim();
  const colon = name.indexOf(':');
  if (iss !== '' && colon >= 0 && name.slice(0, colon).trim() === iss) return [name.slice(colon + 1).trim(), iss];
  return [name.trim(), iss];
}

function decodeEntry(fields: ProtoField[], index: number, total: number): OtpAuth {
  let secret: Uint8Array | null = null;
  let name = '';
  let issuer = '';
  let algorithmId = 0;
  let digitsId = 0;
  let typeId = 0;
  let counter = 0n;
  const where = `entry ${index + 1} of ${total}`;
  for (const f of fields) {
    if (f.field === 1) {
      if (!(f.value instanceof Uint8Array)) bad(`${where}: the secret is not bytes`);
      secret = f.value;
    } else if (f.field === 2) name = text(f.value, `${where}: name`);
    else if (f.field === 3) issuer = text(f.value, `${where}: issuer`);
    else if (f.field === 4) algorithmId = int(f, `${where}: algorithm`);
    else if (f.field === 5) digitsId = int(f, `${where}: digits`);
    else if (f.field === 6) typeId = int(f, `${where}: type`);
    else if (f.field === 7) counter = int64(f, `otpauth-migration: ${where}: counter`);
    // other fields (newer app versions may add some) are ignored, as protobuf readers do
  }
  const [account, iss] = accountAndIssuer(name, issuer);
  const label = `${where} (${iss ? iss + ': ' : ''}${account || 'no name'})`;
  if (account === '') bad(`${label}: has no account name`);
  const algorithm = ALGORITHMS[algorithmId];
  if (algorithm === undefined) bad(`${label}: unknown algorithm (enum value ${algorithmId})`);
  if (algorithm === 'MD5') bad(`${label}: uses MD5, which RFC 6238 does not define and the token cannot compute; leave this account in the app`);
  const digits = DIGITS[digitsId];
  if (digits === undefined) bad(`${label}: unknown digit count (enum value ${digitsId})`);
  const type = TYPES[typeId];
  if (type === undefined) bad(`${label}: ${typeId === 0 ? 'unspecified' : 'unknown'} OTP type (enum value ${typeId}); only TOTP and HOTP exist`);
  if (secret === null || secret.length === 0) bad(`${label}: has no secret`);
  if (secret.length > MAX_SECRET_BYTES) bad(`${label}: the secret is ${secret.length} bytes; at most ${MAX_SECRET_BYTES} are supported`);
  if (type === 'hotp' && (counter < 0n || counter > BigInt(MAX_COUNTER))) bad(`${label}: HOTP counter ${counter} is out of range (0 to ${MAX_COUNTER})`);
  return {
    type,
    issuer: iss,
    account,
    secret: new Uint8Array(secret), // a copy: the caller may wipe the payload
    algorithm,
    digits,
    period: MIGRATION_PERIOD,
    counter: type === 'hotp' ? Number(counter) : 0,
  };
}

/** Decode an otpauth-migration:// URI into its accounts; any bad entry refuses the whole batch. */
export function parseMigrationUri(uri: string): MigrationBatch {
  const payload = payloadBytes(uri);
  try {
    const top = decodeMessage(payload, 'otpauth-migration: payload');
    const entries = top.filter((f) => f.field === 1);
    const batch: MigrationBatch = { accounts: [], version: 0, batchSize: 1, batchIndex: 0, batchId: 0 };
    for (const f of top) {
      if (f.field === 2) batch.version = int(f, 'version');
      else if (f.field === 3) batch.batchSize = int(f, 'batch_size');
      else if (f.field === 4) batch.batchIndex = int(f, 'batch_index');
      else if (f.field === 5) batch.batchId = int(f, 'batch_id'); // random, often negative
    }
    if (entries.length === 0) bad('the export holds no accounts');
    try {
      entries.forEach((f, i) => {
        if (!(f.value instanceof Uint8Array)) bad(`entry ${i + 1} is not a message`);
        batch.accounts.push(decodeEntry(decodeMessage(f.value, `otpauth-migration: entry ${i + 1} of ${entries.length}`), i, entries.length));
      });
    } catch (e) {
      for (const a of batch.accounts) a.secret.fill(0); // nothing half-imported
      throw e;
    }
    if (batch.batchSize < 1) batch.batchSize = 1;
    return batch;
  } finally {
    payload.fill(0);
  }
}

/** The otpauth-migration:// URI in a QR code PNG (a screenshot of the app's export screen). */
export async function readMigrationQr(file: string): Promise<MigrationBatch> {
  const { decodeQrPng } = await import('../qr.ts');
  const { classifyText } = await import('./classify.ts');
  const content = decodeQrPng(file);
  const c = classifyText(content);
  if (c.kind !== 'migration') {
    throw new TokenError('BAD_INPUT', `${file}: this QR code holds ${c.kind === 'otpauth' ? 'a single otpauth:// key, not a Google Authenticator export' : c.kind === 'pskc' ? 'PSKC XML' : c.what}`);
  }
  return parseMigrationUri(content);
}
