// The Moddable firmware of each board, as its project's main.js holds it, running
// in the real XS engine with the SDK's modules shimmed (test/xs/shims/), talking
// to the host's protocol codecs over its serial shim. Codes are checked against
// otplib, key checks against the host's own computation, the display against a
// host-side rendering of the same screen.
import type { Account } from '../../firmware/accounts.ts';
import { describe, expect, it } from 'vitest';
import type { ModdableBoardProfile } from '../../boards/moddable-profile.ts';
import { moddableEsp32Ssd1306 } from '../../boards/moddable-esp32-ssd1306.ts';
import { moddableM5stickcPlus } from '../../boards/moddable-m5stickc-plus.ts';
import { moddablePicoSsd1306 } from '../../boards/moddable-pico-ssd1306.ts';
import { createFramebuffer } from '../../firmware/ui/framebuffer.ts';
import { codeScale, drawCodeView } from '../../firmware/ui/screen.ts';
import type { CodeView } from '../../firmware/ui/screen.ts';
import { nodeHashes } from '../../host/lib/hashes/node-hashes.ts';
import { encodeFrame, REQUEST_MARKER } from '../../protocol/frame.ts';
import type { Algorithm } from '../../protocol/hash.ts';
import { keyCheckValue } from '../../protocol/keycheck.ts';
import { ALGORITHM_NAMES, COMMANDS, encodeRequest, ERRORS, STATUS_OK, STATUS_WAITING } from '../../protocol/messages.ts';
import { secondsLeft } from '../../protocol/totp.ts';
import { otplibTotp } from '../helpers/providers.ts';
import { buildXsFirmware, canvasOnPanel, startXsToken, xsBoards, xsSuite } from './moddable-harness.ts';
import type { XsToken } from './moddable-harness.ts';
import { oneButtonBoard } from './fixtures/one-button-board.ts';
import { MCSIM_PTY, mcsimBoard } from './fixtures/mcsim-board.ts';

const BOARDS: ModdableBoardProfile[] = [moddableM5stickcPlus, moddableEsp32Ssd1306, moddablePicoSsd1306];
const T0 = 1767225600123; // 2026-01-01T00:00:00.123Z

type TestAccount = Account; // what the firmware stores

const ascii = (s: string) => new TextEncoder().encode(s);
const ACCOUNTS: TestAccount[] = [
  { name: 'rfc-sha1', issuer: 'RFC 6238', algorithm: 1, digits: 8, period: 30, secret: ascii('12345678901234567890') },
  { name: 'rfc-sha256', issuer: 'RFC 6238', algorithm: 2, digits: 8, period: 60, secret: ascii('12345678901234567890123456789012') },
  { name: 'rfc-sha512', issuer: '', algorithm: 3, digits: 6, period: 30, secret: ascii('1234567890123456789012345678901234567890123456789012345678901234') },
  { name: 'root@example.com', issuer: 'Amazon Web Services', algorithm: 1, digits: 6, period: 30, secret: new Uint8Array(40).map((_, i) => (i * 37 + 11) & 255) },
];

const algorithmOf = (a: TestAccount) => ALGORITHM_NAMES[a.algorithm] as Algorithm;
const expectedCode = (a: TestAccount, nowMs: number) => otplibTotp(a.secret, Math.floor(nowMs / 1000), a.digits, a.period, algorithmOf(a));
const hostCheck = (a: TestAccount) => Buffer.from(keyCheckValue(nodeHashes()[algorithmOf(a)]!, a.secret)).toString('hex');
const hex = (b: unknown) => Buffer.from(b as Uint8Array).toString('hex');

/**
 * Checks the panel against the host's drawing of the code screen, pixel by
 * pixel, in the band where the code's digits are (the lines around it belong to
 * the layout in firmware/ui/screen.ts, tested there), and that nothing is lit
 * outside the board's canvas.
 */
