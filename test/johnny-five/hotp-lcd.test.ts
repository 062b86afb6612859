// The HOTP screens (firmware/ui/hotp-screen.ts) laid out on the johnny-five
// board's 16x2 LCD by its Canvas adapter: the idle screen's first two lines
// must say it is HOTP and how to get a code; a shown code keeps its counter.
import { describe, expect, it } from 'vitest';
import { lcdCanvas } from '../../firmware/ports/johnny-five/lcd-canvas.ts';
import { drawHotp } from '../../firmware/ui/hotp-screen.ts';
import type { Account } from '../../firmware/accounts.ts';

const account: Account = { name: 'alice', issuer: 'VPN', algorithm: 1, digits: 6, period: 30, secret: new Uint8Array(20), type: 1, counter: 41 };

describe('HOTP on a 16x2 LCD', () => {
  it('idle: "HOTP <issuer>" and the way to confirm, no digits', () => {
    let shown: string[] = [];
    const lcd = lcdCanvas(16, 2, (l) => (shown = l));
    drawHotp(lcd, account, null, 'Hold the button', 0, 0, 2);
    expect(shown).toEqual(['HOTP VPN        ', 'Hold the button ']);
  });

  it('a shown code: label, code, its counter and the seconds it stays', () => {
    let shown: string[] = [];
    const lcd = lcdCanvas(16, 2, (l) => (shown = l));
    drawHotp(lcd, account, { code: '755224', counter: 41, untilMs: 30000 }, 'Hold the button', 3000, 0, 2);
    expect(shown).toEqual(['VPN: alice      ', '755224  #41  27s']);
  });
});
