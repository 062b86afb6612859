// Drift-correction figures (issue 15): the firmware's clock (firmware/clock.ts)
// under the oscillator model of test/helpers/drifting-clock.ts, synced the way
// host/lib/client.ts syncs (asymmetric USB legs, host clocks ±20 ms or N s
// off), one run per seed. Each run reports its worst error after the last sync
// the scenario measures from, the worst error of the same raw clock without
// rate correction (set at each sync, no rate), and how the worst true error
// compares with the error the token stated at that moment (status().errorMs).
import { createTokenClock } from '../../firmware/clock.ts';
import { CRYSTAL_PPM_PER_C2, driftingClock, hostSync, RC_PPM_PER_C, seeded, STM32F401_SENSOR } from '../helpers/drifting-clock.ts';
import type { Clock } from '../../firmware/ports.ts';
import type { OscillatorSpec } from '../helpers/drifting-clock.ts';
import { SteppedStorage } from '../helpers/fake-ports.ts';

const HOUR = 3600000;
const DAY = 24 * HOUR;
const START = 1767225600000; // 2026-01-01

export interface SyncStep {
  /** When, from the start. */
  atMs: number;
  /** How far the syncing host's clock is off. */
  hostOffsetMs?: number;
  /** The host says its own clock is not synchronized (TIME_SET's hostClock, HOST_CLOCK_UNSYNCED). */
  unverified?: boolean;
  /** Nobody presses the button for this host: a sync that needs it is refused (honest ones get it when asked). */
  noButton?: boolean;
}

export interface ClockScenario {
  name: string;
  oscillator: (rand: () => number) => OscillatorSpec;
  /** The board profile's typicalDriftPpm. */
  typicalPpm: number;
  syncs: (rand: () => number) => SyncStep[];
  /** Worst error is measured from the sync with this index on (default: the last). */
  measureFrom?: number;
  /** How long after the last sync the run goes on. */
  afterMs: number;
}

const sign = (rand: () => number) => (rand() < 0.5 ? -1 : 1);
const crystal20 = (rand: () => number): OscillatorSpec => ({ ppm: 20 * sign(rand), kind: 'crystal' });
const rc5000 = (rand: () => number): OscillatorSpec => ({ ppm: 5000 * sign(rand), kind: 'rc' });
const weekPair = (): SyncStep[] => [{ atMs: 0 }, { atMs: 7 * DAY }];
/** `weeks` + 1 syncs a week apart, from day 0. */
const weekly = (weeks: number) => (): SyncStep[] => Array.from({ length: weeks + 1 }, (_, i) => ({ atMs: i * 7 * DAY }));