async function expectCodeOnScreen(token: XsToken, code: string): Promise<void> {
  const place = canvasOnPanel(token.board);
  const want = createFramebuffer(place.width, place.height, () => {});
  drawCodeView(want, { label: '', sublabel: '', warning: '', code, secondsLeft: 0, period: 30, index: 0, count: 1 } as CodeView);
  const band = { from: 14, to: 14 + 7 * codeScale(want, code.length) };
  const shown = await token.display();
  expect([shown.width, shown.height]).toEqual([token.board.display.width, token.board.display.height]);
  const wrong: string[] = [];
  let lit = 0;
  for (let y = 0; y < shown.height; y++) {
    for (let x = 0; x < shown.width; x++) {
      const cx = Math.floor((x - place.left) / place.scale);
      const cy = Math.floor((y - place.top) / place.scale);
      const inside = x >= place.left && y >= place.top && cx < place.width && cy < place.height;
      const on = shown.pixel(x, y);
      if (on && inside && cy >= band.from && cy < band.to) lit++;
      if (!inside ? on : cy >= band.from && cy < band.to && on !== want.pixel(cx, cy)) wrong.push(`${x},${y}`);
    }
  }
  expect(wrong.length, `display differs from the host's drawing of ${code} at ${wrong.slice(0, 8).join(' ')}`).toBe(0);
  expect(lit).toBeGreaterThan(50 * place.scale * place.scale);
}

const start = xsBoards(BOARDS);

