// The raw clock: the system time (Date.now), set with Time.set. Time.set takes
// whole seconds, so the port keeps the sub-second part of the last sync. A
// board that lost power starts again at 1970: that reads as "not set".
import Time from 'time';
import type { Clock } from '../../ports.ts';

/** 2020-01-01: a system clock before this was never set since power-up. */
const SANE_MS = 1577836800000;

export function moddableClock(): Clock {
  let fractionMs = 0;
  return {
    nowMs: () => Date.now() + fractionMs,
    setMs: (ms: number) => {
      const seconds = Math.floor(ms / 1000);
      Time.set(seconds);
      fractionMs = ms - seconds * 1000;
    },
    isSet: () => Date.now() >= SANE_MS,
  };
}
