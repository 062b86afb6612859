// Upgrades keep data: storage written by firmware 0.1 (commit aa03bcd, its
// own code: see make-fixtures.ts) read by this firmware, on the simulator and
// on the ESP32 Espruino bundle in the harness. The token must come up locked
// by the same password, with both accounts (codes as otplib computes them)
// and its clock still set, report healthy storage, and keep all of it after
// its first writes in the new layout and a restart. (Moddable: test/xs.)
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { SETTLE_MS } from '../../firmware/presence.ts';
import { COMMANDS, STATUS_OK, STATUS_WAITING } from '../../protocol/messages.ts';
import type { Fields } from '../../protocol/tlv.ts';
import { deriveAccessKey } from '../../host/lib/access.ts';
import { TokenClient } from '../../host/lib/client.ts';
import { openTransport } from '../../host/lib/transport/index.ts';
import { startSimToken } from '../../firmware/ports/node/sim-token.ts';
import type { SimToken } from '../../firmware/ports/node/sim-token.ts';
import { otplibTotp } from '../helpers/providers.ts';
import { bundleEntry, EspruinoVm, newFlash } from '../espruino/harness.ts';
import { hostOn } from '../espruino/harness-host.ts';
import { FIXTURE } from './fixture-spec.ts';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')).files as Record<string, string>;
const LATER = FIXTURE.madeAtMs + 3600_000; // the new firmware starts an hour after the old one last ran
const seconds = (ms: number) => Math.floor(ms / 1000);
const expectedCode = (a: (typeof FIXTURE.accounts)[number], ms: number) => otplibTotp(Buffer.from(a.secretHex, 'hex'), seconds(ms), a.digits, a.period, a.algorithm);

describe('upgrade from firmware 0.1 storage (aa03bcd): the simulator', () => {
  const open: SimToken[] = [];
  afterEach(async () => {
    while (open.length) await open.pop()!.close();
  });

  async function session(stateDir: string) {
    const sim = await startSimToken({ stateDir, link: 'tcp', timeSource: () => LATER });
    open.push(sim);
    const client = new TokenClient(await openTransport(sim.address));
    const info = await client.hello();
    return { sim, client, info };
  }

  it('keeps the password, both accounts and the clock, and still does after writing the new layout', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'tt-upgrade-sim-'));
    for (const [name, text] of Object.entries(fixture('sim.json'))) {
      mkdirSync(dirname(join(stateDir, name)), { recursive: true });
      writeFileSync(join(stateDir, name), text, 'latin1');
    }
    for (let boot = 0; boot < 2; boot++) {
      const { sim, client, info } = await session(stateDir);
      expect(info.locked, `boot ${boot}`).toBe(true);
      await client.unlock(FIXTURE.password); // fills in what a locked HELLO held back
      expect(client.info!.storageHealth, `boot ${boot}`).toBe(0);
      expect(client.info!.clock.set, `boot ${boot}`).toBe(true);
      const accounts = await client.list();
      expect(accounts.map((a) => [a.name, a.issuer, a.algorithm, a.digits, a.period])).toEqual(FIXTURE.accounts.map((a) => [a.name, a.issuer, a.algorithm, a.digits, a.period]));
      for (const a of FIXTURE.accounts) {
        const got = await client.code(a.name, () => setTimeout(() => sim.press('confirm'), SETTLE_MS + 100)); // real time: the settle time passes first
        expect(got.code, a.name).toBe(expectedCode(a, LATER));
      }
      await client.close();
      await open.pop()!.close();
    }
    // The unlock rewrote the password record in the new layout; the old bare copy is gone.
    expect(readdirSync(join(stateDir, 'storage')).sort()).toEqual(['tt.acc.1', 'tt.access.0', 'tt.access.1', 'tt.clock']);
  }, 30_000);
});

describe('upgrade from firmware 0.1 storage (aa03bcd): the ESP32 Espruino bundle in the harness', () => {
  it('keeps the password, both accounts and the clock, and still does after writing the new layout', async () => {
    const code = await bundleEntry(fileURLToPath(new URL('../../firmware/ports/espruino/esp32-ssd1306.ts', import.meta.url)));
    const flash = newFlash(LATER);
    for (const [name, text] of Object.entries(fixture('espruino.json'))) flash.files.set(name, text);
    for (let boot = 0; boot < 2; boot++) {
      const vm = new EspruinoVm({ flash, font6x8: true }).boot(code);
      const host = hostOn(vm, 'Serial1'); // sessions, settle time, pings (harness-host.ts)
      const send = (command: number, fields: Fields) => host.send(command, fields)!;
      const hello = send(COMMANDS.HELLO, {});
      expect(hello.status).toBe(STATUS_OK);
      expect(hello.fields.locked, `boot ${boot}`).toBe(1);
      const key = deriveAccessKey(FIXTURE.password, hello.fields.salt as Uint8Array, hello.fields.iterations as number);
      const response = new Uint8Array(createHmac('sha1', key).update(hello.fields.challenge as Uint8Array).digest());
      const unlocked = send(COMMANDS.UNLOCK, { response });
      expect(unlocked.status, `boot ${boot}`).toBe(STATUS_OK);
      // What a locked HELLO held back comes with UNLOCK's reply.
      expect(unlocked.fields.storageHealth, `boot ${boot}`).toBe(0);
      expect(unlocked.fields.clock, `boot ${boot}`).toBe(1);
      const list = send(COMMANDS.LIST, {});
      expect((list.fields.account as Fields[]).map((a) => a.name)).toEqual(FIXTURE.accounts.map((a) => a.name));
      for (const a of FIXTURE.accounts) {
        expect(send(COMMANDS.CODE, { name: a.name }).status).toBe(STATUS_WAITING);
        const done = host.confirm('D13');
        expect(done?.status, a.name).toBe(STATUS_OK);
        expect(done?.fields.code, a.name).toBe(expectedCode(a, vm.flash.nowMs));
      }
      expect(vm.errors).toEqual([]);
    }
    expect([...flash.files.keys()].filter((k) => k !== '.bootcde').sort()).toEqual(['tt.acc.1', 'tt.access.0', 'tt.access.1', 'tt.clock']);
  }, 30_000);
});

describe('a password set by firmware 0.1.0 (long keys) on the ESP32 Espruino bundle in the harness', () => {
  // Firmware of that time wrote the access record as {"key","salt","failures"}
  // (its Espruino build did not shorten those names). The build shortens
  // 'key' and 'salt' now, so the record must be read by string keys.
  it('unlocks with the stored key (10,000 iterations), as the simulator does (test/firmware/access.test.ts)', async () => {
    const code = await bundleEntry(fileURLToPath(new URL('../../firmware/ports/espruino/esp32-ssd1306.ts', import.meta.url)));
    const flash = newFlash(LATER);
    const key = Buffer.alloc(32, 7);
    flash.files.set('tt.access', JSON.stringify({ key: key.toString('base64'), salt: Buffer.alloc(16, 1).toString('base64'), failures: 0 }));
    const vm = new EspruinoVm({ flash, font6x8: true }).boot(code);
    const host = hostOn(vm, 'Serial1');
    const hello = host.send(COMMANDS.HELLO, {})!;
    expect([hello.status, hello.fields.locked, hello.fields.iterations]).toEqual([STATUS_OK, 1, 10000]);
    const response = new Uint8Array(createHmac('sha1', key).update(hello.fields.challenge as Uint8Array).digest());
    expect(host.send(COMMANDS.UNLOCK, { response })!.status).toBe(STATUS_OK);
    expect(vm.errors).toEqual([]);
  }, 30_000);
});
