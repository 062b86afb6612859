// The screen of an HOTP account. Its codes are made only on request (confirm
// on this screen, or CODE over USB), each moving the counter on, so the idle
// screen says how to get one. A code made here is shown for HOTP_SHOW_MS with
// the counter it used, and app.ts drops it sooner when the selection or the
// accounts change: a used HOTP code is spent, so none stays up as current.
import type { Account } from '../accounts.ts';
import type { Canvas } from '../ports.ts';
import { drawCode, drawMessage } from './screen.ts';

export const HOTP_SHOW_MS = 30000;

export interface HotpShown {
  code: string;
  counter: number;
  untilMs: number;
}

/** Idle: "HOTP <label>", then how to get a code (a 16x2 LCD shows these two lines). Shown: the code, its counter, a bar running out. */
export function drawHotp(canvas: Canvas, a: Account, shown: HotpShown | null, hint: string, nowMs: number, index: number, count: number): void {
  const label = a.issuer || a.name;
  const sublabel = a.issuer ? a.name : '';
  if (!shown) {
    drawMessage(canvas, ['HOTP ' + label, hint, 'for the next code', sublabel, '', index + 1 + '/' + count]);
    return;
  }
  drawCode(canvas, label, sublabel, shown.code, Math.max(0, Math.ceil((shown.untilMs - nowMs) / 1000)), HOTP_SHOW_MS / 1000, index, count, '#' + shown.counter);
}
