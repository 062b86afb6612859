// The Espruino bundles of both boards, run in the Node harness (Espruino's
// built-ins, Espruino's missing built-ins withheld): a protocol conversation,
// the single button (short = next, long = confirm), the REPL taken off the
// link while the token runs (and left on it when the button is held at
// power-up), and accounts and clock surviving a reboot.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { espruinoEsp32Ssd1306 } from '../../boards/espruino-esp32-ssd1306.ts';
import { espruinoPicoSsd1306 } from '../../boards/espruino-pico-ssd1306.ts';
import type { EspruinoBoardProfile } from '../../boards/espruino-profile.ts';
import { keyCheckValue } from '../../protocol/keycheck.ts';
import { COMMANDS, ERRORS, STATUS_OK, STATUS_WAITING } from '../../protocol/messages.ts';
import type { Fields } from '../../protocol/tlv.ts';
import { nodeHashes } from '../../host/lib/hashes/node-hashes.ts';
import { otplibTotp } from '../helpers/providers.ts';
import { bundleEntry, EspruinoVm, newFlash, WITHHELD } from './harness.ts';
import { hostOn } from './harness-host.ts';
import type { BootOptions } from './harness.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const T0 = Date.UTC(2026, 0, 1, 12, 0, 7);

const seed20 = new Uint8Array(20).map((_, i) => i + 1);
const seed64 = new Uint8Array(64).map((_, i) => 255 - i);

