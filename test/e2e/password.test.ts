// The USB password through the real CLI: set it (with the button), then the
// token answers only `info` until a session proves the password; wrong ones fail.
import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { base32Encode } from '../../protocol/base32.ts';
import { cliForSuite, listNames, runCli, runWithPress, seeds, startSim } from './harness.ts';
import type { Sim } from './harness.ts';

// A confirmation takes the token's 1 s settle time before a press counts, and presence timeouts are 3 s.
vi.setConfig({ testTimeout: 20_000 });

const cli = cliForSuite();
let sim: Sim;

beforeAll(async () => {
  sim = await startSim({ presenceTimeoutMs: 3000 });
  const seed = new Uint8Array(randomBytes(20));
  seeds.push(seed);
  expect((await runCli(cli, ['add', '--name', 'kept', '--port', sim.address], { input: base32Encode(seed) })).code).toBe(0);
}, 60_000);

afterAll(async () => {
  await sim?.close();
});

describe('USB password', () => {
  it('set needs the button; afterwards only info answers without the password', async () => {
    const set = await runWithPress(cli, sim, ['password', 'set', '--password-stdin', '--port', sim.address], { input: 'hunter22-long\n' });
    expect(set.code, set.stderr).toBe(0);
    const info = await runCli(cli, ['info', '--json', '--port', sim.address], { env: { TOTP_TOKEN_PASSWORD: 'hunter22-long' } });
    expect(info.code, info.stderr).toBe(0);
    const locked = await runCli(cli, ['list', '--port', sim.address]);
    expect(locked.code).toBe(14);
    expect(locked.stderr).toMatch(/USB password/);
    const wrong = await runCli(cli, ['list', '--port', sim.address], { env: { TOTP_TOKEN_PASSWORD: 'not-the-one' } });
    expect(wrong.code).toBe(14);
    expect(wrong.stderr).toMatch(/wrong password/);
    const right = await runCli(cli, ['list', '--json', '--port', sim.address], { env: { TOTP_TOKEN_PASSWORD: 'hunter22-long' } });
    expect(right.code, right.stderr).toBe(0);
    expect(JSON.parse(right.stdout).accounts.map((a: { name: string }) => a.name)).toEqual(['kept']);
  });

  it('import works in an unlocked session: its plan never says HELLO again (which would lock the token)', async () => {
    const seed = new Uint8Array(randomBytes(20));
    seeds.push(seed);
    const uri = `otpauth://totp/Example:imported?secret=${base32Encode(seed)}&issuer=Example\n`;
    const r = await runCli(cli, ['import', '-', '--port', sim.address], { input: uri, env: { TOTP_TOKEN_PASSWORD: 'hunter22-long' } });
    expect(r.code, r.stderr).toBe(0);
    const listed = await runCli(cli, ['list', '--json', '--port', sim.address], { env: { TOTP_TOKEN_PASSWORD: 'hunter22-long' } });
    expect(JSON.parse(listed.stdout).accounts.map((a: { name: string }) => a.name)).toEqual(['kept', 'imported']);
  });

  it('clear needs the password and the button', async () => {
    const cleared = await runWithPress(cli, sim, ['password', 'clear', '--port', sim.address], { env: { TOTP_TOKEN_PASSWORD: 'hunter22-long' } });
    expect(cleared.code, cleared.stderr).toBe(0);
    expect(await listNames(cli, sim.address)).toEqual(['kept', 'imported']);
  });

  it('a forgotten password: wipe needs no password, only the button, and leaves a fresh token', async () => {
    const set = await runWithPress(cli, sim, ['password', 'set', '--password-stdin', '--port', sim.address], { input: 'forgotten-one\n' });
    expect(set.code, set.stderr).toBe(0);
    const wiped = await runWithPress(cli, sim, ['wipe', '--yes', '--port', sim.address]);
    expect(wiped.code, wiped.stderr).toBe(0);
    expect(await listNames(cli, sim.address)).toEqual([]); // no password asked any more
  });
});

describe('USB password over damaged storage', () => {
  it('a lost copy of the password record: the CLI unlocks and then warns (a locked HELLO holds storage health back)', async () => {
    const first = await startSim();
    let again: Sim | undefined;
    try {
      const set = await runWithPress(cli, first, ['password', 'set', '--password-stdin', '--port', first.address], { input: 'damaged-flash\n' });
      expect(set.code, set.stderr).toBe(0);
      await first.close();
      const copies = readdirSync(join(first.stateDir, 'storage')).filter((f) => f.startsWith('tt.access.'));
      expect(copies.length).toBe(2);
      rmSync(join(first.stateDir, 'storage', copies[0]));
      again = await startSim({ stateDir: first.stateDir });
      const listed = await runCli(cli, ['list', '--port', again.address], { env: { TOTP_TOKEN_PASSWORD: 'damaged-flash' } });
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.stderr).toMatch(/storage was damaged; it recovered the previous copy/);
    } finally {
      await first.close().catch(() => {});
      await again?.close();
    }
  });
});
