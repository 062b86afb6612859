// Issue 15: a restart keeps the clock's sub-second part and its learned rate on
// every port whose raw clock runs on (the Moddable port in XS:
// test/xs/clock-restart.test.ts). Each port's raw clock under the token clock
// (firmware/clock.ts), restarted over the same storage.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTokenClock } from '../../firmware/clock.ts';
import type { Clock } from '../../firmware/ports.ts';
import { simClock } from '../../firmware/ports/node/sim-clock.ts';
import { systemClock } from '../../firmware/ports/johnny-five/system-clock.ts';
import { espruinoClock } from '../../firmware/ports/espruino/clock.ts';
import { SteppedStorage } from '../helpers/fake-ports.ts';

const DAY = 86400000;
const T0 = 1767225600700; // 700 ms past a whole second

/** Syncs twice a week apart on a source running 3 ppm fast, restarts, and compares. */
function restartKeeps(makeRaw: (source: () => number, storage: SteppedStorage) => Clock): void {
  let hostMs = 1700000000000; // the raw source: its own epoch, 3 ppm fast
  const source = () => hostMs;
  const storage = new SteppedStorage();
  let trueMs = T0;
  const advance = (ms: number) => {
    trueMs += ms;
    hostMs += ms * (1 + 3e-6);
  };
  let clock = createTokenClock(makeRaw(source, storage), storage, 20);
  clock.sync(trueMs, false, 10);
  advance(7 * DAY);
  clock.sync(trueMs, false, 10);
  advance(DAY);
  const before = { now: clock.nowMs(), status: clock.status() };
  expect(before.status.driftPpm).toBeCloseTo(3, 1);
  clock = createTokenClock(makeRaw(source, storage), storage, 20); // restart
  expect(clock.isSet()).toBe(true);
  expect(Math.abs(clock.nowMs() - before.now)).toBeLessThan(1);
  expect(clock.status()).toEqual(before.status);
  expect(Math.abs(clock.nowMs() - trueMs)).toBeLessThan(5);
}

describe('restarts keep the sub-second part and the learned rate', () => {
  it('simulator (offset file)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'clk-')), 'clock.json');
    restartKeeps((source) => simClock(file, source));
  });

  it('johnny-five Linux board (offset file, same boot)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'clk-')), 'clock.json');
    restartKeeps((source) => systemClock(file, source, 'boot-1'));
  });

  it("Espruino, where setTime does nothing (the Linux build): the offset in storage", () => {
    const g = globalThis as unknown as { getTime: () => number; setTime: (s: number) => void };
    restartKeeps((source, storage) => {
      g.getTime = () => source() / 1000;
      g.setTime = () => {};
      return espruinoClock(storage);
    });
  });

  it('Espruino with a working RTC: setTime takes fractional seconds', () => {
    const g = globalThis as unknown as { getTime: () => number; setTime: (s: number) => void };
    let offset = 0;
    restartKeeps((source, storage) => {
      g.getTime = () => (source() + offset) / 1000;
      g.setTime = (s) => (offset = s * 1000 - source());
      return espruinoClock(storage);
    });
  });

  it('Espruino Pico (STM32F4 RTC): setTime sets whole seconds and the sub-second counter runs on', () => {
    // targets/stm32/jshardware.c jshSetSystemTime (Espruino 2v29): "NOTE: Subseconds are not set here";
    // RTC_SetTime/RTC_SetDate take hours, minutes and seconds, and getTime() reads the sub-seconds from
    // the running synchronous prescaler. So after setTime(x) getTime() is within a second of x, not at it.
    const g = globalThis as unknown as { getTime: () => number; setTime: (s: number) => void };
    let offset = 0;
    restartKeeps((source, storage) => {
      const rtcMs = () => source() + offset;
      g.getTime = () => rtcMs() / 1000;
      g.setTime = (s) => {
        const fraction = ((rtcMs() % 1000) + 1000) % 1000;
        offset = Math.floor(s) * 1000 + fraction - source();
      };
      return espruinoClock(storage);
    });
  });
});
