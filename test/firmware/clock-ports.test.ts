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

  /**
   * The Pico's RTC (STM32F4) as Espruino 2v29 drives it: targets/stm32/jshardware.c jshSetSystemTime
   * ("NOTE: Subseconds are not set here") hands RTC_SetTime/RTC_SetDate hours, minutes, seconds and
   * the date. Each enters the RTC's initialization mode, which stops the calendar and its prescalers;
   * on leaving it "the actual calendar counter value is then automatically loaded and the counting
   * restarts" (RM0090, RTC "Calendar initialization and configuration", step 5): the sub-second part
   * starts again from 0 (STM32CubeH7 issue 24: each HAL_RTC_Init "loses up to 1 s"; embassy-rs PR 6338:
   * "entering init mode causes the subseconds to be lost"). getTime() reads it back from RTC_SSR
   * (jshGetRTCSystemTime). So after setTime(x) getTime() is floor(x), not x.
   */
  function picoRtc(): (source: () => number) => void {
    const g = globalThis as unknown as { getTime: () => number; setTime: (s: number) => void };
    let offset = 0; // the RTC's, kept over a restart (a battery-backed domain)
    return (source) => {
      g.getTime = () => (source() + offset) / 1000;
      g.setTime = (s) => (offset = Math.floor(s) * 1000 - source());
    };
  }

  it('Espruino Pico (STM32F4 RTC): setTime sets whole seconds, its sub-seconds restart', () => {
    const rtc = picoRtc();
    restartKeeps((source, storage) => {
      rtc(source);
      return espruinoClock(storage);
    });
  });

  it('Espruino Pico with its flash full: a sync still sets the time (the sub-second offset stays in RAM)', () => {
    // The port's Storage throws when Storage.write returns false (firmware/ports/espruino/storage.ts;
    // jswrap_storage_write returns jsfWriteFile's false when no file fits). The clock record's write is
    // best effort (firmware/clock.ts: "the clock still runs from RAM"); the offset's must be too. Seen on
    // 2c37ef3: the sync threw ("flash write of tt.rtcoff failed") after the RTC was set and before the
    // clock record was, on every sync; 939511c never wrote the sub-second offset.
    let hostMs = 1700000000000;
    picoRtc()(() => hostMs);
    const storage = new SteppedStorage();
    const write = storage.write.bind(storage);
    let full = false;
    storage.write = (key: string, value: string) => {
      if (full) throw new Error('flash write of ' + key + ' failed');
      write(key, value);
    };
    const clock = createTokenClock(espruinoClock(storage), storage, 5000);
    let trueMs = T0;
    clock.sync(trueMs, false, 10);
    full = true;
    trueMs += DAY;
    hostMs += DAY;
    clock.sync(trueMs, false, 10);
    expect(Math.abs(clock.nowMs() - trueMs)).toBeLessThan(5);
  });
});
