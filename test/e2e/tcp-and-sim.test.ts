// The tcp:// transport, the `sim` command as its own process (scripted with
// --control), and `demo --once` (what `npm start` runs).
import { SETTLE_MS } from '../../firmware/presence.ts';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { base32Encode } from '../../protocol/base32.ts';
import { cliForSuite, listNames, runCli, runWithPress, seeds, startCli, startSim, tempDir } from './harness.ts';
import type { Sim } from './harness.ts';

// A confirmation takes the token's 1 s settle time before a press counts, and presence timeouts are 3 s.
vi.setConfig({ testTimeout: 20_000 });

const cli = cliForSuite();
let sim: Sim;
const newSeed = () => {
  const s = new Uint8Array(randomBytes(20));
  seeds.push(s);
  return base32Encode(s);
};

beforeAll(async () => {
  sim = await startSim({ link: 'tcp' });
}, 60_000);

afterAll(async () => {
  await sim?.close();
});

describe('tcp://127.0.0.1', () => {
  it('adds, lists and reads a code over TCP, with the port from TOTP_TOKEN_PORT', async () => {
    expect(sim.address).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    const env = { TOTP_TOKEN_PORT: sim.address };
    expect((await runCli(cli, ['add', '--name', 'net'], { input: newSeed(), env })).code).toBe(0);
    expect((await runCli(cli, ['time', 'sync'], { env })).code).toBe(0);
    const r = await runWithPress(cli, sim, ['code', 'net', '--json'], { env });
    expect(JSON.parse(r.stdout).code).toMatch(/^\d{6}$/);
    expect(await listNames(cli, sim.address)).toEqual(['net']);
  });

  it('closing the link mid-wipe disarms it on the token at once', async () => {
    const run = startCli(cli, ['wipe', '--yes', '--port', sim.address]);
    await run.waitFor(/confirm: WIPE/);
    run.child.kill('SIGKILL');
    await run.done;
    await expect.poll(() => sim.app.pendingAction()).toBeNull();
    expect(await listNames(cli, sim.address)).toEqual(['net']);
  });
});

describe('totp-token sim', () => {
  it('runs a simulator others can use, driven by --control', async () => {
    const dir = tempDir('simcmd');
    const png = join(dir, 'display.png');
    const simProc = startCli(cli, ['sim', '--tcp', '--control', '--json', '--state-dir', dir, '--png', png, '--presence-timeout', '5000'], { keepStdinOpen: true });
    await simProc.waitFor(/"port": "tcp:\/\/127\.0\.0\.1:\d+"/, 'stdout');
    const address = /"port": "([^"]+)"/.exec(simProc.output().stdout)![1];
    expect((await runCli(cli, ['add', '--name', 'viasim', '--port', address], { input: newSeed() })).code).toBe(0);
    const rm = startCli(cli, ['remove', 'viasim', '--port', address]);
    await rm.waitFor(/confirm: remove "viasim"/);
    await new Promise((r) => setTimeout(r, SETTLE_MS + 150)); // a press sooner than the settle time does not count
    simProc.child.stdin!.write('press confirm\n');
    expect((await rm.done).code).toBe(0);
    simProc.child.stdin!.write('status\nquit\n');
    const r = await simProc.done;
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\{"pending":null,"shown":\{"lines":\[/);
    expect(existsSync(png)).toBe(true);
  });
});

describe('totp-token demo', () => {
  it('--once provisions a demo account over the real client path and prints a frame', async () => {
    const r = await runCli(cli, ['demo', '--once']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/added Demo: alice@demo .*key check [0-9a-f]{16} matches/);
    expect(r.stderr).toMatch(/synced/);
    expect(r.stdout.split('\n').length).toBeGreaterThanOrEqual(32); // 64 pixel rows, two per line
  });
});
