// totp-token import <file|uri>: accounts from Google Authenticator's export
// (its QR code image or the otpauth-migration:// URI), an RFC 6030 PSKC file
// (password from --password-stdin or a hidden prompt), or a text file of
// otpauth:// URIs. Everything is checked against the token before the first
// account is sent.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { TokenError } from '../../lib/errors.ts';
import { classifyText } from '../../lib/import/classify.ts';
import { keyFromFile, readImport, readImportText } from '../../lib/import/source.ts';
import { escapeText } from '../../lib/text.ts';
import { importToToken } from '../../lib/import/to-token.ts';
import { action, usage, withClient, withDevice } from '../context.ts';
import type { CommonOptions, Output } from '../context.ts';
import { promptHidden, readStdin, stdinIsTty } from '../input.ts';

interface ImportOptions extends CommonOptions {
  passwordStdin?: boolean;
  dryRun?: boolean;
  keyFile?: string;
  privateKey?: string;
}

/** The bytes of a file named by an option (never the key itself: keys stay off argv). */
function readOptionFile(file: string, option: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw usage(`${option}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

function passwordSource(o: ImportOptions, fromStdin: boolean, out: Output): () => Promise<string> {
  return async () => {
    if (o.passwordStdin) {
      if (fromStdin) throw usage("--password-stdin cannot be used with '-' (stdin holds the input)");
      const pw = (await readStdin()).replace(/\r?\n$/, '');
      if (!pw) throw usage('no password on stdin');
      return pw;
    }
    if (!stdinIsTty() || fromStdin) {
      out.note('this PSKC file is password-protected: run on a terminal, or pass --password-stdin');
      throw usage('no password for the PSKC file');
    }
    return promptHidden('PSKC file password (input hidden): ');
  };
}

export function register(program: Command): void {
  const cmd = program
    .command('import')
    .argument('<file|uri>', "a QR code image, a PSKC file, a list of otpauth:// URIs, an otpauth(-migration):// URI, or '-' for stdin")
    .description('import accounts: Google Authenticator exports, RFC 6030 PSKC files, lists of otpauth:// URIs')
    .option('--password-stdin', 'read the PSKC file password from stdin')
    .option('--key-file <file>', 'the pre-shared key of an encrypted PSKC file: a file holding it in hex or as raw bytes')
    .option('--private-key <file.pem>', 'the PEM private key of a PSKC file encrypted to a certificate (RSA-OAEP)')
    .option('--dry-run', 'show what would be imported; do not touch the token')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  totp-token import ga-export.png          # "Transfer accounts" > "Export" in Google Authenticator, screenshot',
        '  totp-token import tokens.pskcxml         # asks for the file password if it has one',
        '  totp-token import keys.txt               # one otpauth:// URI a line; # comments',
        '  totp-token import seeds.xml --key-file transport.key   # PSKC under a pre-shared key (hex or raw)',
      ].join('\n'),
    );
  withDevice(cmd).action(
    action(async (out, input: string, opts: ImportOptions) => {
      const fromStdin = input === '-';
      const kind = classifyText(input).kind;
      if (kind === 'otpauth' || kind === 'migration') out.warn('a key given on the command line can end up in shell history and process lists; prefer a file, a QR image or - (stdin)');
      const text = fromStdin ? (await readStdin()).trim() : input;
      if (fromStdin && text === '') throw usage('nothing on stdin');
      let set;
      try {
        const password = passwordSource(opts, fromStdin, out);
        const preSharedKey = opts.keyFile === undefined ? undefined : async () => {
          const raw = readOptionFile(opts.keyFile as string, '--key-file');
          const key = keyFromFile(raw);
          raw.fill(0);
          return key;
        };
        const privateKeyPem = opts.privateKey === undefined ? undefined : async () => readOptionFile(opts.privateKey as string, '--private-key').toString('utf8');
        const sources = { password, preSharedKey, privateKeyPem };
        set = fromStdin ? await readImportText(text, 'stdin', sources) : await readImport(text, sources);
      } catch (e) {
        // A wrong file password is an input error (exit 2), not the token's lock (exit 14).
        if (e instanceof TokenError && e.code === 'PSKC_WRONG_PASSWORD') throw new TokenError('BAD_INPUT', e.message);
        throw e;
      }
      for (const n of set.notes) out.note(n);
      const summary = set.accounts.map((a) => ({
        from: a.from,
        issuer: a.otp.issuer,
        name: a.otp.account,
        type: a.otp.type,
        algorithm: a.otp.algorithm,
        digits: a.otp.digits,
        period: a.otp.type === 'hotp' ? undefined : a.otp.period,
        counter: a.otp.type === 'hotp' ? a.otp.counter : undefined,
      }));
      if (opts.dryRun) {
        for (const a of set.accounts) a.otp.secret.fill(0);
        out.result(
          [`${set.accounts.length} account(s) in this ${set.kind} input (nothing sent):`, ...summary.map((a) => `  ${a.from}: ${escapeText(a.issuer ? a.issuer + ': ' : '')}${escapeText(a.name)} (${a.type}, ${a.algorithm}, ${a.digits} digits, ${a.type === 'hotp' ? `counter ${a.counter}` : `${a.period} s`})`)],
          { kind: set.kind, accounts: summary, imported: false },
        );
        return;
      }
      const added = await withClient(opts, out, (client) => importToToken(client, set.accounts, (p, check) => out.note(`added ${escapeText(p.issuer ? p.issuer + ': ' : '')}${escapeText(p.name)} (key check ${check})`)));
      out.result(`imported ${added.length} account(s) from the ${set.kind} input`, { kind: set.kind, imported: true, accounts: added });
    }),
  );
}
