// Commands that need the button, without it: they time out, are cancelled on
// the device, or the CLI dies (the link goes away) mid-wipe. The accounts
// stay as they were each time. On every board (./boards.ts).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { base32Encode } from '../../protocol/base32.ts';
import { describeBoards, startToken } from './boards.ts';
import type { BoardToken } from './boards.ts';
import { cliForSuite, listNames, runCli, seeds, startCli } from './harness.ts';

// A confirmation takes the token's 1 s settle time before a press counts, and presence timeouts are 3 s.
vi.setConfig({ testTimeout: 20_000 });

const cli = cliForSuite();
const NAMES = ['one', 'two', 'three'];

describeBoards('the button is not pressed', (board) => {
  let token: BoardToken;

  beforeAll(async () => {
    token = await startToken(board, { presenceTimeoutMs: 3000 });
    for (const name of NAMES) {
      const seed = new Uint8Array(randomBytes(20));
      seeds.push(seed);
      expect((await runCli(cli, ['add', '--name', name, '--port', token.address], { input: base32Encode(seed) })).code).toBe(0);
    }
  }, 30_000);
  afterAll(async () => {
    await token?.close();
  });

  it('code before the clock is set is refused (exit 10)', async () => {
    const r = await runCli(cli, ['code', 'one', '--port', token.address]);
    expect(r.code).toBe(10);
    expect(r.stderr).toMatch(/time sync/);
    expect((await runCli(cli, ['time', 'sync', '--port', token.address])).code).toBe(0);
  });

  it('code times out without the press (exit 5)', async () => {
    const r = await runCli(cli, ['code', 'one', '--port', token.address, '--json']);
    expect(r.code).toBe(5);
    expect(JSON.parse(r.stdout).error.code).toBe('PRESENCE_TIMEOUT');
    expect(r.stderr).toMatch(/nobody pressed the button/);
    expect(token.app.pendingAction()).toBeNull();
  });

  it('wipe times out without the press (exit 5), nothing erased', async () => {
    const r = await runCli(cli, ['wipe', '--yes', '--port', token.address]);
    expect(r.code).toBe(5);
    expect(await listNames(cli, token.address)).toEqual(NAMES);
  });

  it('the other button cancels (exit 6)', async () => {
    const run = startCli(cli, ['remove', 'two', '--port', token.address]);
    await run.waitFor(/confirm: remove "two"/);
    await token.press('next');
    const r = await run.done;
    expect(r.code).toBe(6);
    expect(await listNames(cli, token.address)).toEqual(NAMES);
  });

  it('killing the CLI mid-wipe leaves every account; the next session disarms the wipe', async () => {
    const run = startCli(cli, ['wipe', '--yes', '--port', token.address]);
    await run.waitFor(/confirm: WIPE all 3 accounts/);
    expect(token.app.pendingAction()).toMatch(/WIPE/);
    run.child.kill('SIGKILL');
    expect((await run.done).signal).toBe('SIGKILL');
    expect(await listNames(cli, token.address)).toEqual(NAMES);
    expect(token.app.pendingAction()).toBeNull();
    await token.press('confirm'); // a late press confirms nothing
    expect(await listNames(cli, token.address)).toEqual(NAMES);
  });

  it('Ctrl-C while waiting cancels on the token (exit 130)', async () => {
    const run = startCli(cli, ['wipe', '--yes', '--port', token.address]);
    await run.waitFor(/confirm: WIPE/);
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(token.app.pendingAction()).toBeNull();
    expect(await listNames(cli, token.address)).toEqual(NAMES);
  });
});
