// totp-token list: the accounts on the token (never their keys: the token has no way to send them).
import type { Command } from 'commander';
import { action, withClient, withDevice } from '../context.ts';
import type { CommonOptions } from '../context.ts';

export function register(program: Command): void {
  withDevice(program.command('list').description('list the accounts on the token')).action(
    action(async (out, opts: CommonOptions) => {
      const { accounts, info } = await withClient(opts, out, async (client) => ({ accounts: await client.list(), info: client.info! }));
      const rows = accounts.map((a) => `${a.name}\t${a.issuer || '-'}\t${a.algorithm}\t${a.digits}\t${a.period}s`);
      const human = accounts.length === 0 ? ['no accounts'] : ['NAME\tISSUER\tALGORITHM\tDIGITS\tPERIOD', ...rows];
      out.result(human, { accounts, slotsTotal: info.slotsTotal, slotsFree: info.slotsTotal - accounts.length });
    }),
  );
}
