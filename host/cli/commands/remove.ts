// totp-token remove <name>: delete one account, after the button on the token.
import type { Command } from 'commander';
import { action, withClient, withDevice } from '../context.ts';
import type { CommonOptions } from '../context.ts';

export function register(program: Command): void {
  withDevice(program.command('remove').argument('<name>', 'account name').description('remove an account (confirm on the token)')).action(
    action(async (out, name: string, opts: CommonOptions) => {
      await withClient(opts, out, (client) => client.remove(name));
      out.result(`removed ${name}`, { removed: name });
    }),
  );
}
