// The drift-corrected clock over simulated months, on the real firmware clock code.
import { describe, expect, it } from 'vitest';
import { createTokenClock } from '../../firmware/clock.ts';
import { driftingClock } from '../helpers/drifting-clock.ts';
import { SteppedStorage } from '../helpers/fake-ports.ts';

const DAY = 86400000;
const START = 1767225600000;

/** Sync with a host whose time reaches the device `jitterMs` late or early. */
function sync(clock: ReturnType<typeof createTokenClock>, raw: ReturnType<typeof driftingClock>, jitterMs: number) {
  clock.setMs(raw.trueMs + jitterMs);
}

/** A board profile's typical drift for an oscillator this far off (crystal 30 ppm, RC 5,000). */
const typicalFor = (ppm: number) => (Math.abs(ppm) > 100 ? 5000 : 30);

function worstError(ppm: number, noise: number, days: number, syncGapDays: number, correct: boolean) {
  const raw = driftingClock(START, ppm, noise, 7);
  const clock = createTokenClock(raw, new SteppedStorage(), typicalFor(ppm));
  sync(clock, raw, 30);
  raw.advance(syncGapDays * DAY);
  if (correct) sync(clock, raw, -30);
  else {
    // Without correction: the second sync only resets the time, never the rate.
    raw.setMs(raw.trueMs - 30);
  }
  let worst = 0;
  const uncorrected = createTokenClock(raw, new SteppedStorage(), 100);
  if (!correct) uncorrected.setMs(raw.trueMs - 30);
  for (let d = 0; d < days; d++) {
    raw.advance(DAY);
    const now = correct ? clock.nowMs() : uncorrected.nowMs();
    worst = Math.max(worst, Math.abs(now - raw.trueMs));
  }
  return worst;
}

describe('drift-corrected clock', () => {
  it('keeps a 20 ppm crystal within 2 s over 180 days after two syncs a week apart', () => {
    for (const ppm of [20, -20]) expect(worstError(ppm, 0.5, 180, 7, true)).toBeLessThan(2000);
    // ...which it would not do uncorrected (20 ppm is 1.7 s a day).
    expect(worstError(20, 0.5, 180, 7, false)).toBeGreaterThan(100000);
  });

  it('keeps a 5,000 ppm RC oscillator within 2 s over 7 days after two syncs a week apart', () => {
    for (const ppm of [5000, -5000]) expect(worstError(ppm, 2, 7, 7, true)).toBeLessThan(2000);
    expect(worstError(5000, 2, 7, 7, false)).toBeGreaterThan(60000);
  });

  it('learns nothing from a short baseline and rejects implausible rates', () => {
    const raw = driftingClock(START, 100);
    const clock = createTokenClock(raw, new SteppedStorage(), 100);
    clock.setMs(raw.trueMs);
    raw.advance(60000);
    clock.setMs(raw.trueMs);
    expect(clock.status().driftPpm).toBe(0); // one minute is too short to measure ppm
    raw.advance(DAY);
    clock.setMs(raw.trueMs + 3600000); // a host an hour off: 41,000 ppm, not an oscillator
    expect(clock.status().driftPpm).toBe(0);
  });

  it('survives a restart (state in storage) and a power loss (time lost, rate kept)', () => {
    const storage = new SteppedStorage();
    const raw = driftingClock(START, 300);
    let clock = createTokenClock(raw, storage, 200);
    clock.setMs(raw.trueMs);
    raw.advance(7 * DAY);
    clock.setMs(raw.trueMs);
    expect(clock.status().driftPpm).toBeCloseTo(300, 0);
    raw.advance(DAY);
    clock = createTokenClock(raw, storage, 200); // reboot, RTC kept running
    expect(clock.isSet()).toBe(true);
    expect(Math.abs(clock.nowMs() - raw.trueMs)).toBeLessThan(100);
    raw.powerLoss();
    clock = createTokenClock(raw, storage, 200);
    expect(clock.isSet()).toBe(false); // no codes from a clock that lost power
    // The sync after a long power-off does not poison the estimate.
    raw.advance(30 * DAY);
    clock.setMs(raw.trueMs);
    expect(clock.status().driftPpm).toBeCloseTo(300, 0);
    expect(clock.isSet()).toBe(true);
  });

  it('learns no rate the board cannot have (a nudged sync must not teach the clock to run fast)', () => {
    const raw = driftingClock(START, 0);
    const clock = createTokenClock(raw, new SteppedStorage(), 30);
    clock.setMs(raw.trueMs);
    raw.advance(3600000);
    clock.setMs(raw.trueMs + 71000); // one unconfirmed sync 71 s ahead, an hour later: 19,700 ppm
    expect(clock.status().driftPpm).toBe(0);
    clock.setMs(raw.trueMs);
    raw.advance(7 * DAY);
    expect(Math.abs(clock.nowMs() - raw.trueMs)).toBeLessThan(1000);
  });

  it('reports growing estimated error between syncs', () => {
    const raw = driftingClock(START, 50);
    const clock = createTokenClock(raw, new SteppedStorage(), 100);
    clock.setMs(raw.trueMs);
    const fresh = clock.status().errorMs;
    raw.advance(30 * DAY);
    expect(clock.status().errorMs).toBeGreaterThan(fresh + 100000); // 100 ppm assumed until learned
  });
});
