// Upgrades keep data: storage written by firmware 0.1 (commit aa03bcd, its
// own code: see make-fixtures.ts) read by this firmware, on the simulator
// (which converts old records at every start, firmware/migrate.ts) and on the
// ESP32 Espruino bundle in the harness after `flash` over the fake Espruino
// REPL (test/helpers/fake-espruino-repl.ts), which converts them on the board
// with its one-shot script before the bundle starts (the bundle reads today's
// layout only, and refuses to start over an old record). The token must come up locked
// by the same password, with both accounts (codes as otplib computes them)
// and its clock still set, report healthy storage, and keep all of it after
// its first writes in the new layout and a restart. (Moddable: test/xs.)
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
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
import type { Persistent } from '../espruino/harness.ts';
import { hasSocat } from '../../firmware/ports/node/serial-links.ts';
import { flashEspruino, storedForm } from '../../host/lib/flash/espruino-flash.ts';
import type { FlashResult } from '../../host/lib/flash/espruino-flash.ts';
import { migrationScript } from '../../host/lib/flash/firmware-bundle.ts';
import { createTransport } from '../../host/lib/transport/index.ts';
import { startFakeEspruinoRepl } from '../helpers/fake-espruino-repl.ts';
import type { FakeRepl } from '../helpers/fake-espruino-repl.ts';
import type { Transport } from '../../host/lib/transport/index.ts';
import { OLD_RECORDS } from '../../firmware/checked-storage.ts';
import { espruinoPicoSsd1306 as pico } from '../../boards/espruino-pico-ssd1306.ts';
import { ensureCli, runCli } from '../e2e/harness.ts';
import { bootOnLoad } from '../espruino/harness.ts';
import { hostOn } from '../espruino/harness-host.ts';
import { FIXTURE, upgradeFixture as fixture } from './fixture-spec.ts';

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
    for (const [name, text] of Object.entries(fixture('sim'))) {
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
    // Converted at the first start: two copies of each record in today's layout, nothing bare.
    expect(readdirSync(join(stateDir, 'storage')).sort()).toEqual(['tt.acc.0', 'tt.acc.1', 'tt.access.0', 'tt.access.1', 'tt.clock.0', 'tt.clock.1']);
  }, 30_000);
});

const esp32 = () => bundleEntry(fileURLToPath(new URL('../../firmware/ports/espruino/esp32-ssd1306.ts', import.meta.url)));

/** `run` with a fake ESP32 REPL (test/helpers/fake-espruino-repl.ts) holding `files` (board: its files, which a flash changes) and a transport open to it; both closed after. */
async function onFakeEsp32<T>(files: Record<string, string>, run: (t: Transport, board: Map<string, string>, repl: FakeRepl) => Promise<T>): Promise<T> {
  const board = new Map(Object.entries(files));
  const repl = await startFakeEspruinoRepl({ linkPath: join(mkdtempSync(join(tmpdir(), 'tt-upgrade-repl-')), 'tty'), board: 'ESP32', files: board });
  const t = createTransport(repl.address);
  await t.open();
  try {
    return await run(t, board, repl);
  } finally {
    await t.close();
    await repl.close();
  }
}

/** `flash` of `code` with the storage migration script, as the CLI runs it. */
const flashCode = async (t: Transport, code: string) => flashEspruino(t, new Uint8Array(Buffer.from(code, 'latin1')), { migration: await migrationScript(), startTimeoutMs: 0 });

/** `flash` of `code` over the fake REPL of a board holding `files`: what it reported, and the board's tt.* files after. */
function flashOver(files: Record<string, string>, code: string): Promise<{ result: FlashResult; flash: Persistent }> {
  return onFakeEsp32(files, async (t, board) => {
    const result = await flashCode(t, code);
    const flash = newFlash(LATER);
    for (const [name, text] of board) if (name.startsWith('tt.')) flash.files.set(name, text);
    return { result, flash };
  });
}

