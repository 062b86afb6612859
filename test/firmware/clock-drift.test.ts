// The drift-corrected clock (firmware/clock.ts) over simulated months, under
// the oscillator model of test/helpers/drifting-clock.ts (daily wander, crystal
// parabola, RC coefficient, weather, seasons; USB legs and host clocks as
// host/lib/client.ts meets them). The goals of issue 15, over fewer seeds than
// `npm run bench` uses so the suite stays fast. Accuracy bounds, not timings.
import { describe, expect, it } from 'vitest';
import { createTokenClock, MAX_PLAUSIBLE_PPM } from '../../firmware/clock.ts';
import { driftingClock } from '../helpers/drifting-clock.ts';
import { fakeToken, SteppedStorage } from '../helpers/fake-ports.ts';
import { readText } from '../helpers/ocr.ts';
import { COMMANDS, HOST_CLOCK_UNSYNCED } from '../../protocol/messages.ts';
import { CLOCK_SCENARIOS, rateFloor, runScenario, scenarioFigures } from '../bench/figures-clock.ts';
import type { ClockScenario, RunResult } from '../bench/figures-clock.ts';

const DAY = 86400000;
const START = 1767225600000;
const SEEDS = 40;
/** Runs of months of simulated time: seconds each on a loaded machine (a limit, not a timing). */
const SLOW = 120000;

const scenario = (prefix: string): ClockScenario => {
  const sc = CLOCK_SCENARIOS.find((s) => s.name.startsWith(prefix));
  if (!sc) throw new Error('no scenario ' + prefix);
  return sc;
};
const runs = (sc: ClockScenario): RunResult[] => Array.from({ length: SEEDS }, (_, i) => runScenario(sc, i + 1));

