// The raw clock: getTime() (the RTC, seconds as a float), set with setTime().
// The app corrects its drift (firmware/clock.ts). A board that lost power
// restarts its RTC at 1970, which reads as "not set". Where setTime does
// nothing (Espruino's Linux build) the offset it should have applied is kept
// here instead, and stored so that it survives a restart.
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
      // Where setTime works, what is left is a few ms of rounding: not worth a flash write.
      const keep = offset > 1000 || offset < -1000;
      if (keep) storage.write(OFFSET_KEY, String(offset));
      else if (stored) storage.erase(OFFSET_KEY);
      stored = keep;
    },
    isSet: () => nowMs() >= SANE_MS,
  };
}