describe.skipIf(!hasSocat())('upgrade from firmware 0.1 storage (aa03bcd): the ESP32 Espruino bundle in the harness, after flash', () => {
  it('keeps the password, both accounts and the clock, and still does after writing the new layout', async () => {
    const code = await esp32();
    const { result, flash } = await flashOver(fixture('espruino'), code);
    expect(result.migrated).toEqual({ converted: 3, left: 0 });
    expect([...flash.files.keys()].sort()).toEqual(['tt.acc.0', 'tt.acc.1', 'tt.access.0', 'tt.access.1', 'tt.clock.0', 'tt.clock.1']);
    for (let boot = 0; boot < 2; boot++) {
      const vm = new EspruinoVm({ flash, font6x8: true }).boot(code);
      const host = hostOn(vm, 'Serial1'); // sessions, settle time, pings (harness-host.ts)
      const send = (command: number, fields: Fields) => host.send(command, fields)!;
      const hello = send(COMMANDS.HELLO, {});
      expect(hello.status).toBe(STATUS_OK);
      expect(hello.fields.locked, `boot ${boot}`).toBe(1);
      const key = await deriveAccessKey(FIXTURE.password, hello.fields.salt as Uint8Array, hello.fields.iterations as number);
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
    expect([...flash.files.keys()].filter((k) => k !== '.bootcde').sort()).toEqual(['tt.acc.0', 'tt.acc.1', 'tt.access.0', 'tt.access.1', 'tt.clock.0', 'tt.clock.1']);
  }, 60_000);

  it('flashing again converts nothing and changes no record', async () => {
    const code = await esp32();
    const first = await flashOver(fixture('espruino'), code);
    const files = Object.fromEntries(first.flash.files);
    const again = await flashOver(files, code);
    expect(again.result.migrated).toEqual({ converted: 0, left: 0 });
    expect(Object.fromEntries(again.flash.files)).toEqual(files);
  }, 60_000);

  it('a flash killed while it sends the migration script leaves every record as it was and the new bundle stored; flashing again converts them', async () => {
    const code = await esp32();
    const files = fixture('espruino');
    const board = await onFakeEsp32(files, async (t, board) => {
      const write = t.write.bind(t);
      let chunks = 0;
      t.write = async (data: string) => {
        if (data.includes('TTM+=') && ++chunks > 3) throw new Error('killed'); // the CLI dies after 3 of the script's chunks
        return write(data);
      };
      await expect(flashCode(t, code)).rejects.toThrow('killed');
      return board;
    });
    const left = Object.fromEntries([...board].filter(([k]) => k.startsWith('tt.')));
    expect(left).toEqual(files); // nothing converted, nothing lost
    // The new bundle was written before the script: powered up again it refuses to start over the old records
    // with the REPL off, where a board left without a bundle would boot to an open REPL that reads every seed.
    expect(board.get('.bootcde')).toBe(storedForm(new Uint8Array(Buffer.from(code, 'latin1')), '2v29').stored.reduce((s, b) => s + String.fromCharCode(b), ''));
    const again = await flashOver(left, code);
    expect(again.result.migrated).toEqual({ converted: 3, left: 0 });
  }, 90_000);

  it('a damaged old record: flash writes and starts the bundle (which refuses to start over it, REPL off), then says so and how to wipe, and leaves every record as it was', async () => {
    const code = await esp32();
    const files = { ...fixture('espruino'), 'tt.access': '{"k":' }; // a password record cut short
    const board = await onFakeEsp32(files, async (t, board, repl) => {
      await expect(flashCode(t, code)).rejects.toMatchObject({ code: 'FLASH_MIGRATE', message: expect.stringMatching(/1 record\(s\) older firmware stored are damaged.*--wipe/) });
      await expect.poll(() => repl.loaded).toBe(true); // started before the error: the bundle takes the console off USB
      return board;
    });
    // The readable ones were converted; the damaged one is as it was. The bundle is there: it refuses to
    // start over the record but takes the console off USB, where no bundle would leave an open REPL that reads
    // every seed (test/upgrade/flash-migrate-on-espruino.test.ts).
    expect(board.get('tt.access')).toBe('{"k":');
    expect(board.has('.bootcde')).toBe(true);
    expect([...board.keys()].filter((k) => k.startsWith('tt.')).sort()).toEqual(['tt.acc.0', 'tt.acc.1', 'tt.access', 'tt.clock.0', 'tt.clock.1']);
  }, 60_000);

  it('without flash (another tool wrote the bundle), the bundle refuses to start over the old records, says to run totp-token flash, and leaves them as they were', async () => {
    const code = await esp32();
    const flash = newFlash(LATER);
    for (const [name, text] of Object.entries(fixture('espruino'))) flash.files.set(name, text);
    const before = new Map(flash.files);
    const vm = new EspruinoVm({ flash, font6x8: true });
    expect(() => vm.boot(code)).toThrow(OLD_RECORDS); // uncaught at boot: the REPL stays off (it could read Storage)
    expect(vm.screen.join(' ')).toContain('Cannot start: ' + OLD_RECORDS);
    expect(hostOn(vm, 'Serial1').send(COMMANDS.HELLO, {})).toBeFalsy(); // no token on the link
    expect(flash.files).toEqual(before);
  }, 30_000);
});

describe.skipIf(!hasSocat())('a password set by firmware 0.1.0 (long keys) on the ESP32 Espruino bundle in the harness, after flash', () => {
  // Firmware of that time wrote the access record as {"key","salt","failures"}
  // (its Espruino build did not shorten those names): the migration script,
  // built like the bundle (which shortens 'key' and 'salt'), reads it by string keys.
  it('unlocks with the stored key (10,000 iterations)', async () => {
    const code = await esp32();
    const key = Buffer.alloc(32, 7);
    const { result, flash } = await flashOver({ 'tt.access': JSON.stringify({ key: key.toString('base64'), salt: Buffer.alloc(16, 1).toString('base64'), failures: 0 }) }, code);
    expect(result.migrated).toEqual({ converted: 1, left: 0 });
    const vm = new EspruinoVm({ flash, font6x8: true }).boot(code);
    const host = hostOn(vm, 'Serial1');
    const hello = host.send(COMMANDS.HELLO, {})!;
    expect([hello.status, hello.fields.locked, hello.fields.iterations]).toEqual([STATUS_OK, 1, 10000]);
    const response = new Uint8Array(createHmac('sha1', key).update(hello.fields.challenge as Uint8Array).digest());
    expect(host.send(COMMANDS.UNLOCK, { response })!.status).toBe(STATUS_OK);
    expect(vm.errors).toEqual([]);
  }, 60_000);
});

describe.skipIf(!hasSocat())('upgrade from firmware 0.1 storage (aa03bcd): `totp-token flash` on a Pico', () => {
  it('the CLI (its built bundle, which takes dist/espruino/migrate.js) converts the records, says so, and the token starts over them', async () => {
    const cli = await ensureCli();
    const dir = mkdtempSync(join(tmpdir(), 'tt-upgrade-cli-'));
    const bundle = join(dir, 'pico.js');
    writeFileSync(bundle, await bundleEntry(fileURLToPath(new URL('../../' + pico.firmwareEntry, import.meta.url))), 'latin1');
    const files = new Map(Object.entries(fixture('espruino')));
    const ticks: ReturnType<typeof setInterval>[] = [];
    const repl = await startFakeEspruinoRepl({ linkPath: join(dir, 'tty'), board: 'PICO_R1_3', files, onLoad: bootOnLoad(ticks) });
    try {
      const r = await runCli(cli, ['flash', '--board', pico.id, '--port', repl.address, '--bundle', bundle]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/stored token files kept: 3 \(3 record\(s\) of older firmware converted\)/);
      expect(r.stdout).toMatch(/token running: espruino-pico-ssd1306/);
      expect([...files.keys()].filter((k) => k.startsWith('tt.')).sort()).toEqual(['tt.acc.0', 'tt.acc.1', 'tt.access.0', 'tt.access.1', 'tt.clock.0', 'tt.clock.1']);
    } finally {
      ticks.forEach(clearInterval);
      await repl.close();
    }
  }, 300_000);
});
