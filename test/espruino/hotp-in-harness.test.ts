// HOTP on the Espruino bundles of both boards, in the Node harness
// (harness.ts: Espruino's built-ins, its missing ones withheld): RFC 4226
// appendix D through ADD and CODE after a long press (in a session, the press
// after the settle time, the outcome collected by a ping), compared with otplib;
// the long press on the account's screen showing the next code; the counter
// kept in Storage across a reboot.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { espruinoEsp32Ssd1306 } from '../../boards/espruino-esp32-ssd1306.ts';
import { espruinoPicoSsd1306 } from '../../boards/espruino-pico-ssd1306.ts';
import type { EspruinoBoardProfile } from '../../boards/espruino-profile.ts';
import { COMMANDS, STATUS_OK, STATUS_WAITING, TYPE_HOTP } from '../../protocol/messages.ts';
import type { Fields } from '../../protocol/tlv.ts';
import { ascii, otplibHotp } from '../helpers/providers.ts';
import { loadVectors } from '../helpers/vectors.ts';
import { bundleEntry, EspruinoVm, newFlash } from './harness.ts';
import { hostOn } from './harness-host.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const RFC = loadVectors<{ secret_ascii: string; valid: { counter: number; code: string }[] }>('rfc4226-hotp.json');
const T0 = Date.UTC(2026, 0, 1, 12, 0, 7);

for (const board of [espruinoPicoSsd1306, espruinoEsp32Ssd1306] as EspruinoBoardProfile[]) {
  describe(`${board.id} bundle: HOTP in the Espruino harness`, () => {
    let code = '';
    const button = String(board.buttons[0].pin);
    const device = board.espruino.link;
    const boot = (flash = newFlash(T0)) => new EspruinoVm({ font6x8: board.espruino.font === '6x8', flash }).boot(code);

    beforeAll(async () => {
      code = await bundleEntry(root + board.firmwareEntry!);
    }, 60_000); // a build under load can take more than the default 10 s

    it('gives RFC 4226 appendix D codes through CODE after a long press, equal to otplib, clock never set', () => {
      const vm = boot();
      const t = hostOn(vm, device);
      expect(t.send(COMMANDS.HELLO, {})!.fields).toMatchObject({ type: TYPE_HOTP, clock: 0 });
      const added = t.send(COMMANDS.ADD, { name: 'rfc', algorithm: 1, digits: 6, secret: ascii(RFC.secret_ascii), type: TYPE_HOTP, counter: 0 })!;
      expect(added.status, String(added.fields.message)).toBe(STATUS_OK);
      for (const v of RFC.valid) {
        expect(t.send(COMMANDS.CODE, { name: 'rfc', type: TYPE_HOTP })!.status).toBe(STATUS_WAITING);
        const done = t.confirm(button, 1200)!; // pressed after the settle time, collected by a ping
        expect(done.status).toBe(STATUS_OK);
        expect(done.fields).toMatchObject({ code: v.code, counter: v.counter });
        expect(done.fields.code).toBe(otplibHotp(ascii(RFC.secret_ascii), v.counter, 6, 'SHA1'));
      }
      expect(vm.errors).toEqual([]);
    });

    it('the idle screen says how; a long press shows the next code; the counter survives a reboot', () => {
      const flash = newFlash(T0);
      const vm = boot(flash);
      const t = hostOn(vm, device);
      t.send(COMMANDS.HELLO, {});
      t.send(COMMANDS.TIME_SET, { timeMs: T0 });
      t.send(COMMANDS.ADD, { name: 'vpn', issuer: 'VPN', algorithm: 1, digits: 6, secret: ascii(RFC.secret_ascii), type: TYPE_HOTP, counter: 5 });
      vm.advance(1000);
      expect(vm.screen.slice(0, 3)).toEqual(['HOTP VPN', board.espruino.confirmHint, 'for the next code']);
      vm.press(button, 1200);
      expect(vm.screen).toContain(RFC.valid[5].code);
      const list = t.send(COMMANDS.LIST, { type: TYPE_HOTP })!;
      expect((list.fields.account as Fields[])[0].counter).toBe(6);
      const again = boot(flash);
      const t2 = hostOn(again, device);
      t2.send(COMMANDS.HELLO, {});
      expect((t2.send(COMMANDS.LIST, { type: TYPE_HOTP })!.fields.account as Fields[])[0].counter).toBe(6);
      t2.send(COMMANDS.CODE, { name: 'vpn', type: TYPE_HOTP });
      expect(t2.confirm(button, 1200)!.fields.code).toBe(RFC.valid[6].code);
      expect(vm.errors.concat(again.errors)).toEqual([]);
    });
  });
}