describe.each(BOARDS)('$id firmware in XS', (board) => {
  it('speaks the protocol: HELLO, TIME_SET, ADD, LIST, KEY_CHECK, CODE after a press, next, WIPE, BAD_FRAME', async () => {
    const t = await start(board);
    let now = T0;
    const tick = async (ms: number) => {
      now += ms;
      return t.tick(ms);
    };

    const [hello] = await t.send(COMMANDS.HELLO, {});
    expect(hello!.status).toBe(STATUS_OK);
    expect(hello!.fields).toMatchObject({ protocol: 1, board: board.id, algorithms: 0b111, slotsTotal: board.storage.maxAccounts, slotsFree: board.storage.maxAccounts, clock: 0 });

    const [set] = await t.send(COMMANDS.TIME_SET, { timeMs: T0 });
    expect(set!.status).toBe(STATUS_OK);
    expect(set!.fields).toMatchObject({ clock: 1, timeMs: T0 });

    for (const a of ACCOUNTS) {
      const [added] = await t.send(COMMANDS.ADD, { ...a });
      expect(added!.status, a.name + ': ' + String(added!.fields.message)).toBe(STATUS_OK);
      expect(hex(added!.fields.check)).toBe(hostCheck(a));
    }

    const [list] = await t.send(COMMANDS.LIST, {});
    expect(list!.fields.total).toBe(ACCOUNTS.length);
    expect(list!.fields.account).toEqual(ACCOUNTS.map((a) => ({ name: a.name, issuer: a.issuer, algorithm: a.algorithm, digits: a.digits, period: a.period })));

    for (const a of ACCOUNTS) {
      const [check] = await t.send(COMMANDS.KEY_CHECK, { name: a.name });
      expect(check!.status).toBe(STATUS_OK);
      expect(hex(check!.fields.check)).toBe(hostCheck(a));
    }

    // The display shows the first account's code, as the host draws it.
    await tick(1000);
    await expectCodeOnScreen(t, expectedCode(ACCOUNTS[0]!, now));

    for (const [i, a] of ACCOUNTS.entries()) {
      const [waiting] = await t.send(COMMANDS.CODE, { name: a.name });
      expect(waiting!.status).toBe(STATUS_WAITING);
      expect(waiting!.fields.action).toBe('send code: "' + a.name + '"');
      expect(await tick(7000 + i * 6000)).toEqual([]); // nothing leaves before the press
      const before = now;
      const [done] = await t.press('confirm');
      now += 200; // the press: 100 ms down, 100 ms up (the code is computed 30 ms after the press)
      expect(done!.id).toBe(waiting!.id);
      expect(done!.status).toBe(STATUS_OK);
      expect(done!.fields.code).toBe(expectedCode(a, before + 30));
      expect(done!.fields.secondsLeft).toBe(secondsLeft(Math.floor((before + 30) / 1000), a.period, 0));
    }
    expect((await t.status()).nowMs + (T0 % 1000)).toBe(now);

    // "next" moves the display to the second account.
    await t.press('next');
    now += 200;
    await tick(1000);
    await expectCodeOnScreen(t, expectedCode(ACCOUNTS[1]!, now));

    // A corrupt frame: one base64 character changed, so the CRC fails.
    const good = encodeFrame(REQUEST_MARKER, encodeRequest({ id: 9, command: COMMANDS.LIST, fields: { session: t.session } }));
    const bad = good.slice(0, 3) + (good[3] === 'A' ? 'B' : 'A') + good.slice(4);
    const [fault] = await t.sendRaw(bad);
    expect(fault).toMatchObject({ id: 0, status: ERRORS.BAD_FRAME });
    const [garbage, after] = await t.sendRaw('noise without a marker\n>!!!!\n' + good);
    expect(garbage).toMatchObject({ id: 0, status: ERRORS.BAD_FRAME });
    expect(after).toMatchObject({ id: 9, status: STATUS_OK });

    // WIPE waits for the press, then the token is empty.
    const [wipe] = await t.send(COMMANDS.WIPE, {});
    expect(wipe!.status).toBe(STATUS_WAITING);
    expect((await t.send(COMMANDS.LIST, {}))[0]!.status).toBe(ERRORS.BUSY);
    const [wiped] = await t.press('confirm');
    expect(wiped).toMatchObject({ id: wipe!.id, status: STATUS_OK });
    const [empty] = await t.send(COMMANDS.HELLO, {});
    expect(empty!.fields.slotsFree).toBe(board.storage.maxAccounts);
    expect((await t.send(COMMANDS.LIST, {}))[0]!.fields.total).toBe(0);

    const status = await t.status();
    expect(status.serial.overruns).toBe(0);
    expect(t.replies.filter((r) => r.status === -1)).toEqual([]); // every reply frame passed its CRC on the host
  }, 60000);

  it('keeps accounts and refuses codes after a power loss, until the clock is synced again', async () => {
    const t = await start(board);
    await t.send(COMMANDS.TIME_SET, { timeMs: T0 });
    for (const a of ACCOUNTS) expect((await t.send(COMMANDS.ADD, { ...a }))[0]!.status).toBe(STATUS_OK);
    const flash = await t.persisted();

    const again = await start(board, { ...flash, bootTimeMs: 0 });
    const [hello] = await again.send(COMMANDS.HELLO, {});
    expect(hello!.fields).toMatchObject({ clock: 0, slotsFree: board.storage.maxAccounts - ACCOUNTS.length });
    expect((await again.send(COMMANDS.CODE, { name: ACCOUNTS[0]!.name }))[0]!.status).toBe(ERRORS.CLOCK_NOT_SET);
    const later = T0 + 3600000;
    // Set before, then lost: the first sync needs the button, and the display shows the time.
    const [waiting] = await again.send(COMMANDS.TIME_SET, { timeMs: later });
    expect([waiting!.status, waiting!.fields.action]).toEqual([STATUS_WAITING, 'set clock to ' + new Date(later).toISOString().slice(0, 16).replace('T', ' ') + ' UTC']);
    expect((await again.press('confirm'))[0]!.fields.clock).toBe(1);
    await again.send(COMMANDS.CODE, { name: ACCOUNTS[3]!.name });
    const [code] = await again.press('confirm');
    expect(code!.fields.code).toBe(expectedCode(ACCOUNTS[3]!, later + 30));
  }, 60000);
});

