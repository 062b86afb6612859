// The enroll flow end to end against the simulator: the real TokenClient over
// TCP to the real firmware app, an AWS-shaped QR code image (64-character
// seed, label without issuer), and one virtual clock that both the token and
// the flow read, so the timing is checked without waiting for real periods.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SETTLE_MS } from '../../firmware/presence.ts';
import { startSimToken } from '../../firmware/ports/node/sim-token.ts';
import type { SimToken } from '../../firmware/ports/node/sim-token.ts';
import { base32Encode } from '../../protocol/base32.ts';
import { TokenClient } from '../../host/lib/client.ts';
import { enrollAccount, resyncAccount } from '../../host/lib/enroll/enroll.ts';
import type { EnrollEvent } from '../../host/lib/enroll/enroll.ts';
import { readEnrollSeed } from '../../host/lib/enroll/seed.ts';
import { openTransport } from '../../host/lib/transport/index.ts';
import { otplibTotp } from '../helpers/providers.ts';
import { virtualClock } from './helpers/fake-token.ts';

// Each press waits out the token's 1 s settle time, in real time.
vi.setConfig({ testTimeout: 30_000 });

const dir = mkdtempSync(join(tmpdir(), 'enroll-sim-'));
const seed = new Uint8Array(40).map((_, i) => (i * 53 + 7) & 255);
const KEY = base32Encode(seed, false);
const T0 = 1_760_000_000_000 - (1_760_000_000_000 % 30_000) + 24_000; // 6 s before a boundary: the flow must wait
const clock = virtualClock(T0);
let sim: SimToken;
let client: TokenClient;
const PRESS_MS = 1_800;

beforeAll(async () => {
  sim = await startSimToken({ stateDir: join(dir, 'sim'), link: 'tcp', timeSource: () => clock.now() });
  client = new TokenClient(await openTransport(sim.address));
  await client.hello();
  await client.syncTime(() => clock.now());
});

afterAll(async () => {
  await client?.close();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The user: presses the token's button a little after it asks. */
function events(): { list: EnrollEvent[]; onEvent: (e: EnrollEvent) => void; presses: number[] } {
  const list: EnrollEvent[] = [];
  const presses: number[] = [];
  return {
    list,
    presses,
    onEvent: (e) => {
      list.push(e);
      if (e.kind === 'press') {
        clock.t += PRESS_MS;
        presses.push(clock.now());
        setTimeout(() => sim.press('confirm'), SETTLE_MS + 100); // real time: the token's settle time passes first
      }
    },
  };
}

describe('enroll against the simulator', () => {
  it('AWS-shaped QR: provisions, key-checks, and times two consecutive codes that otplib agrees with', async () => {
    const png = join(dir, 'aws-qr.png');
    await QRCode.toFile(png, `otpauth://totp/root-account-mfa-device@123456789012?secret=${KEY}`, { type: 'png', errorCorrectionLevel: 'M' });
    const { otp } = await readEnrollSeed({ kind: 'qr', file: png }, { aws: true, issuer: 'AWS' });
    const ev = events();
    const r = await enrollAccount(otp, 'AWS', { client, clock, onEvent: ev.onEvent, countdown: false });

    expect((await client.list()).map((a) => [a.issuer, a.name])).toEqual([['AWS', 'root-account-mfa-device@123456789012']]);
    const n = r.period1 as number;
    expect(r.code1).toBe(otplibTotp(seed, n * 30, 6, 30, 'SHA1'));
    expect(r.code2).toBe(otplibTotp(seed, (n + 1) * 30, 6, 30, 'SHA1'));
    // Started 6 s before a boundary: code 1 waited for the next period, code 2 for the one after.
    expect(n).toBe(Math.floor(T0 / 30_000) + 1);
    expect(ev.presses[0] % 30_000).toBeGreaterThanOrEqual(1_500);
    expect(30_000 - ((ev.presses[0] - PRESS_MS) % 30_000)).toBeGreaterThanOrEqual(20_000);
    expect(Math.floor(ev.presses[1] / 30_000)).toBe(n + 1);
    const submit = ev.list.find((e) => e.kind === 'submit');
    expect(submit?.text).toMatch(/^Enter both codes \(code 1: \d{6}, code 2: \d{6}\) on the AWS page and submit now, within 2\d seconds\.$/);
    expect(ev.list.some((e) => e.kind === 'tick' && /fresh 30-second period/.test(e.text))).toBe(true);
  });

  it('resync gives the next two consecutive codes from the stored account', async () => {
    const ev = events();
    const r = await resyncAccount('root-account-mfa-device@123456789012', 30, 'AWS', { client, clock, onEvent: ev.onEvent, countdown: false });
    const n = r.period1 as number;
    expect([r.code1, r.code2]).toEqual([otplibTotp(seed, n * 30, 6, 30, 'SHA1'), otplibTotp(seed, (n + 1) * 30, 6, 30, 'SHA1')]);
  });

  it('enrolling the same key again goes on; a different key under that name is refused', async () => {
    const again = await readEnrollSeed({ kind: 'uri', uri: `otpauth://totp/root-account-mfa-device@123456789012?secret=${KEY}&issuer=AWS` });
    const r = await enrollAccount(again.otp, 'AWS', { client, clock, onEvent: events().onEvent, countdown: false });
    expect(r.alreadyStored).toBe(true);
    const other = await readEnrollSeed({ kind: 'base32', key: base32Encode(new Uint8Array(40).fill(3), false) }, { aws: true, account: 'root-account-mfa-device@123456789012', issuer: 'AWS' });
    await expect(enrollAccount(other.otp, 'AWS', { client, clock, onEvent: () => {}, countdown: false })).rejects.toThrow(/different key/);
  });
});
