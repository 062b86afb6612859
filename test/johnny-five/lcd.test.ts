// The 16x2 layer on its own: johnny-five's LCD (PCF8574 controller) through
// the mock IO into the emulated HD44780, and the Canvas adapter's layout of
// the app's screens.
import { describe, expect, it } from 'vitest';
import { lcdCanvas } from '../../firmware/ports/johnny-five/lcd-canvas.ts';
import { loadModule } from '../../firmware/ports/johnny-five/j5-token.ts';
import type { JohnnyFive, J5Board } from '../../firmware/ports/johnny-five/j5-token.ts';
import { drawCodeView, drawMessage } from '../../firmware/ui/screen.ts';
import { Hd44780 } from './hd44780.ts';
import { MockIO } from './mock-io.ts';

async function j5WithLcd(): Promise<{ five: JohnnyFive; board: J5Board; panel: Hd44780; io: MockIO }> {
  const five = (await loadModule('johnny-five')) as unknown as JohnnyFive;
  const panel = new Hd44780();
  const io = new MockIO({ 0x27: panel });
  const board = new five.Board({ io, repl: false, debug: false, sigint: false });
  await new Promise<void>((resolve) => board.once('ready', resolve));
  return { five, board, panel, io };
}

describe('emulated PCF8574 + HD44780 under johnny-five 2.1.0', () => {
  it('follows the 4-bit initialisation and shows what is printed where the cursor was set', async () => {
    const { five, board, panel } = await j5WithLcd();
    const lcd = new five.LCD({ controller: 'PCF8574', address: 0x27, rows: 2, cols: 16, board });
    // Power-on: three 8-bit function sets, then the switch to 4 bits (datasheet p.46).
    expect(panel.log.slice(0, 4).map((i) => i.value)).toEqual([0x30, 0x30, 0x30, 0x20]);
    expect(panel.eightBit).toBe(false);
    expect(panel.twoLines).toBe(true);
    expect(panel.displayOn).toBe(true);
    expect(panel.backlight).toBe(true);
    expect(panel.lines()).toEqual([' '.repeat(16), ' '.repeat(16)]);

    lcd.cursor(0, 0).print('GitHub: alice');
    lcd.cursor(1, 10).print('17s');
    expect(panel.lines()).toEqual(['GitHub: alice   ', '          17s   ']);
    lcd.cursor(1, 0).print('0123456789abcdef');
    expect(panel.lines()[1]).toBe('0123456789abcdef');
    lcd.clear();
    expect(panel.lines()).toEqual([' '.repeat(16), ' '.repeat(16)]);
    expect(panel.faults).toEqual([]);
  });

  it('shows the A00 ROM glyphs, not ASCII, for backslash and tilde', async () => {
    const { five, board, panel } = await j5WithLcd();
    const lcd = new five.LCD({ controller: 'PCF8574', address: 0x27, rows: 2, cols: 16, board });
    lcd.cursor(0, 0).print('a\\b~', { dontProcessSpecials: true });
    expect(panel.lines()[0]).toBe('a¥b→            ');
  });
});

describe('the app screens laid out on 16x2', () => {
  const view = { label: 'GitHub', sublabel: 'alice@example.com', code: '123456', secondsLeft: 7, period: 30, index: 1, count: 3, warning: '' };

  function layout(draw: (c: ReturnType<typeof lcdCanvas>) => void): string[] {
    let out: string[] = [];
    const canvas = lcdCanvas(16, 2, (lines) => (out = lines));
    draw(canvas);
    expect(canvas.lines()).toEqual(out);
    return out;
  }

  it('code screen: label on line 1 (cut with ~), code, index and seconds on line 2', () => {
    expect(layout((c) => drawCodeView(c, view))).toEqual(['GitHub: alice@e~', '123456  2/3   7s']);
  });

  it('an 8-digit code leaves no room for the index; the seconds stay', () => {
    expect(layout((c) => drawCodeView(c, { ...view, code: '12345678', secondsLeft: 30, index: 11, count: 12 }))).toEqual(['GitHub: alice@e~', '12345678     30s']);
  });

  it('a clock warning takes the middle before the index does', () => {
    const warn = { ...view, label: 'aws', sublabel: '', warning: 'clock?' };
    expect(layout((c) => drawCodeView(c, warn))).toEqual(['aws             ', '123456 clock? 7s']);
    expect(layout((c) => drawCodeView(c, { ...warn, code: '1234', secondsLeft: 29 }))).toEqual(['aws             ', '1234 clock?  29s']);
  });

  it('messages: the first two non-empty lines', () => {
    expect(layout((c) => drawMessage(c, ['No accounts', '', 'totp-token add', '', 'Pi']))).toEqual(['No accounts     ', 'totp-token add  ']);
    expect(layout((c) => drawMessage(c, ['Press to confirm:', 'send code: aws', '', 'Press confirm', 'Other button: cancel', '12s']))).toEqual([
      'Press to confir~', // fitText's cut: '~' shows as an arrow on the A00 ROM
      'send code: aws  ',
    ]);
  });
});
