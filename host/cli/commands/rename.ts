// totp-token rename <name> <new>: change an account's name (and issuer).
import { escapeText } from '../../lib/text.ts';
import type { Command } from 'commander';
import { action, withClient, withDevice } from '../context.ts';
import type { CommonOptions } from '../context.ts';

export function register(program: Command): void {
  const cmd = program
    .command('rename')
    .argument('<name>', 'current account name')
    .argument('<new>', 'new account name')
    .option('--issuer <issuer>', 'also set the issuer ("" clears it)')
    .description('rename an account (confirm on the token: it shows both names)');
  withDevice(cmd).action(
    action(async (out, name: string, newName: string, opts: CommonOptions & { issuer?: string }) => {
      const account = await withClient(opts, out, (client) => client.rename(name, newName, opts.issuer));
      out.result(`renamed ${escapeText(name)} to ${escapeText(account.issuer ? `${account.issuer}: ${account.name}` : account.name)}`, { renamed: name, account });
    }),
  );
}
