// HOTP on the Moddable firmware of each board, in the real XS engine (shims
// as in moddable-token.test.ts): RFC 4226 appendix D through ADD and CODE
// after the button, compared with otplib too; the confirm press on the
// account's screen making the next code; the counter kept in Preferences
// across a restart.
import { describe, expect, it } from 'vitest';
import type { ModdableBoardProfile } from '../../boards/moddable-profile.ts';
import { moddableEsp32Ssd1306 } from '../../boards/moddable-esp32-ssd1306.ts';
import { moddableM5stickcPlus } from '../../boards/moddable-m5stickc-plus.ts';
import { moddablePicoSsd1306 } from '../../boards/moddable-pico-ssd1306.ts';
import { COMMANDS, STATUS_OK, STATUS_WAITING, TYPE_HOTP } from '../../protocol/messages.ts';
import type { Fields } from '../../protocol/tlv.ts';
import { ascii, otplibHotp } from '../helpers/providers.ts';
import { loadVectors } from '../helpers/vectors.ts';
import { createFramebuffer } from '../../firmware/ui/framebuffer.ts';
import { codeScale, drawCodeView } from '../../firmware/ui/screen.ts';
import { drawHotp } from '../../firmware/ui/hotp-screen.ts';
import type { Canvas } from '../../firmware/ports.ts';
import { canvasOnPanel, xsBoards } from './moddable-harness.ts';
import type { XsToken } from './moddable-harness.ts';
import type { ShimConfig } from './shims/config.ts';

const BOARDS: ModdableBoardProfile[] = [moddableM5stickcPlus, moddableEsp32Ssd1306, moddablePicoSsd1306];
const RFC = loadVectors<{ secret_ascii: string; valid: { counter: number; code: string }[] }>('rfc4226-hotp.json');
const T0 = 1767225600123;

/** `kept`: what a previous token's storage kept (its persisted(): Preferences, and the Pico's flash). */
const start: (board: ModdableBoardProfile, kept?: Partial<ShimConfig>) => Promise<XsToken> = xsBoards(BOARDS);

/**
 * The panel shows what the host draws with the same code (firmware/ui/):
 * `draw` on a framebuffer of the board's canvas, compared pixel by pixel in
 * rows [from, to) (the code band for a shown code, whose bar and seconds
 * depend on the clock; everything for the idle screen).
 */
async function expectScreen(t: XsToken, draw: (fb: Canvas) => void, rows?: [number, number]): Promise<void> {
  const place = canvasOnPanel(t.board);
  const want = createFramebuffer(place.width, place.height, () => {});
  draw(want);
  const [from, to] = rows ?? [0, place.height];
  const shown = await t.display();
  let differ = 0;
  let lit = 0;
  for (let cy = from; cy < to; cy++) {
    for (let cx = 0; cx < place.width; cx++) {
      const on = shown.pixel(place.left + cx * place.scale, place.top + cy * place.scale);
      if (on) lit++;
      if (on !== want.pixel(cx, cy)) differ++;
    }
  }
  expect(differ, 'the panel differs from the host drawing').toBe(0);
  expect(lit).toBeGreaterThan(50);
}

/** Rows of the canvas where screen.ts draws a code of this length. */
function codeBand(t: XsToken, code: string): [number, number] {
  const place = canvasOnPanel(t.board);
  return [14, 14 + 7 * codeScale(createFramebuffer(place.width, place.height, () => {}), code.length)];
}

async function counterOf(t: XsToken): Promise<number> {
  const [list] = await t.send(COMMANDS.LIST, { type: TYPE_HOTP });
  return (list!.fields.account as Fields[])[0]!.counter as number;
}

describe.each(BOARDS)('$id: HOTP in XS', (board) => {
  it('gives RFC 4226 appendix D codes through CODE after the button, equal to otplib, with no clock set', async () => {
    const t = await start(board);
    expect((await t.send(COMMANDS.HELLO, {}))[0]!.fields).toMatchObject({ type: TYPE_HOTP, clock: 0 });
    const [added] = await t.send(COMMANDS.ADD, { name: 'rfc', algorithm: 1, digits: 6, secret: ascii(RFC.secret_ascii), type: TYPE_HOTP, counter: 0 });
    expect(added!.status, String(added!.fields.message)).toBe(STATUS_OK);
    for (const v of RFC.valid) {
      const [waiting] = await t.send(COMMANDS.CODE, { name: 'rfc', type: TYPE_HOTP });
      expect(waiting!.status).toBe(STATUS_WAITING);
      const [done] = await t.press('confirm');
      expect(done!.status).toBe(STATUS_OK);
      expect(done!.fields).toMatchObject({ code: v.code, counter: v.counter });
      expect(done!.fields.code).toBe(otplibHotp(ascii(RFC.secret_ascii), v.counter, 6, 'SHA1'));
    }
    expect(await counterOf(t)).toBe(10);
  });

  it('a confirm press on the account makes the next code; the counter survives a restart', async () => {
    const t = await start(board);
    await t.send(COMMANDS.TIME_SET, { timeMs: T0 });
    await t.send(COMMANDS.ADD, { name: 'vpn', algorithm: 2, digits: 8, secret: ascii('12345678901234567890123456789012'), type: TYPE_HOTP, counter: 4294967300 });
    await t.tick(1000);
    const vpn = { name: 'vpn', issuer: '', algorithm: 2, digits: 8, period: 30, secret: new Uint8Array(0), type: 1 };
    await expectScreen(t, (fb) => drawHotp(fb, vpn, null, board.moddable.confirmHint, 0, 0, 1)); // idle: how to ask, no digits
    expect(await t.press('confirm')).toEqual([]); // no request was waiting: the press is the device's own
    const code = otplibHotp(ascii('12345678901234567890123456789012'), 4294967300, 8, 'SHA256');
    await expectScreen(t, (fb) => drawCodeView(fb, { label: '', sublabel: '', warning: '', code, secondsLeft: 0, period: 30, index: 0, count: 1 }), codeBand(t, code));
    expect(await counterOf(t)).toBe(4294967301);
    const again = await start(board, await t.persisted());
    expect(await counterOf(again)).toBe(4294967301);
    await again.send(COMMANDS.CODE, { name: 'vpn', type: TYPE_HOTP });
    const [done] = await again.press('confirm');
    expect(done!.fields.code).toBe(otplibHotp(ascii('12345678901234567890123456789012'), 4294967301, 8, 'SHA256'));
  });
});
