// Upgrades keep data: a Pico token whose records firmware aa03bcd wrote into
// the SDK's Preference store (fixtures/pico-aa03bcd-records.json, written by
// that commit's own code: fixtures/aa03bcd-records.ts) gets this firmware. Its
// first start moves the records into the port's flash store
// (firmware/ports/moddable/migrate.ts): accounts, clock and USB password all
// survive, the Preference entries go, and a power cut at any flash operation
// of that first start loses nothing.
import { createHmac, pbkdf2Sync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { moddablePicoSsd1306 as board } from '../../boards/moddable-pico-ssd1306.ts';
import { nodeHashes } from '../../host/lib/hashes/node-hashes.ts';
import type { Algorithm } from '../../protocol/hash.ts';
import { keyCheckValue } from '../../protocol/keycheck.ts';
import { ALGORITHM_NAMES, COMMANDS, STATUS_OK } from '../../protocol/messages.ts';
import { otplibTotp } from '../helpers/providers.ts';
import { xsSuite } from './moddable-harness.ts';
import type { XsToken } from './moddable-harness.ts';
import type { ShimConfig } from './shims/config.ts';

interface Fixture {
  syncedAtMs: number;
  password: string;
  salt: string;
  accounts: { name: string; issuer: string; algorithm: number; digits: number; period: number; secret: string }[];
  preferences: ShimConfig['preferences'];
}
const fixture: Fixture = JSON.parse(readFileSync(new URL('./fixtures/pico-aa03bcd-records.json', import.meta.url), 'utf8'));
const LATER = fixture.syncedAtMs + 3600000; // the board's RTC kept running while it was flashed

const start = xsSuite(board, { bootTimeMs: LATER });

/** Everything the old token held, checked through the protocol only. */
async function expectOldData(t: XsToken): Promise<void> {
  const hello = (await t.send(COMMANDS.HELLO, {}))[0]!;
  expect(hello.status).toBe(STATUS_OK);
  expect(hello.fields.locked).toBe(1);
  expect(Buffer.from(hello.fields.salt as Uint8Array).toString('hex')).toBe(fixture.salt);
  const key = pbkdf2Sync(fixture.password, Buffer.from(fixture.salt, 'hex'), hello.fields.iterations as number, 32, 'sha256');
  const response = new Uint8Array(createHmac('sha1', key).update(hello.fields.challenge as Uint8Array).digest());
  expect((await t.send(COMMANDS.UNLOCK, { response }))[0]!.status).toBe(STATUS_OK);
  const [list] = await t.send(COMMANDS.LIST, {});
  expect(list!.fields.account).toEqual(fixture.accounts.map((a) => ({ name: a.name, issuer: a.issuer, algorithm: a.algorithm, digits: a.digits, period: a.period })));
  for (const a of fixture.accounts) {
    const algorithm = ALGORITHM_NAMES[a.algorithm] as Algorithm;
    const [check] = await t.send(COMMANDS.KEY_CHECK, { name: a.name });
    expect(Buffer.from(check!.fields.check as Uint8Array).toString('hex')).toBe(Buffer.from(keyCheckValue(nodeHashes()[algorithm]!, Buffer.from(a.secret, 'hex'))).toString('hex'));
  }
  const [time] = await t.send(COMMANDS.TIME_GET, {});
  expect(time!.fields.syncedAtMs).toBe(fixture.syncedAtMs);
  expect(time!.fields.clock).toBe(1);
  // The clock kept, a code comes out after the press, as otplib computes it.
  const a = fixture.accounts[0]!;
  await t.send(COMMANDS.CODE, { name: a.name });
  await t.tick(1500);
  const [code] = await t.press('confirm');
  const at = (await t.status()).nowMs;
  const want = [at - 200, at - 100, at].map((ms) => otplibTotp(Buffer.from(a.secret, 'hex'), Math.floor(ms / 1000), a.digits, a.period, 'SHA1'));
  expect(want).toContain(code!.fields.code);
}

describe('moddable-pico-ssd1306: firmware aa03bcd\'s Preference records after the upgrade', () => {
  it('keeps accounts, clock and password, moves them into flash once and deletes the Preference entries', async () => {
    expect(Object.keys(fixture.preferences.totp!).length).toBeGreaterThan(6);
    const t = await start({ preferences: fixture.preferences });
    await expectOldData(t);
    const after = await t.persisted();
    expect(after.preferences).toEqual({});
    expect(Object.keys(after.flash!).length).toBeGreaterThan(0);
    // Every seed byte is gone from the Preference sectors (deleted entries are zeroed in place).
    const prefSectors = [String(0x1f8000), String(0x1f9000)].map((k) => after.flash![k] ?? '').join('');
    for (const a of fixture.accounts) expect(prefSectors).not.toContain(a.secret.slice(0, 16));
    // A second start finds only the flash store.
    await expectOldData(await start({ ...after }));
  }, 120000);

  it('a power cut at any flash operation of the first start loses nothing', async () => {
    const probe = await start({ preferences: fixture.preferences });
    const steps = (await probe.preferences()).writes;
    expect(steps).toBeGreaterThan(3);
    for (let cut = 0; cut < steps; cut++) {
      const cutOff = await start({ preferences: fixture.preferences, cutAfterWrites: cut }, { allowStartFailure: true });
      expect(cutOff.startError?.message, `cut ${cut}`).toMatch(/power cut/);
      const again = await start({ ...(await cutOff.persisted()) });
      await expectOldData(again);
      await Promise.all([cutOff.close(), again.close()]);
    }
  }, 600000);
});
