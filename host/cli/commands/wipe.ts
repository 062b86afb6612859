// totp-token wipe: erase every account. Typed confirmation on a terminal
// (unless --yes), then the button on the token, which nothing on USB can press.
// It also removes the USB password.
import type { Command } from 'commander';
import { action, usage, withClient, withDevice } from '../context.ts';
import type { CommonOptions } from '../context.ts';
import { confirmTyped, stdinIsTty } from '../input.ts';

export function register(program: Command): void {
  withDevice(program.command('wipe').option('-y, --yes', 'skip the typed confirmation (the token still asks for its button)').description('erase all accounts and the USB password (confirm on the token)')).action(
    action(async (out, opts: CommonOptions & { yes?: boolean }) => {
      if (!opts.yes) {
        if (!stdinIsTty()) throw usage('wipe needs --yes when stdin is not a terminal');
        if (!(await confirmTyped("This erases every account on the token. Type 'wipe' to go on: ", 'wipe'))) throw usage('not confirmed; nothing was done');
      }
      // No password asked: a locked token takes WIPE too (the button is the check), so a forgotten password never bricks it.
      await withClient(opts, out, (client) => client.wipe(), undefined, false);
      out.result('wiped: the token holds no accounts', { wiped: true });
    }),
  );
}
