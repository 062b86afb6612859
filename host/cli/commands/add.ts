// totp-token add: decode a key (URI, QR, prompt or stdin), send it once,
// and check the token stored exactly that key (key check).
import { escapeText } from '../../lib/text.ts';
import type { Command } from 'commander';
import { action, withClient, withDevice } from '../context.ts';
import type { CommonOptions } from '../context.ts';
import { accountJson } from '../account-json.ts';
import { readKey, withAccountOptions, withKeySource } from '../key-source.ts';
import type { KeySourceOptions } from '../key-source.ts';

export function register(program: Command): void {
  const cmd = program
    .command('add')
    .description('add an account: from --uri, --qr, --secret, a hidden prompt, or a key/URI piped on stdin')
    .addHelpText('after', '\nExamples:\n  totp-token add --qr setup.png\n  pass show aws/root-mfa | totp-token add --name root --issuer AWS\n  totp-token add --uri - < key.txt\n  totp-token add --name vpn --type hotp --counter 5   (key at the hidden prompt)');
  withDevice(withAccountOptions(withKeySource(cmd))).action(
    action(async (out, opts: CommonOptions & KeySourceOptions) => {
      const account = await readKey(opts, out); // decoded before touching the device: bad input changes nothing
      const { secret, ...summary } = account;
      const { check } = await withClient(opts, out, (client) => client.add({ ...summary, secret }));
      const label = escapeText(summary.issuer ? `${summary.issuer}: ${summary.name}` : summary.name);
      const kind = summary.type === 'hotp' ? `HOTP, counter ${summary.counter}` : `${summary.period} s`;
      out.result(`added ${label} (${summary.algorithm}, ${summary.digits} digits, ${kind}); the token holds the same key (key check ${check})`, {
        added: accountJson(summary),
        check,
      });
    }),
  );
}
