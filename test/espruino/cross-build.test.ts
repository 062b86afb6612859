// The Espruino build is the same firmware as the simulator's, made smaller:
// its property names are shortened and its device text is tokenized at build
// time (host/lib/build/esbuild-firmware.ts). These tests hold it to the Node
// build of the same sources: every error reply, once the host puts the words
// back, reads exactly as the simulator's; and the Storage records (accounts,
// clock, USB password) one build writes, the other reads - so a reflash or a
// change of build keeps a user's accounts.
import { createHmac } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { espruinoEsp32Ssd1306 } from '../../boards/espruino-esp32-ssd1306.ts';
import { espruinoPicoSsd1306 } from '../../boards/espruino-pico-ssd1306.ts';
import type { EspruinoBoardProfile } from '../../boards/espruino-profile.ts';
import { createFrameReader, encodeFrame, REPLY_MARKER, REQUEST_MARKER } from '../../protocol/frame.ts';
import { keyCheckValue } from '../../protocol/keycheck.ts';
import { COMMANDS, decodeReply, encodeRequest, ERRORS, STATUS_OK, STATUS_WAITING } from '../../protocol/messages.ts';
import type { Reply } from '../../protocol/messages.ts';
import type { Fields } from '../../protocol/tlv.ts';
import { deviceText } from '../../host/lib/device-text.ts';
import { nodeHashes } from '../../host/lib/hashes/node-hashes.ts';
import { fakeToken, SteppedStorage } from '../helpers/fake-ports.ts';
import { bundleEntry, EspruinoVm, newFlash } from './harness.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const seed20 = new Uint8Array(20).map((_, i) => i + 1);
const seed32 = new Uint8Array(32).map((_, i) => 200 - i);
const answer = (key: Uint8Array, challenge: Uint8Array) => new Uint8Array(createHmac('sha1', key).update(challenge).digest());

/** Talk to a booted bundle: frames in on its link device, replies decoded from what it wrote. */
function espruinoLink(vm: EspruinoVm, device: string) {
  const replies: Reply[] = [];
  let seen = 0;
  let session: Uint8Array | undefined; // wire-protocol.md "Sessions": HELLO's id goes with every other request
  const reader = createFrameReader(REPLY_MARKER, (b) => replies.push(decodeReply(b)), () => replies.push({ id: -1, status: -1, fields: {} }));
  let id = 1;
  const raw = (text: string): Reply[] => {
    const from = replies.length;
    vm.send(text, device);
    reader.push((vm.written[device] ?? '').slice(seen));
    seen = (vm.written[device] ?? '').length;
    for (const r of replies.slice(from)) if (r.status === STATUS_OK && r.fields.session instanceof Uint8Array) session = r.fields.session;
    return replies.slice(from);
  };
  const send = (command: number, fields: Fields) =>
    raw(encodeFrame(REQUEST_MARKER, encodeRequest({ id: id++, command, fields: command === COMMANDS.HELLO || !session ? fields : { ...fields, session } })));
  send(COMMANDS.HELLO, {});
  return { raw, send, session: () => session };
}

/** Request bodies built by hand, for what encodeRequest would refuse to make. */
function rawFrame(body: number[]): string {
  return encodeFrame(REQUEST_MARKER, new Uint8Array(body));
}

/** Bad requests, each with the error it must get. The valid account 'x' exists first. */
const BAD: { what: string; command?: number; fields?: Fields; raw?: string; status: number }[] = [
  { what: 'missing name', command: COMMANDS.ADD, fields: { algorithm: 1, secret: seed20 }, status: ERRORS.BAD_REQUEST },
  { what: 'control character', command: COMMANDS.ADD, fields: { name: 'a\tb', secret: seed20 }, status: ERRORS.BAD_REQUEST },
  { what: 'digits', command: COMMANDS.ADD, fields: { name: 'd', digits: 12, secret: seed20 }, status: ERRORS.BAD_REQUEST },
  { what: 'period', command: COMMANDS.ADD, fields: { name: 'p', period: 0, secret: seed20 }, status: ERRORS.BAD_REQUEST },
  { what: 'algorithm', command: COMMANDS.ADD, fields: { name: 'g', algorithm: 9, secret: seed20 }, status: ERRORS.BAD_REQUEST },
  { what: 'empty secret', command: COMMANDS.ADD, fields: { name: 'e', secret: new Uint8Array(0) }, status: ERRORS.BAD_REQUEST },
  { what: 'duplicate', command: COMMANDS.ADD, fields: { name: 'x', secret: seed20 }, status: ERRORS.DUPLICATE_NAME },
  { what: 'not found', command: COMMANDS.REMOVE, fields: { name: 'nope' }, status: ERRORS.NOT_FOUND },
  { what: 'time range', command: COMMANDS.TIME_SET, fields: { timeMs: 5 }, status: ERRORS.BAD_REQUEST },
  { what: 'short access key', command: COMMANDS.SET_PASSWORD, fields: { accessKey: new Uint8Array(8) }, status: ERRORS.BAD_REQUEST },
  { what: 'unknown command', command: 99, fields: {}, status: ERRORS.UNKNOWN_COMMAND },
  { what: 'version', raw: rawFrame([2, 7, 1]), status: ERRORS.BAD_VERSION },
  { what: 'short header', raw: rawFrame([1, 7]), status: ERRORS.BAD_REQUEST },
  { what: 'field twice (a token inside a value)', raw: rawFrame([1, 7, 6, 1, 1, 0x61, 1, 1, 0x62]), status: ERRORS.BAD_REQUEST },
  { what: 'field past the end', raw: rawFrame([1, 7, 6, 1, 9, 0x61]), status: ERRORS.BAD_REQUEST },
  { what: 'name over its limit', raw: rawFrame([1, 7, 4, 1, 65, ...new Array(65).fill(0x61)]), status: ERRORS.BAD_REQUEST },
  { what: 'bad CRC', raw: '>AQEB' + 'AAAAAA==\n', status: ERRORS.BAD_FRAME },
];

