// Issue 7's end-to-end promise: a simulator whose oscillator runs 20 ppm (or
// 5,000 ppm) off, synced twice a week apart through the real client over the
// pty, keeps showing on its display the code otplib gives for the TRUE time,
// day after day for months.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimToken } from '../../firmware/ports/node/sim-token.ts';
import type { SimToken } from '../../firmware/ports/node/sim-token.ts';
import { hasSocat } from '../../firmware/ports/node/serial-links.ts';
import { TokenClient } from '../../host/lib/client.ts';
import { openTransport } from '../../host/lib/transport/index.ts';
import { readCode } from '../helpers/ocr.ts';
import { otplibTotp } from '../helpers/providers.ts';

const DAY = 86400000;
let sim: SimToken | undefined;
let client: TokenClient | undefined;

afterEach(async () => {
  await client?.close();
  await sim?.close();
});

async function run(ppm: number, days: number): Promise<{ worstMs: number; checked: number }> {
  const start = Date.UTC(2027, 0, 1);
  let trueMs = start;
  // The oscillator: raw time runs ppm fast, with a ±1 ppm wobble of one-hour
  // period (integrated, so raw time stays continuous).
  const P = 3600000 / (2 * Math.PI);
  const raw = () => {
    const e = trueMs - start;
    return start + e * (1 + ppm / 1e6) + (P * (1 - Math.cos(e / P))) / 1e6;
  };
  sim = await startSimToken({ stateDir: mkdtempSync(join(tmpdir(), 'months-')), link: hasSocat() ? 'pty' : 'tcp', timeSource: raw, typicalDriftPpm: Math.abs(ppm) > 100 ? 5000 : 30 });
  client = new TokenClient(await openTransport(sim.address));
  await client.hello();
  const secret = new Uint8Array(randomBytes(40));
  await client.add({ name: 'months', issuer: '', algorithm: 'SHA1', digits: 6, period: 30, secret: Uint8Array.from(secret) });
  const press = () => sim!.press('confirm'); // a big correction needs the button, as it should
  // Each sync lands 25 ms off, opposite ways: worse than the pty's sub-millisecond
  // round trips, like a busy USB host.
  await client.syncTime(() => trueMs + 25, press);
  trueMs += 7 * DAY;
  await client.syncTime(() => trueMs - 25, press);
  let worst = 0;
  let checked = 0;
  for (let d = 1; d <= days; d++) {
    // Check mid-period, where an error under the tolerance cannot change the code.
    trueMs += DAY;
    trueMs += 15000 - (trueMs % 30000);
    worst = Math.max(worst, Math.abs((await client.timeGet()).timeMs! - trueMs));
    sim.app.render();
    expect(readCode(sim.framebuffer), `day ${d}`).toBe(otplibTotp(secret, Math.floor(trueMs / 1000), 6, 30, 'SHA1'));
    checked++;
  }
  console.log(`${ppm} ppm over ${days} days: worst error ${worst} ms`);
  return { worstMs: worst, checked };
}

describe('codes on the display over simulated months with a drifting clock', () => {
  it('20 ppm crystal: 180 days after two syncs a week apart', async () => {
    const r = await run(20, 180);
    expect(r.checked).toBe(180);
    expect(r.worstMs).toBeLessThan(2000);
  }, 60_000);

  it('5,000 ppm RC oscillator: 7 days after two syncs a week apart', async () => {
    const r = await run(5000, 7);
    expect(r.worstMs).toBeLessThan(2000);
  }, 60_000);

  it('without the second sync the 5,000 ppm clock drifts off and the codes go wrong (the test can fail)', async () => {
    const start = Date.UTC(2027, 0, 1);
    let trueMs = start;
    sim = await startSimToken({ stateDir: mkdtempSync(join(tmpdir(), 'months-')), link: hasSocat() ? 'pty' : 'tcp', timeSource: () => start + (trueMs - start) * 1.005 });
    client = new TokenClient(await openTransport(sim.address));
    await client.hello();
    const secret = new Uint8Array(randomBytes(20));
    await client.add({ name: 'x', issuer: '', algorithm: 'SHA1', digits: 6, period: 30, secret: Uint8Array.from(secret) });
    await client.syncTime(() => trueMs);
    trueMs += DAY + 15000 - ((trueMs + DAY) % 30000);
    sim.app.render();
    expect(readCode(sim.framebuffer)).not.toBe(otplibTotp(secret, Math.floor(trueMs / 1000), 6, 30, 'SHA1'));
  }, 60_000);
});
