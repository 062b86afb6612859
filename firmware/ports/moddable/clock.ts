// The raw clock: the system time (Date.now), set with Time.set. Time.set takes
// whole seconds (xs_time_set reads an unsigned integer), so the raw clock reads
// up to a second behind the time it was set to. That is not corrected here:
// the token clock (firmware/clock.ts) anchors the raw reading right after each
// set, and its stored record keeps that anchor, so the sub-second part survives
// a restart. (A fraction kept in RAM here did not: ~0.5 s lost per restart.)
// A board that lost power starts again at 1970: that reads as "not set".
import Time from 'time';
import type { Clock } from '../../ports.ts';

/** 2020-01-01: a system clock before this was never set since power-up. */
const SANE_MS = 1577836800000;

export function moddableClock(): Clock {
  return {
    nowMs: () => Date.now(),
    setMs: (ms: number) => Time.set(Math.floor(ms / 1000)),
    isSet: () => Date.now() >= SANE_MS,
  };
}