for (const board of [espruinoPicoSsd1306, espruinoEsp32Ssd1306] as EspruinoBoardProfile[]) {
  describe(`${board.id}: the Espruino build against the Node build of the same firmware`, () => {
    let code = '';
    const device = board.espruino.link;
    const boot = (flash = newFlash(Date.UTC(2026, 0, 1))) => new EspruinoVm({ flash, font6x8: board.espruino.font === '6x8' }).boot(code);

    beforeAll(async () => {
      code = await bundleEntry(root + board.firmwareEntry!);
    }, 60_000); // a build under load can take more than the default 10 s

    it('sends its error text tokenized, and the host reads the simulator\'s words', () => {
      const sim = fakeToken();
      const vm = boot();
      const esp = espruinoLink(vm, device);
      esp.send(COMMANDS.TIME_SET, { timeMs: Date.UTC(2026, 0, 1) });
      for (const link of [sim, esp]) expect(link.send(COMMANDS.ADD, { name: 'x', algorithm: 1, secret: seed20 })[0].status).toBe(STATUS_OK);
      for (const c of BAD) {
        const [s] = c.raw ? sim.sendRaw(c.raw) : sim.send(c.command!, c.fields!);
        const [e] = c.raw ? esp.raw(c.raw) : esp.send(c.command!, c.fields!);
        expect([s.status, e.status], c.what).toEqual([c.status, c.status]);
        const words = s.fields.message as string;
        const sent = e.fields.message as string;
        expect(words, c.what).not.toMatch(/[\x1d-\x1f]/);
        expect(sent, c.what).toMatch(/^\x1e[\w.]{3}[\x1d\x1f]/); // a three-character token (device-text-decode.ts)
        expect(sent.length, c.what).toBeLessThan(words.length + 2);
        expect(deviceText(sent), c.what).toBe(words);
      }
      expect(vm.errors).toEqual([]);
    });

    it('reads the accounts, clock and USB password the Node build stored, and the Node build reads its own', () => {
      const sim = fakeToken();
      sim.send(COMMANDS.ADD, { name: 'aws', issuer: 'Amazon', algorithm: 1, secret: seed20 });
      sim.send(COMMANDS.ADD, { name: 'gh', algorithm: 2, digits: 8, period: 60, secret: seed32 });
      const salt = sim.send(COMMANDS.HELLO, {})[0].fields.salt as Uint8Array;
      const accessKey = new Uint8Array(32).fill(9);
      expect(sim.send(COMMANDS.SET_PASSWORD, { accessKey })[0].status).toBe(STATUS_WAITING);
      expect(sim.press('confirm')[0].status).toBe(STATUS_OK);

      const flash = newFlash(sim.clock.now);
      flash.files = new Map(sim.storage.data);
      const esp = espruinoLink(boot(flash), device);
      const [hello] = esp.send(COMMANDS.HELLO, {});
      expect(hello.fields).toMatchObject({ locked: 1 });
      expect(hello.fields.slotsFree).toBeUndefined(); // a locked HELLO tells only what unlocking needs
      expect(Buffer.from(hello.fields.salt as Uint8Array)).toEqual(Buffer.from(salt));
      expect(esp.send(COMMANDS.LIST, {})[0].status).toBe(ERRORS.LOCKED);
      const [unlocked] = esp.send(COMMANDS.UNLOCK, { response: answer(accessKey, hello.fields.challenge as Uint8Array) });
      expect(unlocked.status).toBe(STATUS_OK);
      expect(unlocked.fields).toMatchObject({ clock: 1, slotsFree: 30 });
      const [list] = esp.send(COMMANDS.LIST, {});
      expect(list.fields.account).toEqual([
        { name: 'aws', issuer: 'Amazon', algorithm: 1, digits: 6, period: 30 },
        { name: 'gh', issuer: '', algorithm: 2, digits: 8, period: 60 },
      ]);
      const [check] = esp.send(COMMANDS.KEY_CHECK, { name: 'gh' });
      expect(Buffer.from(check.fields.check as Uint8Array)).toEqual(Buffer.from(keyCheckValue(nodeHashes().SHA256!, seed32)));
      expect(esp.send(COMMANDS.ADD, { name: 'new', algorithm: 1, secret: seed20 })[0].status).toBe(STATUS_OK);

      // And back: the Node build reads what the Espruino build wrote.
      const storage = new SteppedStorage();
      storage.data = new Map(flash.files);
      const again = fakeToken({ storage });
      const [hello2] = again.send(COMMANDS.HELLO, {});
      expect(hello2.fields.locked).toBe(1);
      expect(again.send(COMMANDS.UNLOCK, { response: answer(accessKey, hello2.fields.challenge as Uint8Array) })[0].status).toBe(STATUS_OK);
      expect((again.send(COMMANDS.LIST, {})[0].fields.account as Fields[]).map((a) => a.name)).toEqual(['aws', 'gh', 'new']);
    });
  });
}
