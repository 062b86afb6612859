// totp-token list: the accounts on the token (never their keys: the token has no way to send them).
import type { Command } from 'commander';
import { action, withClient, withDevice } from '../context.ts';
import type { CommonOptions } from '../context.ts';
import { accountJson } from '../account-json.ts';

export function register(program: Command): void {
  withDevice(program.command('list').description('list the accounts on the token')).action(
    action(async (out, opts: CommonOptions) => {
      const { accounts, info } = await withClient(opts, out, async (client) => ({ accounts: await client.list(), info: client.info! }));
      // HOTP has no period: its column shows the counter the next code uses.
      const rows = accounts.map((a) => `${a.name}\t${a.issuer || '-'}\t${a.type === 'hotp' ? 'HOTP' : 'TOTP'}\t${a.algorithm}\t${a.digits}\t${a.type === 'hotp' ? `counter ${a.counter}` : `${a.period}s`}`);
      const human = accounts.length === 0 ? ['no accounts'] : ['NAME\tISSUER\tTYPE\tALGORITHM\tDIGITS\tPERIOD/COUNTER', ...rows];
      out.result(human, { accounts: accounts.map(accountJson), slotsTotal: info.slotsTotal, slotsFree: info.slotsTotal - accounts.length });
    }),
  );
}
