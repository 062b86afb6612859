// The app's timers over Moddable's Timer module (XS has no setTimeout or
// setInterval of its own on a device).
import Timer from 'timer';
import type { Timers } from '../../ports.ts';

export function moddableTimers(): Required<Timers> {
  return {
    setInterval: (fn: () => void, ms: number) => Timer.repeat(() => fn(), ms),
    setTimeout: (fn: () => void, ms: number) => Timer.set(() => fn(), ms),
    clearTimeout: (handle: unknown) => Timer.clear(handle as object),
  };
}