describe('drift-corrected clock: the goals of issue 15', () => {
  it('20 ppm crystal, two syncs a week apart: p95 <= 2 s and max <= 3 s over 180 days, error never understated', () => {
    const f = scenarioFigures(scenario('20 ppm crystal, syncs d0+d7'), SEEDS);
    expect(f.p95Ms).toBeLessThanOrEqual(2000);
    expect(f.maxMs).toBeLessThanOrEqual(3000);
    expect(f.uncorrectedMedianMs).toBeGreaterThan(100000); // 20 ppm is 1.7 s a day: the correction matters
    expect(f.overclaimRuns).toBe(0);
  }, SLOW);

  it('5,000 ppm RC, two syncs a week apart: within the daily temperature swing over 7 days, error never understated', () => {
    // The model's RC swings ±1.5 °C a day at 50 ppm/°C: about ±1 s of offset no sync can learn. A clock
    // told the true mean rate between the syncs is 2.19 s off at worst (200 runs; the best constant rate in
    // hindsight 2.03 s): the clock must stay within a sync's error (0.1-0.2 s) of that floor.
    const f = scenarioFigures(scenario('5,000 ppm RC, syncs d0+d7'), SEEDS);
    const floor = rateFloor(scenario('5,000 ppm RC, syncs d0+d7'), SEEDS);
    expect(f.maxMs).toBeLessThanOrEqual(floor.told[2] + 200);
    expect(floor.told[2]).toBeGreaterThan(1500);
    expect(f.overclaimRuns).toBe(0);
    // Without the RC's temperature coefficient (the issue's own model) the goal of 2 s holds.
    const plain = { ...scenario('5,000 ppm RC, syncs d0+d7'), oscillator: (r: () => number) => ({ ppm: r() < 0.5 ? 5000 : -5000, kind: 'rc' as const, rcPpmPerC: 0 }) };
    expect(scenarioFigures(plain, SEEDS).maxMs).toBeLessThanOrEqual(2000);
  }, SLOW);

  it('one sync from a host 3 s off costs at most half its offset (4 s at any later time), and the next good sync restores the rate', () => {
    const base = runs(scenario('20 ppm crystal, syncs d0+d7'));
    const bad = runs(scenario('20 ppm, d0+d7, d14 from a host 3 s off'));
    const month = runs({ ...scenario('20 ppm, d0+d7, d14 from a host 3 s off'), afterMs: 30 * DAY });
    const healed = runs(scenario('...then a good sync d21'));
    for (let i = 0; i < SEEDS; i++) {
      // Half way between host and model: half the 3 s, plus the drift the same seed has without the bad sync.
      expect(bad[i].worstMs).toBeLessThanOrEqual(1500 + 150 + base[i].worstMs);
      expect(bad[i].worstMs).toBeLessThanOrEqual(4000);
      expect(month[i].worstMs).toBeLessThanOrEqual(4000);
      expect(healed[i].worstMs).toBeLessThan(2000);
      expect(bad[i].overclaimMs).toBeLessThanOrEqual(0); // the stated error includes the disagreement
    }
  }, SLOW);

  it('weekly syncs: the rate follows an RC through the seasons and a crystal through the weather, without chasing noise or carrying a few weeks for months', () => {
    // The plain fit over six weekly anchors gives the rate of weeks ago: an RC's seasons move it
    // tens of ppm a week (44 s worst over these seeds), weather a crystal's by a few tenths.
    expect(scenarioFigures(scenario('5,000 ppm RC, weekly syncs for 8 wk, seasons'), SEEDS).maxMs).toBeLessThanOrEqual(30000);
    expect(scenarioFigures(scenario('20 ppm, weekly syncs for 26 wk'), SEEDS).maxMs).toBeLessThanOrEqual(1700);
    // The recent rate weighs the daily swing each sync carries (4.4 s without it)...
    expect(scenarioFigures(scenario('5,000 ppm RC, syncs every 3 d at random hours'), SEEDS).maxMs).toBeLessThanOrEqual(4000);
    // ...and months ahead gives way to the long-run rate (18.7 s with the recent rate throughout).
    const far = scenarioFigures(scenario('20 ppm, weekly syncs for 8 wk, weather'), SEEDS);
    expect(far.maxMs).toBeLessThanOrEqual(16500);
    expect(far.overclaimRuns).toBe(0);
  }, SLOW);

  it('syncs an hour apart for days: a crystal board still learns its rate, and an RC board states the error the daily cycle gives a rate over hours', () => {
    // A full set of anchors an hour apart slid on a five-hour baseline: a crystal never trusted a rate (51.9 s after 30 d, no correction).
    expect(scenarioFigures(scenario('20 ppm, hourly syncs for 30 d'), SEEDS).maxMs).toBeLessThanOrEqual(1000);
    // An RC trusted that rate, tilted by its daily temperature swing (75 ppm), and stated 2 x its fit error: 26 of 40 runs overclaimed.
    const rc = scenarioFigures(scenario('5,000 ppm RC, hourly syncs for 3 d'), SEEDS);
    expect(rc.overclaimRuns).toBe(0);
    expect(rc.maxMs).toBeLessThanOrEqual(8000);
    // Two syncs hours apart: the stated error now includes that tilt (without it, 29 to 47 of 100 runs overclaimed).
    for (const hours of [3, 6, 12]) {
      const pair: ClockScenario = { ...scenario('5,000 ppm RC, syncs d0+d7'), syncs: () => [{ atMs: 0 }, { atMs: hours * 3600000 }] };
      expect(scenarioFigures(pair, SEEDS).overclaimRuns, `${hours} h apart`).toBe(0);
    }
  }, SLOW);

  it('two syncs an hour apart on a crystal board are never worse than no correction over 30 days', () => {
    for (const r of runs(scenario('20 ppm, syncs 61 min apart'))) {
      expect(r.worstMs).toBeLessThanOrEqual(r.uncorrectedMs + 1);
      expect(r.overclaimMs).toBeLessThanOrEqual(0);
    }
  }, SLOW);

  it('states an error that holds in every scenario a token can know about (all but a host lying that its clock is synchronized)', () => {
    // Weeks-long weather overclaimed in 10 of 200 runs, a host saying it is unsynchronized in all of them, before the fix.
    // Weekly syncs (the fit's rate weeks old at the last sync) overclaimed with weather and with an RC's seasons before the wander allowance started at the anchors' age.
    // An RC moved to a room 6 °C colder (300 ppm) overclaimed in 30 of 40 runs with a wander allowance of typical / 25 (200 ppm).
    for (const sc of CLOCK_SCENARIOS) {
      if (sc.name.includes('claiming sync')) continue; // cannot be caught: see the next test
      expect(scenarioFigures(sc, SEEDS).overclaimRuns, sc.name).toBe(0);
    }
  }, SLOW);

  it('never asks for the button in any scenario: all its hosts are honest or a few seconds off (the rate-walk fix must not make honest boards press)', () => {
    for (const sc of CLOCK_SCENARIOS) {
      // A host that walked the clock tens of seconds (no button for it): moving it back may take the button.
      if (sc.syncs(() => 0.5).some((x) => x.noButton)) continue;
      expect(scenarioFigures(sc, SEEDS).pressRuns, sc.name).toBe(0);
    }
  }, SLOW);

  it('a board whose rate changed (an RC moved to a room 6 °C colder): the second sync in a row that disagrees the same way, further, sets the time in full', () => {
    // Before (5d0914d) each went half way: 297.7 / 341.4 / 341.9 s over these 40 runs (the first sync after the
    // move cannot know better than half way: up to a week of 300 ppm, 181 s, was unseen).
    const f = scenarioFigures(scenario('5,000 ppm RC, weekly syncs for 6 wk, moved'), SEEDS);
    expect(f.maxMs).toBeLessThan(300000);
    expect(f.overclaimRuns).toBe(0);
    expect(f.pressRuns).toBe(0);
  }, SLOW);

  it('a host with a fast clock that walks a full anchor set to its rate (no button) costs nothing once honest syncs come back', () => {
    // Before the fix (5d0914d): 42.2 / 142.2 / 145.1 s (median / p95 / max of 100 runs), the error understated in 50.
    const f = scenarioFigures(scenario('20 ppm, weekly syncs 6 wk, weather; a host 150 ppm fast'), SEEDS);
    expect(f.maxMs).toBeLessThan(2000);
    expect(f.overclaimRuns).toBe(0);
  }, SLOW);

  it('cannot catch a host that claims a synchronized clock but is 3 s off, with one anchor before it: a twin world gives the token the same inputs', () => {
    // World A: a 20 ppm crystal, synced at d0, then at d7 by a host 3 s ahead that says its clock is right.
    // World B: a 15.04 ppm crystal (as plausible on a 20 ppm board) and two right hosts, the second one 3 s later.
    // The raw clock reads the same at both second syncs and the hosts send the same time: every input is equal,
    // so any clock shows the same time for the same raw reading, and the two truths drift 4.96 ppm apart.
    const week = 7 * DAY;
    const rB = (week * 20 - 3000 * 1e6) / (week + 3000); // ppm: (7 d + 3 s)(1 + rB) = 7 d (1 + 20 ppm)
    const worlds = [driftingClock(START, 20), driftingClock(START, rB)];
    const clocks = worlds.map((raw) => createTokenClock(raw, new SteppedStorage(), 20));
    worlds.forEach((raw, i) => {
      clocks[i].sync(raw.trueMs, false, 40);
      raw.advance(week + (i === 1 ? 3000 : 0));
      clocks[i].sync(START + week + 3000, false, 40);
    });
    expect(worlds[1].nowMs()).toBeCloseTo(worlds[0].nowMs(), 3);
    // 180 days on in A; B to the same raw reading.
    worlds[0].advance(180 * DAY);
    worlds[1].advance((worlds[0].nowMs() - worlds[1].nowMs()) / (1 + rB / 1e6));
    expect(Math.abs(worlds[1].nowMs() - worlds[0].nowMs())).toBeLessThan(10); // float steps
    expect(Math.abs(clocks[1].nowMs() - clocks[0].nowMs())).toBeLessThan(50); // the token cannot tell the worlds apart
    const gap = Math.abs(worlds[0].trueMs - worlds[1].trueMs);
    expect(gap).toBeGreaterThan(75000);
    // So one of the two is at least half of that off, whatever the clock does; B is a board with right hosts.
    expect(Math.max(Math.abs(clocks[0].nowMs() - worlds[0].trueMs), Math.abs(clocks[1].nowMs() - worlds[1].trueMs))).toBeGreaterThanOrEqual(gap / 2);
  }, SLOW);
});

