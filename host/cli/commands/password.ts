// totp-token password set|clear: the optional USB password. With one set, the
// token answers only `info` until a session proves it knows the password.
import type { Command } from 'commander';
import { TokenError } from '../../lib/errors.ts';
import { action, pressPrompt, withClient, withDevice } from '../context.ts';
import type { CommonOptions } from '../context.ts';
import { promptHidden, readStdin, stdinIsTty } from '../input.ts';

async function newPassword(fromStdin: boolean): Promise<string> {
  if (fromStdin || !stdinIsTty()) {
    const text = (await readStdin()).replace(/\r?\n$/, '');
    if (!text) throw new TokenError('USAGE', 'no password on stdin');
    return text;
  }
  const first = await promptHidden('New token password: ');
  const again = await promptHidden('Again: ');
  if (first !== again) throw new TokenError('USAGE', 'the two passwords differ');
  return first;
}

export function register(program: Command): void {
  const password = program.command('password').description('set or remove the USB password (challenge-response, like YubiKey OATH)');
  withDevice(password.command('set').description('set or change the password (confirm on the token)').option('--password-stdin', 'read the new password from stdin')).action(
    action(async (out, opts: CommonOptions & { passwordStdin?: boolean }) => {
      const pw = await newPassword(!!opts.passwordStdin);
      if (pw.length < 8) throw new TokenError('USAGE', 'use a password of at least 8 characters');
      await withClient(opts, out, (client) => client.setPassword(pw, pressPrompt(out)));
      out.result('USB password set: the token now answers only `info` until unlocked.', { password: 'set' });
    }),
  );
  withDevice(password.command('clear').description('remove the password (unlock, then confirm on the token)')).action(
    action(async (out, opts: CommonOptions) => {
      await withClient(opts, out, (client) => client.clearPassword(pressPrompt(out)));
      out.result('USB password removed.', { password: 'cleared' });
    }),
  );
}
