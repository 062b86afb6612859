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
import { exactToken } from '../helpers/exact-clock.ts';

const DAY = 86400000;
const T0 = 1767225600000;

/** Worst |error| after the second good sync that follows the bad one. */
function worstAfterBadSecondSync(gapDays: number, badMs: number, ppm: number, days: number): number {
  let t = 0; // true ms since T0
  const clock = exactToken(ppm, () => t);
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

// Review 2: the same with a full anchor set. A host whose clock runs fast (a VM without NTP
// that says its clock is synchronized) syncing hourly for 5 days without the button walks
// its offsets in through suspects that the next sync agrees with (older anchors shifted, the
// pair appended) and teaches a rate far from the board's. After it, honest weekly syncs
// disagreed with that rate and with the suspect before them alike, so each was held as a new
// suspect and the anchors never changed again; a sync confirmed with the button set the time
// but trusted the wrong rate (rt). On 7d34ca1 and 5d0914d: 27.5 s off (100 ppm host) for as
// long as honest syncs ran (15 weeks), 151 s (150 ppm host). Fixed (clock.ts sync): the rule
// above also fires when the suspect was confirmed with the button or the anchors' rate is
// beyond twice the board's typical drift (walked), then keeping nothing from before the
// suspect; a confirmed suspect does not trust the rate it disagreed with; a walked set is not
// shifted into the fit. Not for every full set: that made honest boards press (independent
// simulation: RC moved 6 °C, syncs every 2-4 d, 1 -> 23/100 runs; weekly crystals after a
// host 30 ppm fast for 10 d, 0 -> 91/100). The walked case needs sync noise to get in (an
// exact oscillator refuses a 150 ppm host's walk): clock-drift.test.ts runs it in the bench's model.
/**
 * Worst |error| from the third honest weekly sync after a host `hostPpm` fast synced hourly
 * for 5 days (from d35, after six honest weekly syncs) without the button; the board runs
 * `ppm` fast, exactly; honest syncs press the button when asked.
 */
function worstAfterFastHost(ppm: number, hostPpm: number): number {
  let t = 0;
  const clock = exactToken(ppm, () => t);
  const honest = () => clock.sync(T0 + t, clock.needsConfirm(T0 + t), 20);
  for (let i = 0; i < 6; i++) {
    t = i * 7 * DAY;
    honest();
  }
  for (let h = 1; h <= 120; h++) {
    t = 35 * DAY + h * 3600000;
    const host = T0 + t + hostPpm * 1e-6 * h * 3600000;
    if (!clock.needsConfirm(host)) clock.sync(host, false, 20); // no button for it
  }
  let worst = 0;
  for (let w = 0; w < 15; w++) {
    for (let h = 1; w > 2 && h <= 7 * 24; h++) {
      t = (45 + (w - 1) * 7) * DAY + h * 3600000;
      worst = Math.max(worst, Math.abs(clock.nowMs() - (T0 + t)));
    }
    t = (45 + w * 7) * DAY;
    honest();
  }
  return worst;
}

describe('a host with a fast clock does not poison a full anchor set for good (review 2)', () => {
  it('100 ppm fast (teaches -16 ppm to a +10 ppm board; the user is asked to press, once): honest weekly syncs bring the error back under 4 s', () => {
    expect(worstAfterFastHost(10, 100)).toBeLessThan(4000);
  });
});
