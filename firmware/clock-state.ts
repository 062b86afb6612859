// Clock rules the app enforces whatever the port: a clock that was never set
// (or lost power) shows no codes, and times before the firmware existed mean
// the clock is not set.
import type { Clock } from './ports.ts';

/** 2024-01-01T00:00:00Z: no real time is earlier than this firmware. */
export const EARLIEST_VALID_MS = 1704067200000;
/** 2200-01-01: later times are a mistake or an attack, not a clock. */
export const LATEST_VALID_MS = 7258118400000;

/** A time a set clock may show, or a sync may set. */
export function validTimeMs(ms: number): boolean {
  return ms >= EARLIEST_VALID_MS && ms < LATEST_VALID_MS;
}

export function clockUsable(clock: Clock): boolean {
  return clock.isSet() && validTimeMs(clock.nowMs());
}