describe('drift-corrected clock: anchors, suspects and storage', () => {
  const sync = (clock: ReturnType<typeof createTokenClock>, raw: ReturnType<typeof driftingClock>, offsetMs = 0, rtt = 40) =>
    clock.sync(raw.trueMs + offsetMs, false, rtt);

  it('an hour-apart pair teaches a crystal board nothing, an RC board its rate', () => {
    for (const [ppm, typical, learns] of [[20, 20, false], [3000, 5000, true]] as const) {
      const raw = driftingClock(START, ppm);
      const clock = createTokenClock(raw, new SteppedStorage(), typical);
      sync(clock, raw, 30);
      raw.advance(3600000);
      sync(clock, raw, -30);
      if (learns) expect(clock.status().driftPpm).toBeCloseTo(ppm, -2);
      else expect(clock.status().driftPpm).toBe(0);
    }
  });

  it('holds a sync that disagrees as suspect, reports it, and restores the rate at the next good sync', () => {
    const raw = driftingClock(START, 20);
    const clock = createTokenClock(raw, new SteppedStorage(), 20);
    sync(clock, raw);
    raw.advance(7 * DAY);
    sync(clock, raw);
    const learned = clock.status().driftPpm;
    expect(learned).toBeCloseTo(20, 0);
    raw.advance(7 * DAY);
    sync(clock, raw, 3000);
    const st = clock.status();
    expect(st.suspectAtMs).toBe(raw.trueMs + 3000);
    expect(st.suspectMs).toBeGreaterThan(2800);
    expect(st.driftPpm).toBe(learned); // the rate is not taught by the suspect sync
    expect(st.errorMs).toBeGreaterThanOrEqual(3000); // ...and the stated error admits it
    // Host or model is wrong: half way, within 1.5 s of either, and the stated error covers both.
    expect(clock.nowMs() - raw.trueMs).toBeCloseTo(1500, -2);
    raw.advance(7 * DAY);
    sync(clock, raw);
    expect(clock.status().driftPpm).toBeCloseTo(learned, 1);
    expect(Math.abs(clock.nowMs() - raw.trueMs)).toBeLessThan(200);
    expect(clock.status().errorMs).toBeLessThan(1000);
  });

  it('follows a suspect when the next sync agrees with it (the older anchors were the wrong ones)', () => {
    const raw = driftingClock(START, 20);
    const clock = createTokenClock(raw, new SteppedStorage(), 20);
    sync(clock, raw, 4000); // the first host was 4 s off
    raw.advance(7 * DAY);
    sync(clock, raw, 4000); // ...and so was the second: 20 ppm learned, the time 4 s off
    raw.advance(7 * DAY);
    sync(clock, raw); // a right host: suspect
    expect(clock.status().suspectMs).toBeLessThan(-3500);
    raw.advance(7 * DAY);
    sync(clock, raw); // agrees with the suspect: the model follows it
    expect(clock.status().driftPpm).toBeCloseTo(20, 0);
    raw.advance(60 * DAY);
    expect(Math.abs(clock.nowMs() - raw.trueMs)).toBeLessThan(1000);
  });

  it('takes no rate from a host that says its clock is unsynchronized, and keeps its time within its own error bound', () => {
    const raw = driftingClock(START, 20);
    const clock = createTokenClock(raw, new SteppedStorage(), 20);
    sync(clock, raw);
    raw.advance(7 * DAY);
    const own = clock.nowMs();
    const bound = clock.status().errorMs;
    clock.sync(raw.trueMs + 3000, false, 40, true); // 3 s off and says so
    expect(clock.status().driftPpm).toBe(0); // a crystal learns nothing from it
    expect(Math.abs(clock.nowMs() - own)).toBeLessThanOrEqual(bound); // never moved beyond the token's own bound
    expect(clock.status().errorMs).toBeGreaterThanOrEqual(Math.abs(clock.nowMs() - raw.trueMs));
    raw.advance(7 * DAY);
    sync(clock, raw); // a synchronized host: now the rate
    expect(clock.status().driftPpm).toBeCloseTo(20, 0);
    // A trained clock is not moved by an unsynchronized host 3 s off, nor taught by it.
    raw.advance(7 * DAY);
    clock.sync(raw.trueMs + 3000, false, 40, true);
    expect(Math.abs(clock.nowMs() - raw.trueMs)).toBeLessThan(500);
    expect(clock.status().driftPpm).toBeCloseTo(20, 0);
  });

  it('learns no rate the board cannot have (a nudged sync must not teach the clock to run fast)', () => {
    const raw = driftingClock(START, 0);
    const clock = createTokenClock(raw, new SteppedStorage(), 30);
    sync(clock, raw);
    raw.advance(3600000);
    sync(clock, raw, 71000); // one unconfirmed sync 71 s ahead, an hour later: 19,700 ppm
    expect(clock.status().driftPpm).toBe(0);
    expect(clock.status().suspectMs).toBeGreaterThan(70000);
    sync(clock, raw);
    raw.advance(7 * DAY);
    expect(Math.abs(clock.nowMs() - raw.trueMs)).toBeLessThan(1000);
  });

  it('keeps time, sub-second part and rate across a restart; the rate across a power loss', () => {
    const storage = new SteppedStorage();
    const raw = driftingClock(START, 300);
    let clock = createTokenClock(raw, storage, 200);
    sync(clock, raw, 0.4);
    raw.advance(7 * DAY);
    sync(clock, raw, 0.4);
    expect(clock.status().driftPpm).toBeCloseTo(300, 0);
    raw.advance(DAY);
    const before = clock.nowMs();
    const statusBefore = clock.status();
    clock = createTokenClock(raw, storage, 200); // reboot, RTC kept running
    expect(clock.isSet()).toBe(true);
    expect(clock.nowMs()).toBeCloseTo(before, 3);
    expect(clock.status()).toEqual(statusBefore);
    raw.powerLoss();
    clock = createTokenClock(raw, storage, 200);
    expect(clock.isSet()).toBe(false); // no codes from a clock that lost power
    raw.advance(30 * DAY);
    sync(clock, raw);
    expect(clock.status().driftPpm).toBeCloseTo(300, 0); // the sync after a long power-off does not poison the rate
    raw.advance(7 * DAY);
    expect(Math.abs(clock.nowMs() - raw.trueMs)).toBeLessThan(200);
  });

  it('keeps a crystal rate and its stated error through power loss after power loss (a board without a battery, synced at each plug-in)', () => {
    // After a power loss the rate stands on a virtual anchor placed to give it the error it had. Since 43fe987 that
    // error includes the daily cycle's tilt over the anchors' span, which the two-anchor fit then added again over
    // the virtual anchor's shorter span: each power loss doubled the stated rate error, and the sixth forgot the rate
    // (weekly syncs: true error 0.8 -> 4.9 s median, 1.99 -> 10.8 s worst, "clock?" shown, in an independent simulation).
    const storage = new SteppedStorage();
    const raw = driftingClock(START, 12);
    let clock = createTokenClock(raw, storage, 20);
    for (let i = 0; i < 6; i++) {
      if (i) raw.advance(7 * DAY);
      sync(clock, raw);
    }
    raw.advance(7 * DAY);
    const statedAWeekOn = clock.status().errorMs; // mostly the week's wander allowance (5 ppm): 3.4 s
    for (let i = 0; i < 8; i++) {
      raw.powerLoss();
      clock = createTokenClock(raw, storage, 20);
      sync(clock, raw);
      expect(clock.status().driftPpm).toBeCloseTo(12, 0);
      raw.advance(7 * DAY);
      expect(Math.abs(clock.nowMs() - raw.trueMs)).toBeLessThan(500);
      // As much as before the power losses ("clock?" is past 5 s); 43fe987: 3.5, 3.7, 4.0, 4.6, 5.8, 8.1, 11.1, 28.1 s.
      expect(clock.status().errorMs).toBeLessThan(statedAWeekOn + 200);
    }
  });

  // A record of the previous format (commit aa03bcd) keeps its rate and trusted anchor through the
  // storage migration (firmware/migrate.ts): test/upgrade/migrate.test.ts. The clock reads today's only:
  // the old shape is among the crafted records below.

  it('reads every crafted or damaged record as "not set", never as a clock that breaks replies', () => {
    const good = { ra: START, ua: START, ta: START, ea: 100, ns: 2, an: [[START - DAY, START - DAY, 100], [START, START, 100]], tu: START, tt: START };
    const crafted: unknown[] = [
      { ...good, an: [[START - DAY, START - DAY - 1e9, 100], [START, START, 100]], pp: 1e300 }, // a rate of 11,574 ppm... and a junk pp
      { ...good, an: [] },
      { ...good, an: Array(7).fill([START, START, 100]) },
      { ...good, an: [[START, 'x', 100]] },
      { ...good, an: [[START, START, 0]] },
      { ...good, ea: -1 },
      { ...good, ta: 1e300 },
      { ...good, sx: [START, 'far'] },
      { ...good, sp: [1] },
      { ra: START, ta: START, pp: 1e300, wt: DAY, ns: 2 }, // old format, huge drift
      { ra: START, ta: START, pp: 100, wt: -5, ns: 2 },
      null,
      'text',
    ];
    for (const record of crafted) {
      const storage = new SteppedStorage();
      storage.data.set('tt.clock', JSON.stringify(record));
      const raw = driftingClock(START, 0);
      raw.setMs(START);
      const clock = createTokenClock(raw, storage, 30);
      const st = clock.status();
      for (const v of [st.errorMs, st.driftPpm, st.syncedAtMs, clock.nowMs()]) expect(Number.isFinite(v), JSON.stringify(record)).toBe(true);
      expect(Math.abs(st.driftPpm)).toBeLessThanOrEqual(MAX_PLAUSIBLE_PPM);
    }
    // The first one is valid but for its rate: loaded, and the fit's implausible rate is not used.
    const storage = new SteppedStorage();
    storage.data.set('tt.clock', JSON.stringify(crafted[0]));
    const raw = driftingClock(START, 0);
    raw.setMs(START);
    expect(createTokenClock(raw, storage, 30).status().driftPpm).toBe(0);
  });

  it('states a growing error between syncs', () => {
    const raw = driftingClock(START, 50);
    const clock = createTokenClock(raw, new SteppedStorage(), 100);
    sync(clock, raw);
    const fresh = clock.status().errorMs;
    raw.advance(30 * DAY);
    expect(clock.status().errorMs).toBeGreaterThan(fresh + 100000); // no rate yet: the board's typical drift, twice
    expect(clock.status().errorMs).toBeGreaterThan(Math.abs(clock.nowMs() - raw.trueMs));
  });
});

