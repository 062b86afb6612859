// totp-token code <name>: the current code over USB, after the button on the token.
import type { Command } from 'commander';
import { action, withClient, withDevice } from '../context.ts';
import type { CommonOptions } from '../context.ts';
import { escapeText } from '../../lib/text.ts';

export function register(program: Command): void {
  withDevice(program.command('code').argument('<name>', 'account name').description("read an account's current code, or an HOTP account's next one (confirm on the token)")).action(
    action(async (out, name: string, opts: CommonOptions) => {
      const r = await withClient(opts, out, (client) => client.code(name));
      if (r.type === 'hotp') {
        // The token has already stored counter + 1: this code is used up once entered, and the next call gives the next one.
        out.result(`${escapeText(r.code)}\t(HOTP, counter ${r.counter}; the token now holds ${r.counter! + 1})`, { name, type: 'hotp', code: r.code, counter: r.counter });
        return;
      }
      out.result(`${escapeText(r.code)}\t(${r.secondsLeft} s left)`, { name, type: 'totp', code: r.code, secondsLeft: r.secondsLeft });
    }),
  );
}
