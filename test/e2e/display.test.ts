// The code a person reads off each board's display equals otplib's, for
// SHA1/SHA256/SHA512, 6, 8 and 10 digits, 30 and 60 s periods: off the
// simulator's framebuffer pixels (OCR), and off the characters of the
// rpi-zero-lcd1602's emulated 16x2 LCD. Accounts go in through the real CLI
// (one `import` of a list of otpauth:// URIs: `add` has its own tests);
// the token's time source is frozen (and then moved) so the expected code is
// exact, not "one of two".
//
// The 16x2 LCD shows all of these: line 1 the label (these names are short
// and have no issuer, so nothing is cut), line 2 the code and the seconds
// left; even 10 digits leave room for " 60s" (the "n/m" index between them is
// dropped when it does not fit, which these checks do not read).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { base32Encode } from '../../protocol/base32.ts';
import type { Algorithm } from '../../protocol/hash.ts';
import { otplibTotp } from '../helpers/providers.ts';
import { describeBoards, startToken } from './boards.ts';
import type { BoardToken } from './boards.ts';
import { cliForSuite, runCli, seeds } from './harness.ts';

interface Case {
  name: string;
  algorithm: Algorithm;
  digits: number;
  period: number;
  secret: Uint8Array;
}

const KEY_BYTES = { SHA1: 20, SHA256: 32, SHA512: 64 };
const cases: Case[] = [];
for (const algorithm of ['SHA1', 'SHA256', 'SHA512'] as Algorithm[])
  for (const digits of [6, 8, 10])
    for (const period of [30, 60]) {
      const secret = new Uint8Array(randomBytes(KEY_BYTES[algorithm]));
      seeds.push(secret);
      cases.push({ name: `${algorithm.toLowerCase()}-${digits}-${period}`, algorithm, digits, period, secret });
    }

const cli = cliForSuite();

describeBoards('codes on the display', (board) => {
  let token: BoardToken;
  let now = Date.UTC(2031, 4, 6, 7, 8, 9, 500); // frozen raw clock; the CLI's sync sets the offset

  beforeAll(async () => {
    token = await startToken(board, { timeSource: () => now });
  });
  afterAll(async () => {
    await token?.close();
  });

  /** Cycle through the accounts with the next button, reading label and code off the display. */
  async function readAll(): Promise<Map<string, string>> {
    const seen = new Map<string, string>();
    for (let i = 0; i < cases.length; i++) {
      const shown = token.readDisplay();
      seen.set(shown.label, shown.code ?? 'no code');
      await token.press('next');
    }
    return seen;
  }

  it(`provisions ${cases.length} accounts through the CLI (one import of otpauth URIs) and syncs the clock`, async () => {
    const uris = cases.map((c) => `otpauth://totp/${c.name}?secret=${base32Encode(c.secret, false)}&algorithm=${c.algorithm}&digits=${c.digits}&period=${c.period}`);
    const r = await runCli(cli, ['import', '-', '--port', token.address], { input: uris.join('\n') + '\n' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`imported ${cases.length} account`));
    const sync = await runCli(cli, ['time', 'sync', '--port', token.address]);
    expect(sync.code, sync.stderr).toBe(0);
  });

  it.each([0, 29_000, 31_000, 3_600_000 + 59_000, 86_400_000 * 3])('match otplib %i ms after the sync', async (advanceMs) => {
    now += advanceMs;
    // With the source frozen, the raw clock reads the synced time plus what we advanced;
    // after a single sync the token's corrected clock equals it (no drift learned yet).
    const t = Math.floor(token.clock.nowMs() / 1000);
    const seen = await readAll();
    expect(seen.size).toBe(cases.length);
    for (const c of cases) {
      expect(seen.get(c.name), `${c.name} at ${t}`).toBe(otplibTotp(c.secret, t, c.digits, c.period, c.algorithm));
    }
    now -= advanceMs;
  });
});
