// The happy path through the real CLI over a real pty, on every board
// (./boards.ts): add (URI on stdin, QR PNG, piped base32), list, verify, time
// sync, code after the button and on the display, rename, remove, wipe, and
// accounts surviving a restart of the token.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { base32Encode } from '../../protocol/base32.ts';
import { keyCheckValue } from '../../protocol/keycheck.ts';
import { nodeHashes } from '../../host/lib/hashes/node-hashes.ts';
import { otplibTotp } from '../helpers/providers.ts';
import { describeBoards, startToken } from './boards.ts';
import type { BoardToken } from './boards.ts';
import { cliForSuite, listNames, runCli, runWithPress, seeds, tempDir } from './harness.ts';

// A confirmation takes the token's 1 s settle time before a press counts, and presence timeouts are 3 s.
vi.setConfig({ testTimeout: 20_000 });

const cli = cliForSuite();
const seed = (n: number) => {
  const s = new Uint8Array(randomBytes(n));
  seeds.push(s);
  return s;
};
const hex = (b: Uint8Array, alg: 'SHA1' | 'SHA256' = 'SHA1') => Buffer.from(keyCheckValue(nodeHashes()[alg]!, b)).toString('hex');

describeBoards('provisioning through the CLI over a pty', (board) => {
  let token: BoardToken;
  const awsSeed = seed(40);
  const qrSeed = seed(32);
  const pipedSeed = seed(20);

  beforeAll(async () => {
    token = await startToken(board);
  });
  afterAll(async () => {
    await token?.close();
  });

  it('adds an AWS-style key from an otpauth URI on stdin', async () => {
    const uri = `otpauth://totp/Amazon%20Web%20Services:root-account-mfa-device@123456789012?secret=${base32Encode(awsSeed, false)}&issuer=Amazon%20Web%20Services`;
    const r = await runCli(cli, ['add', '--uri', '-', '--name', 'aws-root', '--port', token.address, '--json'], { input: uri });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      added: { name: 'aws-root', issuer: 'Amazon Web Services', type: 'totp', algorithm: 'SHA1', digits: 6, period: 30 },
      check: hex(awsSeed),
    });
  });

  it('adds from a QR code PNG', async () => {
    const png = join(tempDir('qr'), 'setup.png');
    await QRCode.toFile(png, `otpauth://totp/GitHub:octo?secret=${base32Encode(qrSeed, false)}&issuer=GitHub&algorithm=SHA256&digits=8`);
    const r = await runCli(cli, ['add', '--qr', png, '--port', token.address]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/added GitHub: octo \(SHA256, 8 digits, 30 s\)/);
  });

  it('adds a base32 key piped on stdin, with no warning', async () => {
    const r = await runCli(cli, ['add', '--name', 'piped', '--issuer', 'Pipe', '--period', '60', '--port', token.address], { input: base32Encode(pipedSeed).toLowerCase() + '\n' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('warns when a key is given on argv', async () => {
    const s = seed(10);
    const r = await runCli(cli, ['add', '--secret', base32Encode(s), '--name', 'argv', '--port', token.address]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: .*shell history and process lists/);
    expect(r.stderr + r.stdout).not.toContain(base32Encode(s));
  });

  it('lists the accounts', async () => {
    const r = await runCli(cli, ['list', '--port', token.address, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.accounts).toEqual([
      { name: 'aws-root', issuer: 'Amazon Web Services', type: 'totp', algorithm: 'SHA1', digits: 6, period: 30 },
      { name: 'octo', issuer: 'GitHub', type: 'totp', algorithm: 'SHA256', digits: 8, period: 30 },
      { name: 'piped', issuer: 'Pipe', type: 'totp', algorithm: 'SHA1', digits: 6, period: 60 },
      { name: 'argv', issuer: '', type: 'totp', algorithm: 'SHA1', digits: 6, period: 30 },
    ]);
    expect(out.slotsFree).toBe(28);
    const human = await runCli(cli, ['list', '--port', token.address]);
    expect(human.stdout).toMatch(/^octo\tGitHub\tTOTP\tSHA256\t8\t30s$/m);
  });

  it('verifies: shows the key check, and confirms a matching key', async () => {
    const shown = await runCli(cli, ['verify', 'octo', '--port', token.address, '--json']);
    expect(JSON.parse(shown.stdout)).toEqual({ name: 'octo', check: hex(qrSeed, 'SHA256') });
    const match = await runCli(cli, ['verify', 'piped', '--secret', '-', '--port', token.address], { input: base32Encode(pipedSeed) });
    expect(match.code, match.stderr).toBe(0);
    expect(match.stdout).toMatch(/holds the key given/);
    const wrong = await runCli(cli, ['verify', 'piped', '--secret', '-', '--port', token.address], { input: base32Encode(awsSeed) });
    expect(wrong.code).toBe(11);
    expect(wrong.stderr).toMatch(/NOT the key given/);
  });

  it('syncs the time, then shows it', async () => {
    const sync = await runCli(cli, ['time', 'sync', '--port', token.address, '--json']);
    expect(sync.code, sync.stderr).toBe(0);
    expect(JSON.parse(sync.stdout).clock.set).toBe(true);
    const show = await runCli(cli, ['time', 'show', '--port', token.address, '--json']);
    expect(Math.abs(JSON.parse(show.stdout).offsetMs)).toBeLessThan(500);
  });

  it('reads a code after the button press, equal to otplib', async () => {
    const r = await runWithPress(cli, token, ['code', 'octo', '--port', token.address, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Press the button on the token to confirm: send code: "octo"/);
    const { code } = JSON.parse(r.stdout);
    const now = Math.floor(Date.now() / 1000);
    expect([otplibTotp(qrSeed, now, 8, 30, 'SHA256'), otplibTotp(qrSeed, now - 2, 8, 30, 'SHA256')]).toContain(code);
  });

  it('shows the codes on the display, equal to otplib, the next button moving on', async () => {
    const read = () => {
      const before = Math.floor(token.clock.nowMs() / 1000);
      const shown = token.readDisplay();
      return { ...shown, times: [before, Math.floor(token.clock.nowMs() / 1000)] };
    };
    const first = read();
    // The 16x2 LCD joins issuer and name on one line and cuts it with '~' (an arrow in its ROM).
    expect(first.label).toBe(board === 'sim' ? 'Amazon Web Services: aws-root' : 'Amazon Web Serv→');
    expect(first.times.map((t) => otplibTotp(awsSeed, t, 6, 30, 'SHA1'))).toContain(first.code);
    await token.press('next');
    const second = read();
    expect(second.label).toBe('GitHub: octo');
    expect(second.times.map((t) => otplibTotp(qrSeed, t, 8, 30, 'SHA256'))).toContain(second.code);
  });

  it('renames and removes, each after the button press', async () => {
    const ren = await runWithPress(cli, token, ['rename', 'argv', 'spare', '--issuer', 'Zoë', '--port', token.address]);
    expect(ren.code, ren.stderr).toBe(0);
    expect(ren.stderr).toMatch(/Press the button on the token to confirm: rename "argv" to "spare", issuer "Zo\\xC3\\xAB"/);
    expect(ren.stdout).toMatch(/renamed argv to Zoë: spare/);
    const rm = await runWithPress(cli, token, ['remove', 'spare', '--port', token.address]);
    expect(rm.code, rm.stderr).toBe(0);
    expect(await listNames(cli, token.address)).toEqual(['aws-root', 'octo', 'piped']);
  });

  it('keeps the accounts across a restart of the token', async () => {
    await token.close();
    token = await startToken(board, { stateDir: token.stateDir });
    expect(await listNames(cli, token.address)).toEqual(['aws-root', 'octo', 'piped']);
    const check = await runCli(cli, ['verify', 'aws-root', '--port', token.address, '--json']);
    expect(JSON.parse(check.stdout).check).toBe(hex(awsSeed));
  });

  it('wipes after the typed-away confirmation (--yes) and the button', async () => {
    const r = await runWithPress(cli, token, ['wipe', '--yes', '--port', token.address]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/confirm: WIPE all 3 accounts/);
    expect(await listNames(cli, token.address)).toEqual([]);
  });

  it('shows info with --json', async () => {
    const r = await runCli(cli, ['info', '--port', token.address, '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ board, algorithms: ['SHA1', 'SHA256', 'SHA512'], slotsTotal: 32, slotsFree: 32, clock: { set: true } });
  });
});