describe('Moddable firmware in XS: storage on the boards\' Preference limits', () => {
  const aws = (i: number): TestAccount => ({
    name: `root-${String(i).padStart(3, '0')}@example.com`,
    issuer: 'Amazon Web Services',
    algorithm: 1,
    digits: 6,
    period: 30,
    secret: new Uint8Array(40).fill(i + 1),
  });

  it.each([moddablePicoSsd1306, moddableEsp32Ssd1306])('$id holds its maxAccounts AWS-sized accounts, then says STORAGE_FULL', async (board) => {
    const t = await start(board);
    await t.send(COMMANDS.TIME_SET, { timeMs: T0 });
    for (let i = 0; i < board.storage.maxAccounts; i++) {
      const [r] = await t.send(COMMANDS.ADD, { ...aws(i) });
      expect(r!.status, `account ${i + 1}: ${String(r!.fields.message)}`).toBe(STATUS_OK);
    }
    expect((await t.send(COMMANDS.ADD, { ...aws(99) }))[0]!.status).toBe(ERRORS.STORAGE_FULL);
    const use = await t.preferences();
    console.info(`${board.id}: ${board.storage.maxAccounts} AWS-sized accounts use ${use.used} of ${use.capacity} ${board.moddable.preference.store === 'nvs' ? 'NVS entries' : 'bytes'}`);
  }, 60000);

  it('a Pico holds 32 of the longest accounts in its flash store, says STORAGE_FULL past them, and keeps them across a restart', async () => {
    const board = moddablePicoSsd1306;
    expect(board.storage.maxAccounts).toBeGreaterThanOrEqual(32);
    const t = await start(board);
    const big = (i: number) => ({ name: String(i).padStart(64, 'n'), issuer: 'I'.repeat(32), algorithm: 3, digits: 8, period: 30, secret: new Uint8Array(64).fill(i) });
    for (let i = 0; i < board.storage.maxAccounts; i++) {
      const [r] = await t.send(COMMANDS.ADD, big(i));
      expect(r!.status, `account ${i + 1}: ${String(r!.fields.message)}`).toBe(STATUS_OK);
    }
    expect((await t.send(COMMANDS.ADD, big(99)))[0]!.status).toBe(ERRORS.STORAGE_FULL);
    const again = await start(board, { ...(await t.persisted()) });
    expect((await again.send(COMMANDS.HELLO, {}))[0]!.fields.slotsFree).toBe(0);
    const [check] = await again.send(COMMANDS.KEY_CHECK, { name: big(31).name });
    expect(hex(check!.fields.check)).toBe(Buffer.from(keyCheckValue(nodeHashes().SHA512!, big(31).secret)).toString('hex'));
    // Nothing of it in the SDK's Preference store, which a cut can empty.
    expect((await again.preferences()).preferences).toEqual({});
  }, 120000);

  it('a Pico whose newest flash image is damaged starts from the previous one', async () => {
    const board = moddablePicoSsd1306;
    const t = await start(board, { bootTimeMs: T0 });
    await t.send(COMMANDS.TIME_SET, { timeMs: T0 });
    expect((await t.send(COMMANDS.ADD, { ...ACCOUNTS[0]! }))[0]!.status).toBe(STATUS_OK);
    await t.tick(5000);
    expect((await t.send(COMMANDS.TIME_SET, { timeMs: T0 + 6000 }))[0]!.status).toBe(STATUS_OK); // a write: the previous image stays
    const flash = await t.persisted();
    const slots = [0x1e8000, 0x1f0000].map((at) => ({ at: String(at), hex: flash.flash![String(at)] ?? '' }));
    const seq = (hex: string) => (hex.startsWith('54544601') ? parseInt(hex.slice(8, 16), 16) : -1);
    expect(slots.every((x) => seq(x.hex) > 0)).toBe(true);
    const newest = seq(slots[0]!.hex) > seq(slots[1]!.hex) ? slots[0]! : slots[1]!;
    const synced = async (image: Record<string, string>) => {
      const again = await start(board, { preferences: {}, flash: image, bootTimeMs: T0 + 7000 });
      expect((await again.send(COMMANDS.LIST, {}))[0]!.fields.total).toBe(1);
      return (await again.send(COMMANDS.TIME_GET, {}))[0]!.fields.syncedAtMs;
    };
    // The T0 + 6000 sync came 1 s off what the T0 sync predicts: the clock moved half way (firmware/clock.ts), past T0 + 5 s.
    expect(await synced(flash.flash!)).toBeGreaterThan(T0 + 5000);
    // One bit flipped in the newest image's body: its CRC fails, the previous image (clock synced at T0) is used.
    const at = 40;
    const flipped = newest.hex.slice(0, at) + (parseInt(newest.hex[at]!, 16) ^ 1).toString(16) + newest.hex.slice(at + 1);
    expect(await synced({ ...flash.flash!, [newest.at]: flipped })).toBe(T0);
  }, 60000);

  it('after REMOVE and WIPE no account record that held the removed seeds is left anywhere in a Pico\'s flash', async () => {
    const board = moddablePicoSsd1306;
    const t = await start(board, { bootTimeMs: T0 });
    await t.send(COMMANDS.TIME_SET, { timeMs: T0 });
    for (const a of ACCOUNTS) expect((await t.send(COMMANDS.ADD, { ...a }))[0]!.status).toBe(STATUS_OK);
    await t.tick(5000);
    await t.send(COMMANDS.TIME_SET, { timeMs: T0 + 6000 }); // a write, so the previous image is kept too
    const image = async () => Object.values((await t.persisted()).flash!).map((hex) => Buffer.from(hex, 'hex').toString('latin1')).join('');
    // The account records as stored: base64 text in the flash image. Every one of them holds the seed REMOVE takes away.
    const records = async () => [...(await image()).matchAll(/"tt\.acc\.[01]":"([A-Za-z0-9+/=]{40,})"/g)].map((m) => m[1]!);
    const withSeed = await records();
    expect(withSeed.length).toBeGreaterThan(0);
    expect((await t.send(COMMANDS.REMOVE, { name: ACCOUNTS[3]!.name }))[0]!.status).toBe(STATUS_WAITING);
    await t.tick(1500);
    expect((await t.press('confirm'))[0]!.status).toBe(STATUS_OK);
    let flash = await image();
    for (const r of withSeed) expect(flash, 'a record from before REMOVE is still in flash').not.toContain(r.slice(8, 48));
    const beforeWipe = await records();
    await t.send(COMMANDS.WIPE, {});
    await t.tick(1500);
    expect((await t.press('confirm'))[0]!.status).toBe(STATUS_OK);
    flash = await image();
    for (const r of beforeWipe) expect(flash, 'a record from before WIPE is still in flash').not.toContain(r.slice(8, 48));
  }, 60000);

  // Pico: every sector erase and page program of its flash store; ESP32: every NVS
  // erase and set (set() erases the key first there, so a failed set loses the old value).
  it.each([moddablePicoSsd1306, moddableEsp32Ssd1306])('$id: a power cut at every flash operation of an ADD leaves the old account set or the new one', async (board) => {
    const first = await start(board);
    await first.send(COMMANDS.TIME_SET, { timeMs: T0 });
    await first.send(COMMANDS.ADD, { ...ACCOUNTS[0]! });
    const flash = await first.persisted();
    const before = (await first.preferences()).writes;
    // Count the flash operations one more ADD makes.
    await first.send(COMMANDS.ADD, { ...ACCOUNTS[3]! });
    const steps = (await first.preferences()).writes - before;
    expect(steps).toBeGreaterThan(3);
    const outcomes = new Set<string>();
    for (let cut = 0; cut <= steps; cut++) {
      const t = await start(board, { ...flash, bootTimeMs: T0, cutAfterWrites: cut });
      await t.send(COMMANDS.ADD, { ...ACCOUNTS[3]! });
      const after = await start(board, { ...(await t.persisted()), bootTimeMs: T0 });
      const [list] = await after.send(COMMANDS.LIST, {});
      expect(list!.status).toBe(STATUS_OK);
      const names = ((list!.fields.account as { name: string }[] | undefined) ?? []).map((a) => a.name).join(',');
      expect(['rfc-sha1', 'rfc-sha1,root@example.com'], `cut in flash operation ${cut + 1}`).toContain(names);
      outcomes.add(names);
      const [check] = await after.send(COMMANDS.KEY_CHECK, { name: 'rfc-sha1' });
      expect(hex(check!.fields.check)).toBe(hostCheck(ACCOUNTS[0]!));
      await Promise.all([t.close(), after.close()]); // closing again after the test is a no-op
    }
    expect(outcomes.size).toBe(2); // both sides of the commit point were hit
  }, 300000);
});

