// A plain text file of keys, one otpauth:// URI a line (what many password
// managers and `zbarimg` produce). Blank lines and lines starting with '#'
// are skipped; a Google Authenticator otpauth-migration:// line expands to
// its accounts. Any other line refuses the whole file, naming the line and
// what it holds instead — never its content.
import { parseOtpauth } from '../../../protocol/otpauth.ts';
import type { OtpAuth } from '../../../protocol/otpauth.ts';
import { TokenError } from '../errors.ts';
import { classifyText } from './classify.ts';
import { parseMigrationUri } from './migration.ts';

export interface ListedAccount {
  otp: OtpAuth;
  /** 1-based line of the file it came from. */
  line: number;
}

export function parseUriList(content: string, source = 'the list'): ListedAccount[] {
  const out: ListedAccount[] = [];
  try {
    const lines = content.replace(/^\uFEFF/, '').split(/\r?\n/);
    lines.forEach((raw, i) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const where = `${source}, line ${i + 1}`;
      const c = classifyText(line);
      if (c.kind === 'otpauth') {
        try {
          out.push({ otp: parseOtpauth(line), line: i + 1 });
        } catch (e) {
          throw new TokenError('BAD_INPUT', `${where}: ${(e as Error).message}`);
        }
      } else if (c.kind === 'migration') {
        try {
          for (const otp of parseMigrationUri(line).accounts) out.push({ otp, line: i + 1 });
        } catch (e) {
          throw new TokenError('BAD_INPUT', `${where}: ${(e as Error).message}`);
        }
      } else {
        throw new TokenError('BAD_INPUT', `${where} holds ${c.kind === 'pskc' ? 'XML' : c.what}; the file must hold one otpauth:// URI a line`);
      }
    });
  } catch (e) {
    for (const a of out) a.otp.secret.fill(0); // nothing half-imported
    throw e;
  }
  if (out.length === 0) throw new TokenError('BAD_INPUT', `${source} holds no otpauth:// URIs`);
  return out;
}
