// Shim of Moddable's `time` module over the simulated clock in host.ts.
// Time.set takes whole seconds, as xs_time_set does (xsmcToUnsigned,
// modules/base/time/esp/modTime.c); on Linux it does nothing
// (modules/base/time/lin/modTime.c has an empty xs_time_set).
import { clock, config } from './host.ts';

const Time = {
  set(seconds: number): void {
    if (config.platform === 'lin') return;
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
