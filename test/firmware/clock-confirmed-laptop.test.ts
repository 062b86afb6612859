// Review 3 finding (commit 11108f1): a laptop without NTP a minute or more off
// (the token asks, the user presses) that synced again the next day (its clock
// drifting 17 ppm, so 1.4 s further) replaced six weeks of honest anchors with its
// own pair: a suspect confirmed with the button and a sync further on the same
// side make the rule for a rate a fast host walked fire. The button vouches for
// a clock step, not for the host's rate; but one more sync cannot tell this case
// from the one the rule is for (honest syncs, the user pressing, after a host
// walked the anchors for weeks: test/firmware/clock-poisoned-rate.test.ts), so the
// rule stays. What made it last: when the honest host came back (the user presses
// again), its two syncs fired the rule for two anchors, which kept the first, the
// laptop's, so the rate stayed poisoned: 29.7 s and 20.3 s off from the second
// honest sync on, and a third press. Independent simulation (40 runs, worst from
// the first honest sync after the laptop's, median / p95 / max; before 11108f1:
// 0.9 / 1.7 / 2.8 s): 6.9 / 36.7 / 46.2 s, 86 presses for 80; now that rule
// keeps nothing from before a confirmed suspect: 6.9 / 13.0 / 13.2 s, 80 presses
// (an independent simulation, review 3). Left (it.fails): the week after the honest
// host is back runs at the laptop's rate, and the stated error is too small then.
import { describe, expect, it } from 'vitest';
import { exactToken } from '../helpers/exact-clock.ts';

const DAY = 86400000;
const T0 = 1767225600000;

/**
 * A laptop `offMs` off synced twice (d42.3, d43.3, its clock `lapPpm` fast) after weekly honest
 * syncs from d0; honest weekly syncs from d45 for 17 weeks; the board runs `ppm` fast, exactly;
 * every sync is pressed for when the token asks. Returns the worst |error| over the week from
 * the first honest sync after the laptop's, the worst from the second honest sync on (ms), and
 * the presses from d45.
 */
function afterLaptop(ppm: number, offMs: number, lapPpm: number): number[] {
  let t = 0;
  const clock = exactToken(ppm, () => t);
  let presses = 0;
  const sync = (ms: number) => {
    const ask = clock.needsConfirm(ms);
    if (ask) presses++;
    clock.sync(ms, ask, 20);
  };
  for (let i = 0; i <= 6; i++) {
    t = i * 7 * DAY;
    sync(T0 + t);
  }
  t = 42.3 * DAY;
  sync(T0 + t + offMs);
  t = 43.3 * DAY;
  sync(T0 + t + offMs + lapPpm * 1e-6 * DAY);
  presses = 0;
  const worst = [0, 0];
  for (let w = 0; w < 17; w++) {
    for (let h = 1; w > 0 && h <= 7 * 24; h++) {
      t = (45 + (w - 1) * 7) * DAY + h * 3600000;
      worst[w > 1 ? 1 : 0] = Math.max(worst[w > 1 ? 1 : 0], Math.abs(clock.nowMs() - (T0 + t)));
    }
    t = (45 + w * 7) * DAY;
    sync(T0 + t);
  }
  return worst.concat([presses]);
}

describe('a laptop a minute off, confirmed with the button, does not poison the rate for weeks (review 3)', () => {
  it('a -19 ppm board, the laptop 88 s off and 17 ppm fast on two days in a row: from the second honest sync after it within 2 s, one press', () => {
    const r = afterLaptop(-19, 88000, 17);
    expect(r[1]).toBeLessThan(2000);
    expect(r[2]).toBe(1); // the first honest sync moves the clock back 88 s
  });
  it('the same with the laptop 60 s behind and 20 ppm slow on a +8 ppm board', () => {
    const r = afterLaptop(8, -60000, -20);
    expect(r[1]).toBeLessThan(2000);
    expect(r[2]).toBe(1);
  });
  it.fails('known, not fixed: the week after the first honest sync runs at the laptop\'s rate (10 s off; before 11108f1 under 1 s)', () => {
    expect(afterLaptop(-19, 88000, 17)[0]).toBeLessThan(2000);
  });
});

/**
 * Worst |error| from the third honest weekly sync after a host that got one press (for a clock
 * step of `stepMs`, at d36) then synced hourly for 30 d running `hostPpm` fast from there
 * without the button; six honest weekly syncs before, ten after (pressed when asked); the board
 * runs `ppm` fast, exactly. Returns [worst ms, runs of the stated error too small].
 */
function afterPressedHost(ppm: number, stepMs: number, hostPpm: number): number[] {
  let t = 0;
  const clock = exactToken(ppm, () => t);
  const honest = () => clock.sync(T0 + t, clock.needsConfirm(T0 + t), 20);
  for (let i = 0; i < 6; i++) {
    t = i * 7 * DAY;
    honest();
  }
  t = 36 * DAY;
  clock.sync(T0 + t + stepMs, true, 20); // the one press
  for (let h = 1; h <= 30 * 24; h++) {
    t = 36 * DAY + h * 3600000;
    const host = T0 + t + stepMs + hostPpm * 1e-6 * h * 3600000;
    if (!clock.needsConfirm(host)) clock.sync(host, false, 20);
  }
  let worst = 0;
  let under = 0;
  for (let w = 0; w < 10; w++) {
    for (let h = 1; w > 2 && h <= 7 * 24; h++) {
      t = (70 + (w - 1) * 7) * DAY + h * 3600000;
      const err = Math.abs(clock.nowMs() - (T0 + t));
      worst = Math.max(worst, err);
      if (clock.status().errorMs < err) under++;
    }
    t = (70 + w * 7) * DAY;
    honest();
  }
  return [worst, under];
}

describe('one press for a host whose clock runs far too fast does not hand it the anchors (review 3)', () => {
  // 11108f1: the pressed step is a confirmed suspect, the host's next sync an hour later is
  // further on the same side, so the rule for a walked rate replaced six weeks of honest anchors
  // with the host's pair and let it walk them: honest syncs after it 30 s off, the stated error
  // too small. A pair that disagrees with the rate by more than any board can (maxLearnablePpm)
  // is the host, not the rate. (Independent simulation, 100 runs, host 500 ppm: worst
  // 0.49 / 1.23 / 1.74 s before 11108f1, 0.55 / 29.1 / 30.8 s after, stated error too small in 16.)
  it('a +5 ppm board, a +40 s step pressed for, then the host 500 ppm fast hourly: honest weekly syncs after it within 2 s, the error never understated', () => {
    const r = afterPressedHost(5, 40000, 500);
    expect(r[0]).toBeLessThan(2000);
    expect(r[1]).toBe(0);
  });
});
