// Putting imported accounts on a token: everything is checked first
// (algorithms the board has, names that fit and do not clash, enough free
// slots), so bad input changes nothing on the token. Then each account is
// added and key-checked, HOTP accounts first: a token without HOTP (older
// firmware) refuses the first one, before any account was stored, so a mixed
// file is never half-imported. If the link fails midway the error says which
// accounts were stored and which were not.
import { utf8Encode } from '../../../protocol/bytes.ts';
import type { Algorithm } from '../../../protocol/hash.ts';
import { MAX_ISSUER, MAX_NAME, MAX_SECRET, MIN_SECRET } from '../../../protocol/messages.ts';
import { TokenError } from '../errors.ts';
import { escapeText } from '../text.ts';
import type { ImportedAccount } from './source.ts';

export interface ImportClient {
  /** The open session's board and algorithms: never a new HELLO, which would start a new session (locked, on a token with a USB password). */
  sessionInfo(): Promise<{ board: string; algorithms: Algorithm[]; slotsTotal: number }>;
  list(): Promise<{ name: string }[]>;
  add(account: { name: string; issuer: string; algorithm: Algorithm; digits: number; period: number; type?: 'totp' | 'hotp'; counter?: number; secret: Uint8Array }): Promise<{ check: string }>;
}

export interface PlannedAccount {
  name: string;
  issuer: string;
  algorithm: Algorithm;
  digits: number;
  period: number;
  type: 'totp' | 'hotp';
  /** HOTP: the counter the next code uses. */
  counter: number;
  from: string;
}

const bytes = (s: string): number => utf8Encode(s).length;

/** Token names for the accounts: the account name, with the issuer added where two would clash. */
function names(accounts: ImportedAccount[]): string[] {
  const count = new Map<string, number>();
  for (const a of accounts) count.set(a.otp.account, (count.get(a.otp.account) ?? 0) + 1);
  return accounts.map((a) => ((count.get(a.otp.account) ?? 0) > 1 && a.otp.issuer ? `${a.otp.account} (${a.otp.issuer})` : a.otp.account));
}

/** Check every account against the token before anything is sent; returns the plan or one error listing every problem. */
export async function planImport(client: ImportClient, accounts: ImportedAccount[]): Promise<PlannedAccount[]> {
  const info = await client.sessionInfo();
  const listed = await client.list();
  const existing = new Set(listed.map((a) => a.name));
  const slotsFree = info.slotsTotal - listed.length;
  const planned = names(accounts);
  const problems: string[] = [];
  const seen = new Set<string>();
  accounts.forEach((a, i) => {
    const o = a.otp;
    const who = `${a.from} (${escapeText(o.issuer ? o.issuer + ': ' : '')}${escapeText(o.account)})`;
    const name = planned[i];
    if (info.algorithms.indexOf(o.algorithm) < 0) problems.push(`${who}: ${o.algorithm}, which board '${info.board}' cannot compute`);
    // The token refuses a seed under 80 bits (wire-protocol.md, Key check): found here, before any account is sent.
    if (o.secret.length < MIN_SECRET || o.secret.length > MAX_SECRET) problems.push(`${who}: the key is ${o.secret.length} bytes; the token takes ${MIN_SECRET} to ${MAX_SECRET} bytes (80 bits at least)`);
    if (bytes(name) > MAX_NAME) problems.push(`${who}: the name is ${bytes(name)} bytes; the token keeps at most ${MAX_NAME}`);
    if (bytes(o.issuer) > MAX_ISSUER) problems.push(`${who}: the issuer is ${bytes(o.issuer)} bytes; the token keeps at most ${MAX_ISSUER}`);
    if (existing.has(name)) problems.push(`${who}: the token already has an account named '${escapeText(name)}' (rename or remove it first)`);
    else if (seen.has(name)) problems.push(`${who}: a second account named '${escapeText(name)}'`);
    seen.add(name);
  });
  if (accounts.length > slotsFree) problems.push(`${accounts.length} accounts but only ${slotsFree} free slots on the token`);
  if (problems.length > 0) {
    throw new TokenError('BAD_INPUT', `nothing was imported:\n  ${problems.join('\n  ')}`);
  }
  return accounts.map((a, i) => ({ name: planned[i], issuer: a.otp.issuer, algorithm: a.otp.algorithm, digits: a.otp.digits, period: a.otp.period, type: a.otp.type, counter: a.otp.type === 'hotp' ? a.otp.counter : 0, from: a.from }));
}

/** Check, then add every account. Seeds are wiped as they are sent (and all of them on any failure). */
export async function importToToken(client: ImportClient, accounts: ImportedAccount[], onAdded: (p: PlannedAccount, check: string) => void): Promise<PlannedAccount[]> {
  const added: PlannedAccount[] = [];
  try {
    const plan = await planImport(client, accounts);
    const order = plan.map((_, i) => i).sort((x, y) => (plan[x].type === 'hotp' ? 0 : 1) - (plan[y].type === 'hotp' ? 0 : 1) || x - y);
    for (const i of order) {
      const p = plan[i];
      try {
        const hotp = p.type === 'hotp' ? { type: 'hotp' as const, counter: p.counter } : {};
        const { check } = await client.add({ name: p.name, issuer: p.issuer, algorithm: p.algorithm, digits: p.digits, period: p.period, ...hotp, secret: accounts[i].otp.secret });
        added.push(p);
        onAdded(p, check);
      } catch (e) {
        const done = added.length === 0 ? 'none were added' : `${added.length} of ${plan.length} were added (${added.map((a) => escapeText(a.name)).join(', ')})`;
        const msg = `importing '${escapeText(p.name)}' failed: ${(e as Error).message}; ${done}, the rest were not`;
        throw new TokenError(e instanceof TokenError ? e.code : 'FAILURE', msg, e instanceof TokenError ? e.deviceMessage : undefined);
      }
    }
    return plan;
  } finally {
    for (const a of accounts) a.otp.secret.fill(0);
  }
}