for (const board of [espruinoPicoSsd1306, espruinoEsp32Ssd1306] as EspruinoBoardProfile[]) {
  describe(`${board.id} bundle in the Espruino harness`, () => {
    let code = '';
    const button = String(board.buttons[0].pin);
    const device = board.espruino.link;
    const bootOpts = (o: BootOptions = {}): BootOptions => ({ font6x8: board.espruino.font === '6x8', ...o });

    beforeAll(async () => {
      code = await bundleEntry(root + board.firmwareEntry!);
    }, 60_000); // a build under load (four suites at once on two cores) can take more than the default 10 s

    it('runs with the withheld built-ins really missing', () => {
      const vm = new EspruinoVm(bootOpts());
      for (const name of WITHHELD) expect(vm.evaluate(`globalThis.${name}`), name).toBeUndefined();
      expect(() => vm.evaluate('Array.prototype.slice.call([1,2])')).toThrow();
      expect(vm.evaluate('Array.isArray(new Uint8Array(3).slice(0, 2))')).toBe(true);
      expect(vm.evaluate('String.fromCharCode(0x141).charCodeAt(0)')).toBe(0x41);
      expect(vm.evaluate('[3, 1, 2].slice(1).length')).toBe(2);
    });

    it('answers HELLO, TIME_SET, ADD, LIST, KEY_CHECK, and CODE after a long press, with otplib\'s code', () => {
      const vm = new EspruinoVm(bootOpts({ flash: newFlash(T0) })).boot(code);
      expect(vm.console()).toBeNull(); // the REPL is off the link
      const t = hostOn(vm, device);
      const hello = t.send(COMMANDS.HELLO, {})!;
      expect(hello.status).toBe(STATUS_OK);
      const mask = board.algorithms.reduce((m, a) => m | (1 << (['SHA1', 'SHA256', 'SHA512'].indexOf(a))), 0);
      expect(hello.fields).toMatchObject({ board: board.id, algorithms: mask, slotsTotal: 32, slotsFree: 32, clock: 0 });

      const set = t.send(COMMANDS.TIME_SET, { timeMs: T0 })!;
      expect(set.status).toBe(STATUS_OK);
      expect(set.fields.clock).toBe(1);

      const add = t.send(COMMANDS.ADD, { name: 'aws', issuer: 'Amazon', algorithm: 1, digits: 6, period: 30, secret: seed20 })!;
      expect(add.status).toBe(STATUS_OK);
      expect(Buffer.from(add.fields.check as Uint8Array)).toEqual(Buffer.from(keyCheckValue(nodeHashes().SHA1!, seed20)));
      const big = t.send(COMMANDS.ADD, { name: 'big', algorithm: 3, digits: 8, period: 60, secret: seed64 })!;
      if (board.algorithms.includes('SHA512')) expect(big.status).toBe(STATUS_OK);
      else expect([big.status, String(big.fields.message)]).toEqual([ERRORS.UNSUPPORTED_ALGORITHM, expect.stringMatching(/SHA512/)]);

      const list = t.send(COMMANDS.LIST, {})!;
      expect((list.fields.account as Fields[]).map((a) => a.name)).toEqual(board.algorithms.includes('SHA512') ? ['aws', 'big'] : ['aws']);
      const check = t.send(COMMANDS.KEY_CHECK, { name: 'aws' })!;
      expect(check.fields.check).toEqual(add.fields.check);

      // The display shows the first account's code.
      vm.advance(1000);
      const now = Math.floor(vm.flash.nowMs / 1000);
      expect(vm.screen).toContain(otplibTotp(seed20, now, 6, 30, 'SHA1'));

      const waiting = t.send(COMMANDS.CODE, { name: 'aws' })!;
      expect(waiting.status).toBe(STATUS_WAITING);
      expect(vm.screen.join(' ')).toMatch(/Confirm \(\d+s\): send code: "aws"/);
      const done = t.confirm(button, 1200)!; // pressed after the settle time, collected by a ping
      expect(done.id).toBe(waiting.id);
      expect(done.status).toBe(STATUS_OK);
      expect(done.fields.code).toBe(otplibTotp(seed20, Math.floor(vm.flash.nowMs / 1000), 6, 30, 'SHA1'));
      expect(vm.errors).toEqual([]);
    });

    it('a short press moves to the next account and does not confirm', () => {
      const vm = new EspruinoVm(bootOpts({ flash: newFlash(T0) })).boot(code);
      const t = hostOn(vm, device);
      t.send(COMMANDS.HELLO, {});
      t.send(COMMANDS.TIME_SET, { timeMs: T0 });
      t.send(COMMANDS.ADD, { name: 'one', algorithm: 1, digits: 6, period: 30, secret: seed20 });
      t.send(COMMANDS.ADD, { name: 'two', algorithm: 2, digits: 6, period: 30, secret: seed20 });
      vm.advance(1000);
      expect(vm.screen[0]).toBe('one');
      vm.press(button, 200);
      expect(vm.screen[0]).toBe('two');
      expect(t.send(COMMANDS.WIPE, {})!.status).toBe(STATUS_WAITING);
      const denied = t.confirm(button, 200)!; // a short press, after the settle time

      expect(denied.status).toBe(ERRORS.PRESENCE_DENIED);
      expect((t.send(COMMANDS.LIST, {})!.fields.account as Fields[]).length).toBe(2);
    });

    it('keeps accounts and the clock across a reboot; the seeds are only in tt.* files, never in the bundle', () => {
      const flash = newFlash(T0);
      const first = new EspruinoVm(bootOpts({ flash })).boot(code);
      const t1 = hostOn(first, device);
      t1.send(COMMANDS.HELLO, {});
      t1.send(COMMANDS.TIME_SET, { timeMs: T0 });
      t1.send(COMMANDS.ADD, { name: 'kept', algorithm: 1, digits: 6, period: 30, secret: seed20 });
      flash.nowMs += 3600_000;
      const second = new EspruinoVm(bootOpts({ flash })).boot(code);
      const hello = hostOn(second, device).send(COMMANDS.HELLO, {})!;
      expect(hello.fields).toMatchObject({ clock: 1, slotsFree: 31 });
      expect(Math.abs((hello.fields.timeMs as number) - (T0 + 3600_000))).toBeLessThan(1000);
      expect([...flash.files.keys()].every((k) => k.startsWith('tt.'))).toBe(true);
      expect(code).not.toContain(Buffer.from(seed20).toString('base64').slice(0, 12));
    });

    it('with the button held at power-up it leaves the REPL on the link and does not start', () => {
      const pressed = board.buttons[0].activeLow ? 0 : 1;
      const vm = new EspruinoVm(bootOpts({ flash: newFlash(T0), held: { [button]: pressed } })).boot(code);
      expect(vm.console()).toBe('USB');
      expect(vm.screen.join(' ')).toMatch(/REPL mode/);
      const t = hostOn(vm, device);
      if (device === 'USB') expect(t.send(COMMANDS.HELLO, {})).toBeUndefined(); // went to the REPL
      expect(vm.written[device]).not.toMatch(/</);
    });
  });
}
