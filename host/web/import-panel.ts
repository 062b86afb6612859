// Importing many accounts at once in the page: a Google Authenticator export
// (otpauth-migration://, pasted or its QR image) or a list of otpauth://
// URIs, through host/lib/import's parsers and its all-or-nothing
// importToToken. PSKC files have their own form (pskc-panel.ts): they may
// need a password or a key, which pasted text has no field for.
import type { TokenClient } from '../lib/client.ts';
import { TokenError } from '../lib/errors.ts';
import { classifyText } from '../lib/import/classify.ts';
import { parseMigrationUri } from '../lib/import/migration.ts';
import type { ImportedAccount } from '../lib/import/source.ts';
import type { PlannedAccount } from '../lib/import/to-token.ts';
import { importToToken } from '../lib/import/to-token.ts';
import { parseUriList } from '../lib/import/uri-list.ts';

/** Accounts from pasted text or a QR code's text: one export URI, or otpauth:// URIs a line. */
export function accountsFromText(text: string, source: string): { accounts: ImportedAccount[]; notes: string[] } {
  const t = text.trim();
  const c = classifyText(t);
  if (c.kind === 'pskc') throw new TokenError('BAD_INPUT', `${source} is a PSKC document: choose it as a file under "A PSKC file" below, which asks for its password or key if it has one`);
  if (c.kind === 'migration' && !t.includes('\n')) {
    const b = parseMigrationUri(t);
    const notes = b.batchSize > 1 ? [`this is QR code ${b.batchIndex + 1} of ${b.batchSize} of one export: import the others too`] : [];
    return { accounts: b.accounts.map((otp, i) => ({ otp, from: `entry ${i + 1}` })), notes };
  }
  return { accounts: parseUriList(t, source).map((a) => ({ otp: a.otp, from: `line ${a.line}` })), notes: [] };
}

/**
 * Add them all (checked against the token first). The token's facts come from
 * this session's HELLO: saying HELLO again would start a new session, which a
 * token with a USB password locks.
 */
export function importAll(client: TokenClient, accounts: ImportedAccount[], onAdded: (p: PlannedAccount, check: string) => void): Promise<PlannedAccount[]> {
  if (!client.info) throw new TokenError('BAD_REPLY', 'not connected: no HELLO yet');
  return importToToken(client, accounts, onAdded);
}