export const CLOCK_SCENARIOS: ClockScenario[] = [
  { name: '20 ppm crystal, syncs d0+d7, then 180 d', oscillator: crystal20, typicalPpm: 20, syncs: weekPair, afterMs: 180 * DAY },
  { name: '5,000 ppm RC, syncs d0+d7, then 7 d', oscillator: rc5000, typicalPpm: 5000, syncs: weekPair, afterMs: 7 * DAY },
  {
    // Indistinguishable from a crystal 5 ppm off its learned rate (test/firmware/clock-drift.test.ts proves it):
    // a host that says its clock is synchronized but is 3 s off cannot be caught with one anchor before it.
    name: '20 ppm, d7 sync from a host 3 s off claiming sync, then 180 d', oscillator: crystal20, typicalPpm: 20, afterMs: 180 * DAY,
    syncs: () => [{ atMs: 0 }, { atMs: 7 * DAY, hostOffsetMs: 3000 }],
  },
  {
    name: '20 ppm, d7 sync from a host 3 s off saying unsynchronized, then 180 d', oscillator: crystal20, typicalPpm: 20, afterMs: 180 * DAY,
    syncs: () => [{ atMs: 0 }, { atMs: 7 * DAY, hostOffsetMs: 3000, unverified: true }],
  },
  {
    name: '...then a good sync d14: after d14, 180 d', oscillator: crystal20, typicalPpm: 20, afterMs: 180 * DAY,
    syncs: () => [{ atMs: 0 }, { atMs: 7 * DAY, hostOffsetMs: 3000, unverified: true }, { atMs: 14 * DAY }],
  },
  {
    name: '20 ppm, d0+d7, d14 from a host 3 s off: after d14, 180 d', oscillator: crystal20, typicalPpm: 20, afterMs: 180 * DAY,
    syncs: () => [{ atMs: 0 }, { atMs: 7 * DAY }, { atMs: 14 * DAY, hostOffsetMs: 3000 }],
  },
  {
    name: '...then a good sync d21: after d21, 180 d', oscillator: crystal20, typicalPpm: 20, afterMs: 180 * DAY,
    syncs: () => [{ atMs: 0 }, { atMs: 7 * DAY }, { atMs: 14 * DAY, hostOffsetMs: 3000 }, { atMs: 21 * DAY }],
  },
  {
    name: '5,000 ppm, d7 sync from a host 3 s off claiming sync, then 7 d', oscillator: rc5000, typicalPpm: 5000, afterMs: 7 * DAY,
    syncs: () => [{ atMs: 0 }, { atMs: 7 * DAY, hostOffsetMs: 3000 }],
  },
  {
    name: '5,000 ppm, d7 sync from a host 3 s off saying unsynchronized, then 7 d', oscillator: rc5000, typicalPpm: 5000, afterMs: 7 * DAY,
    syncs: () => [{ atMs: 0 }, { atMs: 7 * DAY, hostOffsetMs: 3000, unverified: true }],
  },
  {
    name: '20 ppm, syncs 61 min apart, then 30 d', oscillator: crystal20, typicalPpm: 20, afterMs: 30 * DAY,
    syncs: () => [{ atMs: 0 }, { atMs: 61 * 60000 }],
  },
  {
    name: '20 ppm, second sync at another hour of day, 180 d', oscillator: crystal20, typicalPpm: 20, afterMs: 180 * DAY,
    syncs: (rand) => [{ atMs: 0 }, { atMs: 7 * DAY + Math.round((1 + 22 * rand()) * HOUR) }],
  },
  {
    name: '20 ppm, weeks-long weather (σ 3 °C, 10 d), 180 d', typicalPpm: 20, afterMs: 180 * DAY, syncs: weekPair,
    oscillator: (rand) => ({ ppm: 20 * sign(rand), kind: 'crystal', weatherC: 3, weatherDays: 10 }),
  },
  {
    name: '20 ppm, seasons ±4 °C, 180 d', typicalPpm: 20, afterMs: 180 * DAY, syncs: weekPair,
    oscillator: (rand) => ({ ppm: 20 * sign(rand), kind: 'crystal', seasonC: 4 }),
  },
  // Weekly syncs: the fit's anchors span weeks, so the rate it gives is weeks old at the last sync.
  {
    name: '20 ppm, weekly syncs for 26 wk, weather (σ 3 °C, 10 d): after d7', typicalPpm: 20, afterMs: 7 * DAY, syncs: weekly(26), measureFrom: 1,
    oscillator: (rand) => ({ ppm: 20 * sign(rand), kind: 'crystal', weatherC: 3, weatherDays: 10 }),
  },
  {
    name: '5,000 ppm RC, weekly syncs for 8 wk, seasons ±4 °C: after d7', typicalPpm: 5000, afterMs: 7 * DAY, syncs: weekly(8), measureFrom: 1,
    oscillator: (rand) => ({ ppm: 5000 * sign(rand), kind: 'rc', seasonC: 4 }),
  },
  // The recent rate must not chase noise: syncs days apart at any hour carry the RC's daily swing (±1 s) into each interval.
  {
    name: '5,000 ppm RC, syncs every 3 d at random hours for 6 wk: after d3', typicalPpm: 5000, afterMs: 3 * DAY, measureFrom: 1, oscillator: rc5000,
    syncs: (rand) => Array.from({ length: 15 }, (_, i) => ({ atMs: i * 3 * DAY + (i ? Math.round(rand() * 23 * HOUR) : 0) })),
  },
  // Syncs an hour apart (a script, or a sync at every plug-in): the anchors must still span days.
  { name: '20 ppm, hourly syncs for 30 d, then 30 d', typicalPpm: 20, afterMs: 30 * DAY, oscillator: crystal20, syncs: () => Array.from({ length: 720 }, (_, i) => ({ atMs: i * HOUR })) },
  { name: '5,000 ppm RC, hourly syncs for 3 d, then 7 d', typicalPpm: 5000, afterMs: 7 * DAY, oscillator: rc5000, syncs: () => Array.from({ length: 72 }, (_, i) => ({ atMs: i * HOUR })) },
  // A board moved to a room 6 °C colder some time in week 4: an RC's rate jumps 300 ppm.
  {
    name: '5,000 ppm RC, weekly syncs for 6 wk, moved 6 °C colder in wk 4: after d21', typicalPpm: 5000, afterMs: 7 * DAY, syncs: weekly(6), measureFrom: 3,
    oscillator: (rand) => ({ ppm: 5000 * sign(rand), kind: 'rc', moveC: -6, moveAtMs: Math.round((21 + 7 * rand()) * DAY) }),
  },
  // A host whose clock runs fast (a VM without NTP that says it is synchronized) syncing hourly
  // without the button walks the anchors to its rate; the honest syncs after it must undo that.
  {
    name: '20 ppm, weekly syncs 6 wk, weather; a host 150 ppm fast syncs hourly 5 d (no button); weekly: from the 3rd honest after it',
    typicalPpm: 20, afterMs: 7 * DAY, measureFrom: 6 + 120 + 2,
    oscillator: (rand) => ({ ppm: 20 * sign(rand), kind: 'crystal', weatherC: 2, weatherDays: 5 }),
    syncs: () => weekly(5)().concat(
      Array.from({ length: 120 }, (_, i) => ({ atMs: 35 * DAY + (i + 1) * HOUR, hostOffsetMs: 150e-6 * (i + 1) * HOUR, noButton: true })),
      Array.from({ length: 15 }, (_, i) => ({ atMs: (45 + 7 * i) * DAY })),
    ),
  },
  // ...nor carry a few weeks' rate for months: far ahead the long-run rate counts.
  { name: '20 ppm, weekly syncs for 8 wk, weather (σ 3 °C, 10 d), then 180 d', typicalPpm: 20, afterMs: 180 * DAY, syncs: weekly(8),
    oscillator: (rand) => ({ ppm: 20 * sign(rand), kind: 'crystal', weatherC: 3, weatherDays: 10 }) },
];

