// `totp-token enroll` end to end through the bundled CLI, in real time: an
// AWS-shaped QR code image (64-character seed, label without issuer), a
// simulator on TCP, the button pressed when the CLI asks. The test starts the
// CLI early in a period so the run takes about 25 s rather than up to a minute.
import { SETTLE_MS } from '../../firmware/presence.ts';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSimToken } from '../../firmware/ports/node/sim-token.ts';
import type { SimToken } from '../../firmware/ports/node/sim-token.ts';
import { base32Encode } from '../../protocol/base32.ts';
import { TokenClient } from '../../host/lib/client.ts';
import { openTransport } from '../../host/lib/transport/index.ts';
import { otplibTotp } from '../helpers/providers.ts';
import { ensureCli, releaseCli, startCli, tempDir } from '../e2e/harness.ts';

let cli: string;
let sim: SimToken;
const dir = tempDir('enroll-cli-real');
const seed = new Uint8Array(40).map((_, i) => (i * 29 + 3) & 255);

beforeAll(async () => {
  cli = await ensureCli();
  sim = await startSimToken({ stateDir: join(dir, 'sim'), link: 'tcp' });
  const c = new TokenClient(await openTransport(sim.address));
  await c.hello();
  await c.syncTime();
  await c.close();
}, 120_000);

afterAll(async () => {
  await sim?.close();
  releaseCli(cli);
  rmSync(dir, { recursive: true, force: true });
});

it('enroll --qr aws.png --aws: stores the key, then two consecutive codes and when to submit them', async () => {
  const png = join(dir, 'aws.png');
  await QRCode.toFile(png, `otpauth://totp/root-account-mfa-device@123456789012?secret=${base32Encode(seed, false)}`, { type: 'png' });
  // Start 2 to 8 s into a period: code 1 comes at once, code 2 after the next boundary.
  for (;;) {
    const into = Date.now() % 30_000;
    if (into >= 2_000 && into <= 8_000) break;
    await new Promise((r) => setTimeout(r, into < 2_000 ? 2_000 - into : 32_000 - into));
  }
  const run = startCli(cli, ['enroll', '--qr', png, '--aws', '--no-countdown', '--port', sim.address, '--json']);
  // Each press comes after the token's settle time: a press sooner does not count.
  await run.waitFor(/Code 1: press the button on the token/);
  await new Promise((r) => setTimeout(r, SETTLE_MS + 150));
  sim.press('confirm');
  await run.waitFor(/Code 2: press the button on the token/);
  await new Promise((r) => setTimeout(r, SETTLE_MS + 150));
  const pressed2 = Date.now();
  sim.press('confirm');
  const r = await run.done;
  expect(r.code).toBe(0);
  expect(r.stderr).toMatch(/Key check passed: the token holds exactly this key/);
  expect(r.stderr).toMatch(/Enter both codes \(code 1: \d{6}, code 2: \d{6}\) on the AWS page and submit now, within \d+ seconds\./);
  const out = JSON.parse(r.stdout);
  expect(out).toMatchObject({ name: 'root-account-mfa-device@123456789012', issuer: 'AWS', alreadyStored: false });
  const n = Math.floor(pressed2 / 30_000);
  expect([out.code1, out.code2]).toEqual([otplibTotp(seed, (n - 1) * 30, 6, 30, 'SHA1'), otplibTotp(seed, n * 30, 6, 30, 'SHA1')]);
}, 120_000);
