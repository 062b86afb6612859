// The enroll, import and fleet commands through the real bundled CLI, against
// simulators over TCP: a fleet of three with one dying midway and a resume,
// imports with their refusals, and enroll's refusals of bad input. The full
// timed enroll through the CLI waits for real periods: enroll-cli.slow.test.ts.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimToken } from '../../firmware/ports/node/sim-token.ts';
import type { SimToken } from '../../firmware/ports/node/sim-token.ts';
import { base32Encode } from '../../protocol/base32.ts';
import { createFrameReader } from '../../protocol/frame.ts';
import { decodeReply } from '../../protocol/messages.ts';
import { TokenClient } from '../../host/lib/client.ts';
import { buildPskc } from '../../host/lib/export/pskc.ts';
import { parseEntraCsv } from '../../host/lib/export/entra-csv.ts';
import { readPskcFile } from '../../host/lib/import/pskc-node.ts';
import { openTransport } from '../../host/lib/transport/index.ts';
import { ensureCli, releaseCli, runCli, tempDir } from '../e2e/harness.ts';
import { migrationPayload, migrationUri } from './helpers/protobuf-encode.ts';

let cli: string;
const dir = tempDir('enroll-cli');
const sims: SimToken[] = [];

async function sim(stateDir: string, opts: { tcpPort?: number; dieAfterFirstAdd?: boolean } = {}): Promise<SimToken> {
  let s: SimToken | undefined;
  let dying = false;
  // A reply carrying a key check after an ADD: the first account is stored; then the "cable is pulled"
  // at once (a timer here let a loaded machine finish the next ADD first: the test flaked).
  const reader = createFrameReader('<', (body) => {
    const r = decodeReply(body);
    if (opts.dieAfterFirstAdd && !dying && r.fields.check instanceof Uint8Array) {
      dying = true;
      void s?.close();
    }
  }, () => {});
  s = await startSimToken({ stateDir, link: 'tcp', tcpPort: opts.tcpPort ?? 0, presenceTimeoutMs: 3000, traceOut: (t) => reader.push(t) });
  sims.push(s);
  return s;
}

async function withClient<T>(address: string, fn: (c: TokenClient) => Promise<T>): Promise<T> {
  const c = new TokenClient(await openTransport(address));
  try {
    await c.hello();
    return await fn(c);
  } finally {
    await c.close();
  }
}

beforeAll(async () => {
  cli = await ensureCli();
}, 120_000);

afterAll(async () => {
  for (const s of sims) await s.close().catch(() => {});
  releaseCli(cli);
  rmSync(dir, { recursive: true, force: true });
});

describe('totp-token fleet', () => {
  it('provisions three simulated tokens at once; one dies midway; the re-run resumes and writes the files', async () => {
    const a = await sim(join(dir, 'fa'));
    const b = await sim(join(dir, 'fb'));
    const c = await sim(join(dir, 'fc'), { dieAfterFirstAdd: true });
    const cPort = Number(new URL(c.address).port);
    const ports = [a.address, b.address, c.address].join(',');
    const out = join(dir, 'fleet-out');
    mkdirSync(out);
    const args = ['fleet', '--ports', ports, '--count', '2', '--issuer', 'Contoso', '--upn-template', 'user{n}@contoso.com', '--name-template', '{serial}-{k}', '--pskc', join(out, 'fleet.pskcxml'), '--pskc-password', '--csv', join(out, 'fleet.csv')];

    const r1 = await runCli(cli, args, { input: 'fleet password\n' });
    expect(r1.code).not.toBe(0);
    expect(r1.stderr).toMatch(new RegExp(`${c.address.replace(/[.]/g, '\\.')}\\s+FAILED: `));
    expect(r1.stderr).toMatch(/done: serial TT-0001, 2 accounts/);
    expect(r1.stderr).toMatch(/done: serial TT-0002, 2 accounts/);
    expect(r1.stderr).toMatch(/1 of 3 port\(s\) failed: .*run the same command again to resume/);
    expect(existsSync(join(out, 'fleet.pskcxml'))).toBe(false);
    expect(existsSync(join(out, 'fleet.csv'))).toBe(false);
    const state = join(out, 'totp-token-fleet-state.json');
    expect(statSync(state).mode & 0o777).toBe(0o600);

    // Plug it back in: same state folder, same port.
    await sim(join(dir, 'fc'), { tcpPort: cPort });
    const r2 = await runCli(cli, args, { input: 'fleet password\n' });
    expect(r2.stderr).toMatch(/already done in an earlier run \(serial TT-0001\)/);
    expect(r2.stderr).toMatch(/resuming: finishing with the seeds on record/);
    expect(r2.stderr).toMatch(/'TT-0003-1' was already stored with its seed/);
    expect(r2.code).toBe(0);
    expect(r2.stdout).toContain(`PSKC file (seeds, password-protected, mode 0600): ${join(out, 'fleet.pskcxml')}`);
    expect(r2.stdout).toContain(`Entra ID CSV (seeds in base32, mode 0600): ${join(out, 'fleet.csv')}`);
    expect(r2.stdout).toContain(`State file (also holds the seeds, mode 0600): ${state}`);

    // The files hold exactly what each token holds: the key check agrees for every account.
    const keys = await readPskcFile(join(out, 'fleet.pskcxml'), { password: 'fleet password' });
    expect(keys.map((k) => [k.serial, k.otp.account, k.userId])).toEqual([
      ['TT-0001', 'TT-0001-1', 'user1@contoso.com'], ['TT-0001', 'TT-0001-2', 'user1@contoso.com'],
      ['TT-0002', 'TT-0002-1', 'user2@contoso.com'], ['TT-0002', 'TT-0002-2', 'user2@contoso.com'],
      ['TT-0003', 'TT-0003-1', 'user3@contoso.com'], ['TT-0003', 'TT-0003-2', 'user3@contoso.com'],
    ]);
    const addressOf = (serial: string) => [a.address, b.address, c.address][Number(serial.slice(-1)) - 1];
    for (const k of keys) {
      const v = await withClient(addressOf(k.serial), (cl) => cl.verify(k.otp.account, 'SHA1', new Uint8Array(k.otp.secret)));
      expect(v.match).toBe(true);
    }
    const rows = parseEntraCsv(readFileSync(join(out, 'fleet.csv'), 'utf8'));
    expect(rows.map((r) => [r.upn, r.serial, r.period])).toContainEqual(['user3@contoso.com', 'TT-0003-2', 30]);
    expect(rows.map((r) => base32Encode(r.secret))).toEqual(keys.map((k) => base32Encode(k.otp.secret)));

    // Once more: the files exist, so nothing is overwritten.
    const r3 = await runCli(cli, args, { input: 'fleet password\n' });
    expect(r3.code).toBe(2);
    expect(r3.stderr).toMatch(/already exists: refusing to overwrite it/);
  }, 60_000);
});

