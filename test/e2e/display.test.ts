// The code a person reads off the simulator's display pixels equals
// otplib's, for SHA1/SHA256/SHA512, 6 and 8 digits, 30 and 60 s periods.
// Accounts go in through the real CLI; the simulator's time source is frozen
// (and then moved) so the expected code is exact, not "one of two".
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base32Encode } from '../../protocol/base32.ts';
import type { Algorithm } from '../../protocol/hash.ts';
import { otplibTotp } from '../helpers/providers.ts';
import { readCode, readLabel } from '../helpers/ocr.ts';
import { ensureCli, releaseCli, received, runCli, seeds, startSim } from './harness.ts';
import type { Sim } from './harness.ts';
import { findLeaks } from './leak-scan.ts';

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
  for (const digits of [6, 8])
    for (const period of [30, 60]) {
      const secret = new Uint8Array(randomBytes(KEY_BYTES[algorithm]));
      seeds.push(secret);
      cases.push({ name: `${algorithm.toLowerCase()}-${digits}-${period}`, algorithm, digits, period, secret });
    }

let cli: string;
let sim: Sim;
let now = Date.UTC(2031, 4, 6, 7, 8, 9, 500); // frozen raw clock; the CLI's sync sets the offset

beforeAll(async () => {
  cli = await ensureCli();
  sim = await startSim({ timeSource: () => now });
}, 60_000);

afterAll(async () => {
  await sim?.close();
  releaseCli(cli);
  expect(findLeaks(received, seeds)).toEqual([]);
});

/** Cycle through the accounts with the next button, reading label and code off the pixels. */
function readAll(): Map<string, string> {
  const seen = new Map<string, string>();
  for (let i = 0; i < cases.length; i++) {
    sim.app.render();
    seen.set(readLabel(sim.framebuffer), readCode(sim.framebuffer) ?? 'no code');
    sim.press('next');
  }
  return seen;
}

describe('codes on the display pixels', () => {
  it('provisions 12 accounts through the CLI and syncs the clock', async () => {
    for (const c of cases) {
      const uri = `otpauth://totp/${c.name}?secret=${base32Encode(c.secret, false)}&algorithm=${c.algorithm}&digits=${c.digits}&period=${c.period}`;
      const r = await runCli(cli, ['add', '--uri', '-', '--port', sim.address], { input: uri });
      expect(r.code, r.stderr).toBe(0);
    }
    const r = await runCli(cli, ['time', 'sync', '--port', sim.address]);
    expect(r.code, r.stderr).toBe(0);
  }, 30_000);

  it.each([0, 29_000, 31_000, 3_600_000 + 59_000, 86_400_000 * 3])('match otplib %i ms after the sync', (advanceMs) => {
    now += advanceMs;
    // With the source frozen, the raw clock reads the synced time plus what we advanced;
    // after a single sync the token's corrected clock equals it (no drift learned yet).
    const t = Math.floor(sim.clock.nowMs() / 1000);
    const seen = readAll();
    expect(seen.size).toBe(cases.length);
    for (const c of cases) {
      expect(seen.get(c.name), `${c.name} at ${t}`).toBe(otplibTotp(c.secret, t, c.digits, c.period, c.algorithm));
    }
    now -= advanceMs;
  });
});
