// Where a key comes from for `add` and `verify`: --qr FILE, --uri URI|-,
// --secret BASE32|-, else a hidden prompt (terminal) or piped stdin. A key
// typed on argv works but is warned about: shell history and `ps` keep it.
import type { Command } from 'commander';
import { parseAlgorithm } from '../../protocol/hash.ts';
import type { Algorithm } from '../../protocol/hash.ts';
import { MAX_COUNTER } from '../../protocol/hotp.ts';
import type { NewAccount } from '../lib/client.ts';
import { accountFromBase32, accountFromText, accountFromUri, isOtpauthUri } from '../lib/key-input.ts';
import type { KeyOptions } from '../lib/key-input.ts';
import type { Output } from './context.ts';
import { usage } from './context.ts';
import { promptHidden, readStdin, stdinIsTty } from './input.ts';

export interface KeySourceOptions {
  uri?: string;
  secret?: string;
  qr?: string;
  name?: string;
  issuer?: string;
  algorithm?: string;
  digits?: string;
  period?: string;
  type?: string;
  counter?: string;
}

export function withKeySource(cmd: Command): Command {
  return cmd
    .option('--uri <uri|->', 'an otpauth:// URI; - reads it from stdin')
    .option('--qr <file.png>', 'a QR code image holding an otpauth:// URI')
    .option('--secret <base32|->', 'a base32 key; - reads it from stdin');
}

export function withAccountOptions(cmd: Command): Command {
  return cmd
    .option('--name <name>', 'account name (default: from the URI)')
    .option('--issuer <issuer>', 'issuer, e.g. the service (default: from the URI)')
    .option('--algorithm <SHA1|SHA256|SHA512>', 'for a base32 key (default SHA1)')
    .option('--digits <n>', 'for a base32 key, 6..10 (default 6)')
    .option('--period <seconds>', 'for a base32 key (default 30)')
    .option('--type <totp|hotp>', 'for a base32 key (default totp); hotp keys count codes instead of time')
    .option('--counter <n>', 'hotp: the counter the first code uses (default 0; otpauth://hotp URIs carry it)');
}

function whole(text: string | undefined, what: string, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const n = /^\d{1,6}$/.test(text) ? Number(text) : NaN;
  if (!(n >= min && n <= max)) throw usage(`--${what} must be a whole number from ${min} to ${max}, got '${text}'`);
  return n;
}

export function keyOptions(o: KeySourceOptions): KeyOptions {
  let algorithm: Algorithm | undefined;
  if (o.algorithm !== undefined) {
    const a = parseAlgorithm(o.algorithm);
    if (!a) throw usage(`--algorithm must be SHA1, SHA256 or SHA512, got '${o.algorithm}'`);
    algorithm = a;
  }
  let type: 'totp' | 'hotp' | undefined;
  if (o.type !== undefined) {
    const t = o.type.toLowerCase();
    if (t !== 'totp' && t !== 'hotp') throw usage(`--type must be totp or hotp, got '${o.type}'`);
    type = t;
  }
  let counter: number | undefined;
  if (o.counter !== undefined) {
    counter = /^\d{1,16}$/.test(o.counter) ? Number(o.counter) : NaN;
    if (!(counter >= 0 && counter < MAX_COUNTER)) throw usage(`--counter must be a whole number from 0 to ${MAX_COUNTER - 1}, got '${o.counter}'`);
  }
  return {
    type,
    counter,
    name: o.name,
    issuer: o.issuer,
    algorithm,
    digits: whole(o.digits, 'digits', 6, 10),
    period: whole(o.period, 'period', 1, 86400),
  };
}

const ARGV_WARNING = 'a key given on the command line can end up in shell history and process lists; prefer the hidden prompt, --uri - or --qr';

/** The text of a key option: '-' reads stdin; anything else came on argv, so warn. */
export async function keyOptionText(value: string, out: Output): Promise<string> {
  if (value === '-') return readStdin();
  out.warn(ARGV_WARNING);
  return value;
}

/** Read and decode the key; nothing here touches the device. */
export async function readKey(o: KeySourceOptions, out: Output): Promise<NewAccount> {
  const given = [o.uri, o.secret, o.qr].filter((v) => v !== undefined).length;
  if (given > 1) throw usage('give the key one way: --uri, --secret or --qr');
  const opts = keyOptions(o);
  if (o.qr !== undefined) {
    const { readOtpauthQr } = await import('../lib/qr.ts'); // pngjs + jsqr only when needed
    return accountFromUri(readOtpauthQr(o.qr), opts);
  }
  if (o.uri !== undefined) {
    const text = await keyOptionText(o.uri, out);
    if (!isOtpauthUri(text)) throw usage('--uri expects an otpauth:// URI (use --secret for a base32 key)');
    return accountFromUri(text, opts);
  }
  if (o.secret !== undefined) {
    const text = await keyOptionText(o.secret, out);
    if (isOtpauthUri(text)) throw usage('--secret expects a base32 key (use --uri for an otpauth:// URI)');
    return accountFromBase32(text, opts);
  }
  const text = stdinIsTty() ? await promptHidden('Key (base32 or otpauth:// URI; input hidden): ') : await readStdin();
  if (text.trim() === '') throw usage('no key given: pipe one in, or use --uri, --qr or --secret');
  return accountFromText(text, opts);
}
