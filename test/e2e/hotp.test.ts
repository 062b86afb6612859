// HOTP end to end through the real CLI over a pty, on every e2e board (the
// simulator and the johnny-five 16x2 LCD board): add from an otpauth://hotp
// URI and from --type hotp --counter N, list (human and --json), code after
// the button, the device's confirm press, and the counter surviving a restart.
// Codes are compared with otplib's HOTP.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { base32Encode } from '../../protocol/base32.ts';
import { otplibHotp } from '../helpers/providers.ts';
import { describeBoards, startToken } from './boards.ts';
import type { BoardToken } from './boards.ts';
import { cliForSuite, runCli, runWithPress, seeds } from './harness.ts';

// A confirmation takes the token's 1 s settle time before a press counts (three of them in one test).
vi.setConfig({ testTimeout: 20_000 });

const cli = cliForSuite();

describeBoards('HOTP accounts through the CLI', (board) => {
  let token: BoardToken;
  const uriSeed = new Uint8Array(randomBytes(20));
  const bareSeed = new Uint8Array(randomBytes(32));
  seeds.push(uriSeed, bareSeed);

  beforeAll(async () => {
    token = await startToken(board);
  });
  afterAll(async () => {
    await token?.close();
  });

  it('info says the firmware holds HOTP accounts', async () => {
    const r = await runCli(cli, ['info', '--port', token.address]);
    expect(r.stdout).toMatch(/^accounts   TOTP, HOTP$/m);
    expect(JSON.parse((await runCli(cli, ['info', '--json', '--port', token.address])).stdout).hotp).toBe(true);
  });

  it('adds from an otpauth://hotp URI with its counter, and from --type hotp --counter', async () => {
    const uri = `otpauth://hotp/VPN:alice?secret=${base32Encode(uriSeed, false)}&issuer=VPN&counter=41`;
    const r = await runCli(cli, ['add', '--uri', '-', '--port', token.address], { input: uri });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/added VPN: alice \(SHA1, 6 digits, HOTP, counter 41\)/);
    const b = await runCli(cli, ['add', '--secret', '-', '--name', 'door', '--type', 'hotp', '--counter', '7', '--digits', '8', '--port', token.address, '--json'], { input: base32Encode(bareSeed) });
    expect(b.code, b.stderr).toBe(0);
    expect(JSON.parse(b.stdout).added).toEqual({ name: 'door', issuer: '', type: 'hotp', algorithm: 'SHA1', digits: 8, counter: 7 });
  });

  it('lists type and counter, in text and JSON', async () => {
    const human = await runCli(cli, ['list', '--port', token.address]);
    expect(human.stdout).toMatch(/^alice\tVPN\tHOTP\tSHA1\t6\tcounter 41$/m);
    expect(human.stdout).toMatch(/^door\t-\tHOTP\tSHA1\t8\tcounter 7$/m);
    const json = JSON.parse((await runCli(cli, ['list', '--json', '--port', token.address])).stdout);
    expect(json.accounts).toEqual([
      { name: 'alice', issuer: 'VPN', type: 'hotp', algorithm: 'SHA1', digits: 6, counter: 41 },
      { name: 'door', issuer: '', type: 'hotp', algorithm: 'SHA1', digits: 8, counter: 7 },
    ]);
  });

  it('code NAME gives the next code after the button, each call the next one', async () => {
    for (const counter of [41, 42]) {
      const r = await runWithPress(cli, token, ['code', 'alice', '--port', token.address, '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/confirm: send next HOTP code: "alice"/);
      expect(JSON.parse(r.stdout)).toEqual({ name: 'alice', type: 'hotp', code: otplibHotp(uriSeed, counter, 6, 'SHA1'), counter });
    }
    const human = await runWithPress(cli, token, ['code', 'door', '--port', token.address]);
    expect(human.stdout.trim()).toBe(`${otplibHotp(bareSeed, 7, 8, 'SHA1')}\t(HOTP, counter 7; the token now holds 8)`);
  });

  it('verify compares the key, and says when the key given is of the other type', async () => {
    const same = await runCli(cli, ['verify', 'alice', '--uri', '-', '--port', token.address], { input: `otpauth://hotp/VPN:alice?secret=${base32Encode(uriSeed, false)}&counter=0` });
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toMatch(/holds the key given/);
    const totp = await runCli(cli, ['verify', 'alice', '--uri', '-', '--port', token.address], { input: `otpauth://totp/VPN:alice?secret=${base32Encode(uriSeed, false)}` });
    expect(totp.code).toBe(11);
    expect(totp.stderr).toMatch(/alice on the token is HOTP, the key given is TOTP/);
  });

  it('on the device: no code until confirm, then the next one', async () => {
    const idle = token.readDisplay();
    expect(idle.code).toBeNull();
    expect(idle.label).toMatch(/^HOTP VPN/);
    await token.press('confirm');
    expect(token.readDisplay().code).toBe(otplibHotp(uriSeed, 43, 6, 'SHA1'));
    await token.press('next'); // door: its own idle screen, no code carried over
    expect(token.readDisplay().code).toBeNull();
    await token.press('confirm');
    expect(token.readDisplay().code).toBe(otplibHotp(bareSeed, 8, 8, 'SHA1'));
  });

  it('keeps the counters across a restart', async () => {
    await token.close();
    token = await startToken(board, { stateDir: token.stateDir });
    const json = JSON.parse((await runCli(cli, ['list', '--json', '--port', token.address])).stdout);
    expect(json.accounts.map((a: { counter: number }) => a.counter)).toEqual([44, 9]);
  });

  it('refuses what does not fit HOTP with a clear line, changing nothing', async () => {
    const uri = `otpauth://hotp/VPN:bob?secret=${base32Encode(uriSeed, false)}&counter=1`;
    const clash = await runCli(cli, ['add', '--uri', '-', '--counter', '5', '--port', token.address], { input: uri });
    expect(clash.code).toBe(2);
    expect(clash.stderr).toMatch(/--counter 5 contradicts the key's own counter \(1\)/);
    const noType = await runCli(cli, ['add', '--secret', '-', '--name', 'x', '--counter', '5', '--port', token.address], { input: base32Encode(bareSeed) });
    expect(noType.code).toBe(2);
    expect(noType.stderr).toMatch(/--counter is for HOTP keys: add --type hotp/);
    const badCounter = await runCli(cli, ['add', '--secret', '-', '--name', 'x', '--type', 'hotp', '--counter', '-1', '--port', token.address], { input: base32Encode(bareSeed) });
    expect(badCounter.code).toBe(2);
    const json = JSON.parse((await runCli(cli, ['list', '--json', '--port', token.address])).stdout);
    expect(json.accounts.map((a: { name: string }) => a.name)).toEqual(['alice', 'door']);
  });
});