export interface RunResult {
  /** Worst |token time − true time| after the measured sync, ms. */
  worstMs: number;
  /** The same without rate correction, ms. */
  uncorrectedMs: number;
  /** Syncs (all from honest hosts) that would have needed the button. */
  presses: number;
  /** Worst (true error − stated error), ms: positive means the token claimed better than it was. */
  overclaimMs: number;
}

/**
 * The rate (ppm) a temperature compensator would predict from the on-die
 * sensor's reading (DriftingClock.sensorC): it is taken off the raw clock
 * every 10 minutes before firmware/clock.ts sees it. Not in the firmware: the
 * bench's what-if of what such a compensator could give.
 */
export type Compensator = (sensorC: number) => number;

/** One run of a scenario with one seed; checks the clock hourly. */
export function runScenario(sc: ClockScenario, seed: number, compensate?: Compensator): RunResult {
  const rand = seeded(seed * 7919 + 13);
  const raw = driftingClock(START, sc.oscillator(rand), seed);
  let corr = 0; // ms the compensator took off since the raw clock was last set
  const seen: Clock = compensate ? { nowMs: () => raw.nowMs() - corr, setMs: (ms) => ((corr = 0), raw.setMs(ms)), isSet: raw.isSet } : raw;
  const advance = (ms: number) => {
    while (compensate && ms > 0) {
      const step = Math.min(ms, 600000);
      const ppm = compensate(raw.sensorC());
      raw.advance(step);
      corr += (step * ppm) / 1e6;
      ms -= step;
    }
    if (!compensate) raw.advance(ms);
  };
  const clock = createTokenClock(seen, new SteppedStorage(), sc.typicalPpm);
  const syncs = sc.syncs(rand);
  const from = sc.measureFrom ?? syncs.length - 1;
  const endMs = START + syncs[syncs.length - 1].atMs + sc.afterMs;
  let worst = 0;
  let uncorrected = 0;
  let overclaim = -Infinity;
  let presses = 0;
  let plainRaw = 0; // the raw clock and the time it was set to, without a rate
  let plainSet = 0;
  for (let i = 0; i < syncs.length; i++) {
    advance(START + syncs[i].atMs - raw.trueMs);
    const s = hostSync(raw, rand, syncs[i].hostOffsetMs ?? 0);
    const ask = clock.isSet() && clock.needsConfirm(s.timeMs);
    if (ask && !syncs[i].noButton) presses++;
    if (!ask || !syncs[i].noButton) clock.sync(s.timeMs, ask, s.roundTripMs, syncs[i].unverified);
    plainRaw = raw.nowMs();
    plainSet = s.timeMs;
    if (i < from) continue;
    const until = i + 1 < syncs.length ? START + syncs[i + 1].atMs : endMs;
    while (raw.trueMs < until) {
      advance(Math.min(HOUR, until - raw.trueMs));
      const err = Math.abs(clock.nowMs() - raw.trueMs);
      worst = Math.max(worst, err);
      uncorrected = Math.max(uncorrected, Math.abs(plainSet + raw.nowMs() - plainRaw - raw.trueMs));
      overclaim = Math.max(overclaim, err - clock.status().errorMs);
    }
  }
  return { worstMs: worst, uncorrectedMs: uncorrected, overclaimMs: overclaim, presses };
}