describe('Moddable firmware in XS: a board with one button', () => {
  const startOne = xsSuite(oneButtonBoard);
  it('a short press moves to the next account, a long press confirms', async () => {
    const t = await startOne();
    await t.send(COMMANDS.TIME_SET, { timeMs: T0 });
    for (const a of ACCOUNTS.slice(0, 2)) await t.send(COMMANDS.ADD, { ...a });
    expect(await t.press('next')).toEqual([]);
    await t.tick(1000);
    await expectCodeOnScreen(t, expectedCode(ACCOUNTS[1]!, T0 + 1200));
    const [waiting] = await t.send(COMMANDS.CODE, { name: ACCOUNTS[0]!.name });
    const [done] = await t.press('confirm');
    expect(done).toMatchObject({ id: waiting!.id, status: STATUS_OK, fields: { code: expectedCode(ACCOUNTS[0]!, T0 + 2300) } });
  }, 60000);
});

describe('Moddable firmware in XS: the tests catch a broken firmware', () => {
  it('a wrong digest changes the codes and the key checks', async () => {
    const board = moddableEsp32Ssd1306;
    const { createHash } = await import('node:crypto');
    const t = await start(board, {}, {
      digest: (algorithm, message) => {
        const d = createHash(algorithm).update(message).digest();
        d[0] ^= 1; // one bit off, as a broken native binding would be
        return d;
      },
    });
    await t.send(COMMANDS.TIME_SET, { timeMs: T0 });
    const a = ACCOUNTS[0]!;
    const [added] = await t.send(COMMANDS.ADD, { ...a });
    expect(hex(added!.fields.check)).not.toBe(hostCheck(a));
    await t.send(COMMANDS.CODE, { name: a.name });
    const [code] = await t.press('confirm');
    expect(code!.fields.code).not.toBe(expectedCode(a, T0 + 30));
  }, 60000);
});

