// Shim of Moddable's `time` module over the simulated clock in host.ts.
// Time.set takes whole seconds, as xs_time_set does (xsmcToUnsigned).
import { clock } from './host.ts';

const Time = {
  set(seconds: number): void {
    clock.nowMs = (seconds >>> 0) * 1000;
  },
  get ticks(): number {
    return clock.ticks;
  },
  delta(start: number, end?: number): number {
    return (end ?? clock.ticks) - start;
  },
};

export default Time;
