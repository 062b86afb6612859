// The raw clock: getTime() (the RTC, seconds as a float), set with setTime().
// The app corrects its drift (firmware/clock.ts). A board that lost power
// restarts its RTC at 1970, which reads as "not set". What setTime did not
// apply (all of it on Espruino's Linux build, the sub-second part on the
// Pico) is kept here instead, and stored so that it survives a restart.
import type { Clock, Storage } from '../../ports.ts';

declare function getTime(): number;
declare function setTime(seconds: number): void;

/** 2020-01-01: an RTC before this was never set since power-up. */
const SANE_MS = 1577836800000;
const OFFSET_KEY = 'tt.rtcoff';

export function espruinoClock(storage: Storage): Clock {
  let offset = +storage.read(OFFSET_KEY)! || 0; // no record: NaN, so 0
  let stored = !!offset; // a number (never NaN): true unless 0
  const nowMs = () => getTime() * 1000 + offset;
  return {
    nowMs: nowMs,
    setMs: (ms: number) => {
      setTime(ms / 1000);
      offset = ms - getTime() * 1000;
      // Where setTime takes fractions (ESP32: settimeofday in µs) what is left is
      // rounding, not worth a flash write. The Pico's STM32F4 RTC sets whole
      // seconds (jshSetSystemTime: "Subseconds are not set here"; its sub-second
      // counter restarts with the calendar, RM0090), so up to a second is left:
      // kept, or a restart loses it.
      const keep = offset > 1 || offset < -1;
      try {
        if (keep) storage.write(OFFSET_KEY, String(offset));
        else if (stored) storage.erase(OFFSET_KEY);
        stored = keep;
      } catch (e) {
        // Flash full: the offset holds in RAM until a restart, as the clock record does (a sync must not fail for it).
      }
    },
    isSet: () => nowMs() >= SANE_MS,
  };
}
