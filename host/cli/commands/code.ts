// totp-token code <name>: the current code over USB, after the button on the token.
import type { Command } from 'commander';
import { action, withClient, withDevice } from '../context.ts';
import type { CommonOptions } from '../context.ts';

export function register(program: Command): void {
  withDevice(program.command('code').argument('<name>', 'account name').description("read an account's current code (confirm on the token)")).action(
    action(async (out, name: string, opts: CommonOptions) => {
      const r = await withClient(opts, out, (client) => client.code(name));
      out.result(`${r.code}\t(${r.secondsLeft} s left)`, { name, code: r.code, secondsLeft: r.secondsLeft });
    }),
  );
}
