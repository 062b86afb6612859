// A simulated oscillator for clock tests: raw time runs `ppm` fast (negative:
// slow) relative to true time, with optional rate noise (a random walk, as
// temperature moves an RC oscillator) and power loss that resets it to zero.
import type { Clock } from '../../firmware/ports.ts';

export interface DriftingClock extends Clock {
  /** True (reference) time in ms. */
  trueMs: number;
  advance(ms: number): void;
  powerLoss(): void;
}

export function driftingClock(startTrueMs: number, ppm: number, noisePpm = 0, seed = 1): DriftingClock {
  let rawMs = startTrueMs;
  let rawSet = false;
  let rate = ppm;
  let rng = seed;
  const random = () => ((rng = (rng * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  const c: DriftingClock = {
    trueMs: startTrueMs,
    nowMs: () => rawMs,
    setMs: (ms) => {
      rawMs = ms;
      rawSet = true;
    },
    isSet: () => rawSet,
    advance(ms) {
      // Step an hour at a time so the noisy rate varies along the way.
      for (let left = ms; left > 0; left -= 3600000) {
        const step = Math.min(left, 3600000);
        if (noisePpm) rate = ppm + noisePpm * random();
        rawMs += step * (1 + rate / 1e6);
        c.trueMs += step;
      }
    },
    powerLoss() {
      rawMs = 0;
      rawSet = false;
    },
  };
  return c;
}
