// A token clock (firmware/clock.ts) over an oscillator that runs exactly `ppm`
// fast, with no wander and no USB delays, and a storage that keeps what it is
// given: for the clock cases that need exact arithmetic (the review findings'
// tests). The true time is the caller's: `elapsed()` ms after `t0`.
import { createTokenClock } from '../../firmware/clock.ts';
import type { TokenClock } from '../../firmware/clock.ts';

export function exactToken(ppm: number, elapsed: () => number, typicalDriftPpm = 20, t0 = 1767225600000): TokenClock {
  let setOffset = 0;
  const rawNow = () => t0 + elapsed() * (1 + ppm / 1e6);
  const raw = { nowMs: () => rawNow() + setOffset, setMs: (ms: number) => void (setOffset = ms - rawNow()), isSet: () => true };
  const stored = new Map<string, string>();
  return createTokenClock(raw, { read: (k: string) => stored.get(k), write: (k: string, v: string) => void stored.set(k, v) }, typicalDriftPpm);
}
