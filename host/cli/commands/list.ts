// totp-token list: the accounts on the token (never their keys: the token has no way to send them).
import type { Command } from 'commander';
import type { AccountInfo } from '../../lib/client.ts';
import { escapeText } from '../../lib/text.ts';
import { action, withClient, withDevice } from '../context.ts';
import type { CommonOptions, Output } from '../context.ts';
import { accountJson } from '../account-json.ts';

/**
 * The human table: a header and one line per account. Names and issuers come
 * from the device (a hostile one too): escaped field by field, so a line break
 * or tab in one cannot forge a line or column (escaping the whole table keeps those).
 */
export function accountTable(accounts: AccountInfo[]): string[] {
  // HOTP has no period: its column shows the counter the next code uses.
  const rows = accounts.map((a) => `${escapeText(a.name)}\t${a.issuer ? escapeText(a.issuer) : '-'}\t${a.type === 'hotp' ? 'HOTP' : 'TOTP'}\t${a.algorithm}\t${a.digits}\t${a.type === 'hotp' ? `counter ${a.counter}` : `${a.period}s`}`);
  return accounts.length === 0 ? ['no accounts'] : ['NAME\tISSUER\tTYPE\tALGORITHM\tDIGITS\tPERIOD/COUNTER', ...rows];
}

/** The command's work; also run without commander (fast-argv.ts). */
export async function deviceAction(out: Output, opts: CommonOptions): Promise<void> {
  const { accounts, info } = await withClient(opts, out, async (client) => ({ accounts: await client.list(), info: client.info! }));
  out.result(accountTable(accounts), { accounts: accounts.map(accountJson), slotsTotal: info.slotsTotal, slotsFree: info.slotsTotal - accounts.length });
}

export function register(program: Command): void {
  withDevice(program.command('list').description('list the accounts on the token')).action(action(deviceAction));
}
