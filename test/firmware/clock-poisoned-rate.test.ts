// Review finding (issue 15: one bad sync costs no more than its own offset, and
// a good sync after it brings the error back): a wrong SECOND sync poisoned the
// rate for good. With no rate known yet the second sync cannot be judged (no
// model to disagree with), so a host 3 s off there is an anchor and the fit
// learns 3 s over the interval as rate. Every honest sync after it disagreed
// with that rate, and with the suspect before it too (misfit(o.sp) predicts the
// suspect forward at the same wrong rate, beyond the typical tolerance over the
// gap), so each was held as a new suspect, the anchors never changed, the time
// was only ever set half way, and from about day 60 the free-step limit (ownMs
// runs at the wrong rate too) held it entirely; a sync confirmed with the button
// did not repair it. Seen on 939511c and 75918e2 alike (exact oscillator at
// -10 ppm, honest RTT 20 ms): syncs every 3 d with the d3 one 3 s off -> 86.1 s
// off at d180; daily syncs with the d1 one 2 s off -> 74.3 s. Fixed (clock.ts
// sync): while the rate rests on one interval, two syncs in a row that disagree
// with it on one side, the later further, replace its second anchor.
import { describe, expect, it } from 'vitest';
import { createTokenClock } from '../../firmware/clock.ts';

const DAY = 86400000;
const T0 = 1767225600000;

/** Worst |error| after the second good sync that follows the bad one. */
function worstAfterBadSecondSync(gapDays: number, badMs: number, ppm: number, days: number): number {
  let t = 0; // true ms since T0
  let setOffset = 0;
  const raw = { nowMs: () => T0 + t * (1 + ppm / 1e6) + setOffset, setMs: (ms: number) => void (setOffset = ms - (T0 + t * (1 + ppm / 1e6))), isSet: () => true };
  const stored = new Map<string, string>();
  const clock = createTokenClock(raw, { read: (k: string) => stored.get(k), write: (k: string, v: string) => void stored.set(k, v) }, 20);
  let worst = 0;
  for (let i = 0; i * gapDays <= days; i++) {
    for (let h = 1; i > 3 && h <= gapDays * 24; h++) {
      t = (i - 1) * gapDays * DAY + h * 3600000;
      worst = Math.max(worst, Math.abs(clock.nowMs() - (T0 + t)));
    }
    t = i * gapDays * DAY;
    clock.sync(T0 + t + (i === 1 ? badMs : 0), false, 20);
  }
  return worst;
}

describe('a wrong second sync does not poison the rate (review)', () => {
  it('weekly syncs recover (control)', () => {
    expect(worstAfterBadSecondSync(7, 3000, -10, 180)).toBeLessThan(7000);
  });
  it('syncs every 3 days: the honest ones after a d3 sync 3 s off bring the error back under 4 s', () => {
    expect(worstAfterBadSecondSync(3, 3000, -10, 180)).toBeLessThan(4000);
  });
  it('daily syncs: the honest ones after a d1 sync 2 s off bring the error back under 4 s', () => {
    expect(worstAfterBadSecondSync(1, 2000, -10, 180)).toBeLessThan(4000);
  });
});