describe('Moddable firmware in XS: the M5StickC Plus firmware on the SDK\'s Linux simulator (mcsim)', () => {
  // mcsim's screen takes ArrayBuffers only in send() and its serial opens a
  // device and writes ArrayBuffers only (shims/screen.ts, shims/serial.ts): a
  // port that hands either a typed-array view dies on its first redraw or reply.
  const startSim = xsSuite(mcsimBoard);
  it('answers, redraws and shows a code', async () => {
    // On Linux Time.set does nothing: the PC's clock is already right.
    const t = await startSim({ platform: 'lin', serialDevice: MCSIM_PTY, serialFifo: 1024, bootTimeMs: T0 });
    expect((await t.send(COMMANDS.HELLO, {}))[0]!.status).toBe(STATUS_OK);
    await t.send(COMMANDS.TIME_SET, { timeMs: T0 });
    expect((await t.send(COMMANDS.ADD, { ...ACCOUNTS[3]! }))[0]!.status).toBe(STATUS_OK);
    await t.tick(1000);
    await expectCodeOnScreen(t, expectedCode(ACCOUNTS[3]!, T0 + 1000));
  }, 60000);

  it('a serial without the device fails to open, as on Linux', async () => {
    const fw = await buildXsFirmware(moddableM5stickcPlus);
    await expect(startXsToken(moddableM5stickcPlus, fw, { platform: 'lin', serialDevice: MCSIM_PTY })).rejects.toThrow(/No such file/);
  }, 60000);
});
