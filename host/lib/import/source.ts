// One entry point for `totp-token import`: a URI given directly, or a file
// that is a QR code image, a PSKC document or a text list of URIs. The kind
// is recognised from the content, not the file name; what is not a key is
// refused with what it holds instead.
import { readFileSync } from 'node:fs';
import type { OtpAuth } from '../../../protocol/otpauth.ts';
import { parseOtpauth } from '../../../protocol/otpauth.ts';
import { TokenError } from '../errors.ts';
import { classifyText } from './classify.ts';
import { parseMigrationUri } from './migration.ts';
import type { MigrationBatch } from './migration.ts';
import { nodePskcCrypto } from './pskc-crypto-node.ts';
import { readPskcImport } from './pskc-source.ts';
import { parseUriList } from './uri-list.ts';

export interface ImportedAccount {
  otp: OtpAuth;
  /** Where in the input it came from, for messages: "entry 2", "line 3", "key TT-0001". */
  from: string;
}

export interface ImportSet {
  kind: 'otpauth' | 'migration' | 'pskc' | 'uri-list';
  accounts: ImportedAccount[];
  /** Worth telling the user (e.g. "QR code 1 of 3 of this export"). */
  notes: string[];
}

export interface ImportOptions {
  /** Asked only when a PSKC file is password-protected. */
  password?: () => Promise<string>;
  /** Asked only when a PSKC file is encrypted under a pre-shared key (the bytes of --key-file). */
  preSharedKey?: () => Promise<Uint8Array>;
  /** Asked only when a PSKC file is encrypted to a certificate (the PEM of --private-key). */
  privateKeyPem?: () => Promise<string>;
}

// keyFromFile lives in key-file.ts (node-free, the page uses it too).
export { keyFromFile } from './key-file.ts';

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];

function fromMigration(b: MigrationBatch): ImportSet {
  const notes = b.batchSize > 1 ? [`this is QR code ${b.batchIndex + 1} of ${b.batchSize} of one export (batch ${b.batchId}): import the others too`] : [];
  return { kind: 'migration', accounts: b.accounts.map((otp, i) => ({ otp, from: `entry ${i + 1}` })), notes };
}

function fromText(text: string, source: string): ImportSet {
  const c = classifyText(text);
  if (c.kind === 'migration' && !text.trim().includes('\n')) return fromMigration(parseMigrationUri(text));
  if (c.kind === 'otpauth' && !text.trim().includes('\n')) return { kind: 'otpauth', accounts: [{ otp: parseOtpauth(text), from: source }], notes: [] };
  return { kind: 'uri-list', accounts: parseUriList(text, source).map((a) => ({ otp: a.otp, from: `line ${a.line}` })), notes: [] };
}

/** Accounts from text content (a file's, or stdin): a PSKC document, a URI, or a list of URIs. */
export async function readImportText(text: string, source: string, opts: ImportOptions = {}): Promise<ImportSet> {
  // Anything XML goes to the PSKC reader, which says precisely what is wrong with it (not well-formed, no KeyContainer...).
  if (classifyText(text).kind === 'pskc' || /^\uFEFF?\s*</.test(text)) return readPskcImport(nodePskcCrypto, text, source, opts);
  return fromText(text, source);
}

/** Read `input` (a URI, or a file path) into accounts; all or nothing. */
export async function readImport(input: string, opts: ImportOptions = {}): Promise<ImportSet> {
  const direct = classifyText(input);
  if (direct.kind === 'otpauth' || direct.kind === 'migration') return fromText(input, 'the URI');
  let bytes: Buffer;
  try {
    bytes = readFileSync(input);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') {
      // Not a file. Never repeat the argument: a bare base32 key looks like a file name.
      if (/^[\w./\\ ~-]+$/.test(input)) throw new TokenError('BAD_INPUT', 'no such file (the argument is not a file, nor an otpauth:// or otpauth-migration:// URI)');
      throw new TokenError('BAD_INPUT', `the argument is neither a file nor a key: it is ${direct.kind === 'pskc' ? 'XML' : direct.what}`);
    }
    throw new TokenError('BAD_INPUT', `cannot read the file given: ${err.code ?? 'error'}`);
  }
  try {
    if (PNG_MAGIC.every((b, i) => bytes[i] === b)) {
      const { decodeQrPng } = await import('../qr.ts');
      const content = decodeQrPng(input);
      const c = classifyText(content);
      if (c.kind === 'otpauth' || c.kind === 'migration') return fromText(content, input);
      throw new TokenError('BAD_INPUT', `${input}: this QR code holds ${c.kind === 'pskc' ? 'XML' : c.what}`);
    }
    if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) throw new TokenError('BAD_INPUT', `${input}: a JPEG image; QR codes are read from PNG images only (save or convert the screenshot as PNG)`);
    if (/\.(png|jpe?g|gif|bmp|webp)$/i.test(input)) {
      // Named like an image but not one: say so, and what it holds instead.
      const c = classifyText(bytes.toString('utf8'));
      if (c.kind === 'other') throw new TokenError('BAD_INPUT', `${input}: not an image (no PNG data): it holds ${c.what}`);
    }
    return await readImportText(bytes.toString('utf8'), input, opts);
  } finally {
    bytes.fill(0);
  }
}