describe('totp-token import', () => {
  it('imports a Google Authenticator export from its QR image, and a PSKC file; refuses a wrong password and a wrong QR', async () => {
    const s = await sim(join(dir, 'imp'));
    const png = join(dir, 'ga.png');
    await QRCode.toFile(png, migrationUri(migrationPayload([
      { secret: new Uint8Array(20).fill(1), name: 'GitHub:me', issuer: 'GitHub', algorithm: 1, digits: 1, type: 2 },
      { secret: new Uint8Array(32).fill(2), name: 'vault', issuer: 'Vault', algorithm: 2, digits: 2, type: 2 },
    ])), { type: 'png' });
    const r1 = await runCli(cli, ['import', png, '--port', s.address, '--json']);
    expect(r1.code).toBe(0);
    expect(JSON.parse(r1.stdout)).toMatchObject({ kind: 'migration', imported: true, accounts: [{ name: 'me', issuer: 'GitHub' }, { name: 'vault', issuer: 'Vault', algorithm: 'SHA256', digits: 8 }] });

    const pskc = join(dir, 'vendor.pskcxml');
    writeFileSync(pskc, buildPskc([{ otp: { type: 'totp', issuer: 'Vendor', account: 'hw-1', secret: new Uint8Array(20).fill(7), algorithm: 'SHA1', digits: 6, period: 60, counter: 0 } }], { password: 'right', iterations: 1000 }));
    const wrong = await runCli(cli, ['import', pskc, '--password-stdin', '--port', s.address], { input: 'wrong\n' });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/wrong password or key .*nothing was imported/);
    const ok = await runCli(cli, ['import', pskc, '--password-stdin', '--port', s.address], { input: 'right\n' });
    expect(ok.code).toBe(0);
    expect(ok.stderr).toMatch(/added Vendor: hw-1 \(key check [0-9a-f]{16}\)/);

    const wifi = join(dir, 'wifi.png');
    await QRCode.toFile(wifi, 'WIFI:S:guest;T:WPA;P:guestpass;;', { type: 'png' });
    const bad = await runCli(cli, ['import', wifi, '--port', s.address]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/this QR code holds a Wi-Fi network \(WIFI:\), not a key/);
    expect(bad.stderr).not.toContain('guestpass');
    const again = await runCli(cli, ['import', png, '--port', s.address]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/nothing was imported:\n.*already has an account named 'me'/);
    expect(await withClient(s.address, async (cl) => (await cl.list()).map((x) => x.name))).toEqual(['me', 'vault', 'hw-1']);
  }, 60_000);
});

describe('totp-token enroll: bad input is refused before the token is touched', () => {
  it('a wrong QR code, a truncated AWS key, and --resync without a name', async () => {
    const png = join(dir, 'link.png');
    await QRCode.toFile(png, 'https://aws.amazon.com/', { type: 'png' });
    const r1 = await runCli(cli, ['enroll', '--qr', png, '--aws', '--port', 'tcp://127.0.0.1:1']);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toMatch(/this QR code holds a web link \(http\/https\), not a key; enrollment needs the QR code from the service's MFA setup page/);
    const key = base32Encode(new Uint8Array(40).fill(9), false);
    const r2 = await runCli(cli, ['enroll', '--secret', '-', '--aws', '--name', 'root', '--port', 'tcp://127.0.0.1:1'], { input: key.slice(0, 63) });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/an AWS secret configuration key is 64 characters; this one has 63: it looks truncated/);
    const r3 = await runCli(cli, ['enroll', '--resync', '--port', 'tcp://127.0.0.1:1']);
    expect(r3.code).toBe(2);
    expect(r3.stderr).toMatch(/--resync needs --name/);
  }, 30_000);
});
