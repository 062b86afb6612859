// Drift-correction figures (issue 7): worst error of the corrected clock after
// two syncs a week apart, and how far the same clock drifts uncorrected.
import { createTokenClock } from '../../firmware/clock.ts';
import { driftingClock } from '../helpers/drifting-clock.ts';
import { SteppedStorage } from '../helpers/fake-ports.ts';

const DAY = 86400000;

export function driftFigures(): { ppm: number; noisePpm: number; days: number; correctedWorstMs: number; uncorrectedWorstMs: number }[] {
  const cases = [
    { ppm: 20, noisePpm: 0.5, days: 180 },
    { ppm: -20, noisePpm: 0.5, days: 180 },
    { ppm: 5000, noisePpm: 2, days: 7 },
    { ppm: -5000, noisePpm: 2, days: 7 },
  ];
  return cases.map((c) => {
    const raw = driftingClock(1767225600000, c.ppm, c.noisePpm, 11);
    const clock = createTokenClock(raw, new SteppedStorage(), Math.abs(c.ppm) > 100 ? 5000 : 30); // the board profile's typical drift
    clock.setMs(raw.trueMs + 30); // sync jitter of tens of ms each way
    raw.advance(7 * DAY);
    clock.setMs(raw.trueMs - 30);
    const rawAtSync = raw.nowMs();
    const trueAtSync = raw.trueMs;
    let corrected = 0;
    let uncorrected = 0;
    for (let d = 0; d < c.days; d++) {
      raw.advance(DAY);
      corrected = Math.max(corrected, Math.abs(clock.nowMs() - raw.trueMs));
      uncorrected = Math.max(uncorrected, Math.abs(trueAtSync + (raw.nowMs() - rawAtSync) - raw.trueMs));
    }
    return { ...c, correctedWorstMs: Math.round(corrected), uncorrectedWorstMs: Math.round(uncorrected) };
  });
}