export interface ScenarioFigures {
  name: string;
  seeds: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  uncorrectedMedianMs: number;
  /** Runs in which the true error ever exceeded the stated one. */
  overclaimRuns: number;
  /** Runs in which an honest sync would have needed the button. */
  pressRuns: number;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];

export function scenarioFigures(sc: ClockScenario, seeds: number, compensate?: Compensator): ScenarioFigures {
  const runs: RunResult[] = [];
  for (let seed = 1; seed <= seeds; seed++) runs.push(runScenario(sc, seed, compensate));
  const worst = runs.map((r) => r.worstMs).sort((a, b) => a - b);
  const plain = runs.map((r) => r.uncorrectedMs).sort((a, b) => a - b);
  return {
    name: sc.name,
    seeds,
    medianMs: quantile(worst, 0.5),
    p95Ms: quantile(worst, 0.95),
    maxMs: worst[worst.length - 1],
    uncorrectedMedianMs: quantile(plain, 0.5),
    overclaimRuns: runs.filter((r) => r.overclaimMs > 0).length,
    pressRuns: runs.filter((r) => r.presses > 0).length,
  };
}

export function driftFigures(seeds = 200): ScenarioFigures[] {
  return CLOCK_SCENARIOS.map((sc) => scenarioFigures(sc, seeds));
}

export function formatDriftFigures(rows: ScenarioFigures[]): string[] {
  const s = (ms: number) => (ms / 1000).toFixed(2);
  const out = ['| scenario | worst error, s: median / p95 / max | uncorrected median, s | runs overclaiming | runs asking for the button |', '|---|---|---|---|---|'];
  for (const r of rows) out.push(`| ${r.name} | ${s(r.medianMs)} / ${s(r.p95Ms)} / ${s(r.maxMs)} | ${s(r.uncorrectedMedianMs)} | ${r.overclaimRuns}/${r.seeds} | ${r.pressRuns}/${r.seeds} |`);
  return out;
}

/**
 * What-if: an ideal temperature compensator (not in the firmware) under the
 * sensor of drifting-clock.ts. The RC's on the same die as the sensor (the
 * Espruino Pico's LSI): its offset and self-heating cancel, only the
 * coefficient it assumes matters. A tuning fork beside the die: the turnover
 * (25 °C here, datasheets say ±5 °C) and the sensor's offset and self-heating
 * must be known; a reading `deltaC` off costs what these rows show.
 */
export function compensationWhatIf(seeds = 100): ScenarioFigures[] {
  const find = (prefix: string) => CLOCK_SCENARIOS.find((x) => x.name.startsWith(prefix)) as ClockScenario;
  const rows: ScenarioFigures[] = [];
  const rc = find('5,000 ppm RC, syncs d0+d7');
  rows.push({ ...scenarioFigures(rc, seeds), name: rc.name + ', no compensation' });
  for (const k of [1, 0.7, 1.3, 1.6]) {
    rows.push({ ...scenarioFigures(rc, seeds, (c) => RC_PPM_PER_C * k * (c - 22)), name: `${rc.name}, die sensor, coefficient assumed ${Math.round(k * 100)}% of the real one` });
  }
  for (const prefix of ['20 ppm, seasons', '20 ppm, weeks-long weather']) {
    const sc = find(prefix);
    rows.push({ ...scenarioFigures(sc, seeds), name: sc.name + ', no compensation' });
    for (const deltaC of [0, 1, 5]) {
      const fork = (c: number) => {
        const t = c - STM32F401_SENSOR.selfHeatC - 25; // the compensator's idea of the crystal's distance from turnover: deltaC off
        return CRYSTAL_PPM_PER_C2 * (t * t - 9);
      };
      rows.push({ ...scenarioFigures({ ...sc, oscillator: (r) => ({ ...sc.oscillator(r), sensor: { ...STM32F401_SENSOR, offsetC: deltaC } }) }, seeds, fork), name: `${sc.name}, parabola compensated, reading ${deltaC} °C off` });
    }
  }
  return rows;
}

/**
 * The floor under a scenario with two syncs, for any clock that takes its rate
 * from them: each run's worst error after the last sync for a clock told
 * (a) the oscillator's true mean rate between the two syncs, with both syncs
 * perfect, and (b) the one constant rate that is best in hindsight over the
 * time measured. What stays is the oscillator's own wander after the last
 * sync (an RC's daily temperature swing), which no anchor can foresee.
 * Median / p95 / max in ms, over the same oscillators as runScenario.
 */
