// Shim of Moddable's `timer` module (modules/base/timer/timer.js: set(callback,
// delay, repeat), repeat(callback, interval), clear(id)). Timers fire only when the host sends a
// tick (IN.TICK): XS under xsnap has no timers, and tests want control of time.
import { addTimer, clearTimer } from './host.ts';

const Timer = {
  set(callback: (id: object) => void, initialInterval?: number, repeatInterval?: number): object {
    return addTimer(callback, initialInterval ?? 0, repeatInterval ?? 0);
  },
  repeat(callback: (id: object) => void, interval: number): object {
    return addTimer(callback, interval, interval);
  },
  clear(id: unknown): void {
    clearTimer(id);
  },
};

export default Timer;
