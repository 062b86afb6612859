// The simulator's clock: the host computer's time plus an offset the token
// keeps, like an RTC with a battery. `--clock-unset` starts it as a board
// that lost power; `rate` lets tests run it fast or slow.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Clock } from '../../ports.ts';

export interface SimClock extends Clock {
  /** Forget the time, as after a power loss. */
  lose(): void;
}

export function simClock(stateFile: string, source: () => number): SimClock {
  let state = { set: false, offsetMs: 0 };
  if (existsSync(stateFile)) {
    try {
      state = JSON.parse(readFileSync(stateFile, 'utf8'));
    } catch {
      // A damaged clock file means the time is unknown, which is what the default says.
    }
  }
  const save = () => writeFileSync(stateFile, JSON.stringify(state), { mode: 0o600 });
  return {
    nowMs: () => source() + state.offsetMs,
    setMs: (ms) => {
      state = { set: true, offsetMs: ms - source() };
      save();
    },
    isSet: () => state.set,
    lose: () => {
      state = { set: false, offsetMs: 0 };
      save();
    },
  };
}