describe('one error model for HELLO, TIME_GET and the display', () => {
  it('TIME_SET with hostClock 2 (the host says its clock is unsynchronized) teaches no rate; without it, the same sync does', () => {
    for (const hostClock of [HOST_CLOCK_UNSYNCED, undefined]) {
      const t = fakeToken({ typicalDriftPpm: 20 }); // synced at its start
      const start = t.clock.now;
      t.clock.now += 7 * DAY * (1 + 20e-6); // a week of a raw clock 20 ppm fast
      const [r] = t.send(COMMANDS.TIME_SET, { timeMs: start + 7 * DAY, roundTripMs: 20, ...(hostClock ? { hostClock } : {}) });
      expect(r.fields.driftCentiPpm, String(hostClock)).toBe(hostClock ? 0 : 2000);
    }
  });

  it('HELLO and TIME_GET state the clock model\'s error, and the display warns past 5 s of it', () => {
    const t = fakeToken({ typicalDriftPpm: 20 }); // synced once: no rate yet, so the error grows at twice 20 ppm and more
    t.send(COMMANDS.ADD, { name: 'a', issuer: '', algorithm: 1, digits: 6, period: 30, secret: new Uint8Array(20).fill(1) });
    const footer = () => (t.app.render(), readText(t.fb, 0, 56, 1, 10));
    expect(footer().trim()).toBe('1/1');
    const hello = () => t.send(COMMANDS.HELLO, {})[0].fields.errorMs as number;
    const fresh = hello();
    expect(fresh).toBeLessThan(1000);
    t.clock.now += 2 * 3600000; // two hours: 41 ppm x 7,200 s = 0.3 s, plus the daily wander allowance
    expect(hello()).toBeLessThan(5000);
    expect(footer().trim()).toBe('1/1');
    t.clock.now += 2 * DAY;
    const later = hello();
    expect(later).toBeGreaterThan(5000);
    expect(t.send(COMMANDS.TIME_GET, {})[0].fields.errorMs).toBe(later);
    expect(footer()).toBe('1/1 clock?');
  });
});