export function rateFloor(sc: ClockScenario, seeds: number): { told: number[]; hindsight: number[] } {
  const told: number[] = [];
  const hindsight: number[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const rand = seeded(seed * 7919 + 13);
    const raw = driftingClock(START, sc.oscillator(rand), seed);
    const syncs = sc.syncs(rand);
    if (syncs.length !== 2) throw new Error(`${sc.name}: rateFloor needs two syncs`);
    raw.advance(syncs[0].atMs);
    const raw0 = raw.nowMs();
    const true0 = raw.trueMs;
    raw.advance(syncs[1].atMs - syncs[0].atMs);
    const mean = (raw.nowMs() - raw0) / (raw.trueMs - true0) - 1;
    const rawAt = raw.nowMs();
    const ran: number[] = []; // raw ms run, hour by hour, after the last sync
    for (let h = 1; h * HOUR <= sc.afterMs; h++) {
      raw.advance(HOUR);
      ran.push(raw.nowMs() - rawAt);
    }
    const worst = (rate: number) => ran.reduce((w, r, i) => Math.max(w, Math.abs(r / (1 + rate) - (i + 1) * HOUR)), 0);
    told.push(worst(mean));
    // The minimax constant rate: the worst error is convex in it, so a ternary search finds it.
    let lo = mean - 1e-3;
    let hi = mean + 1e-3;
    for (let i = 0; i < 100; i++) {
      const a = lo + (hi - lo) / 3;
      const b = hi - (hi - lo) / 3;
      if (worst(a) < worst(b)) hi = b;
      else lo = a;
    }
    hindsight.push(worst((lo + hi) / 2));
  }
  const figures = (ms: number[]) => {
    const sorted = [...ms].sort((a, b) => a - b);
    return [quantile(sorted, 0.5), quantile(sorted, 0.95), sorted[sorted.length - 1]];
  };
  return { told: figures(told), hindsight: figures(hindsight) };
}

/** The bench's clock section (test/bench/figures.ts); README gets the headline scenarios. */
export function printFigures(section: (title: string) => void, figure: (name: string, value: string) => void): void {
  section('clock: worst error per run over 200 seeds (test/helpers/drifting-clock.ts)');
  const rows = driftFigures(200);
  for (const line of formatDriftFigures(rows)) console.log(line);
  const s = (ms: number) => (ms / 1000).toFixed(2);
  for (const r of rows) figure(`clock, ${r.name}: worst error median / p95 / max`, `${s(r.medianMs)} / ${s(r.p95Ms)} / ${s(r.maxMs)} s (uncorrected ${s(r.uncorrectedMedianMs)} s)`);
  // Printed only: not the firmware's figures.
  section('clock what-if: an ideal temperature compensator outside the firmware, 100 seeds (figures-clock.ts compensationWhatIf)');
  for (const line of formatDriftFigures(compensationWhatIf(100))) console.log(line);
  section('clock floor: the worst error of any clock that takes its rate from the two syncs, 200 seeds (figures-clock.ts rateFloor)');
  for (const line of formatFloor(200)) console.log(line);
  const rc = rateFloor(CLOCK_SCENARIOS[1], 200);
  figure(`clock floor, ${CLOCK_SCENARIOS[1].name}, told the true mean rate / best constant rate in hindsight: worst error max`, `${s(rc.told[2])} / ${s(rc.hindsight[2])} s`);
}

export function formatFloor(seeds: number): string[] {
  const s = (ms: number) => (ms / 1000).toFixed(2);
  const out = ['| scenario | told the true mean rate between the syncs: median / p95 / max, s | best constant rate in hindsight: median / p95 / max, s |', '|---|---|---|'];
  for (const sc of CLOCK_SCENARIOS.slice(0, 2)) {
    const f = rateFloor(sc, seeds);
    out.push(`| ${sc.name} | ${f.told.map(s).join(' / ')} | ${f.hindsight.map(s).join(' / ')} |`);
  }
  return out;
}

// `npx tsx test/bench/figures-clock.ts [seeds] [--what-if | --floor]` prints the table alone (or the what-if, or the floor).
if (import.meta.url === `file://${process.argv[1]}`) {
  const seeds = Number(process.argv[2]) || 200;
  const lines = process.argv.includes('--what-if') ? formatDriftFigures(compensationWhatIf(seeds)) : process.argv.includes('--floor') ? formatFloor(seeds) : formatDriftFigures(driftFigures(seeds));
  for (const line of lines) console.log(line);
}
