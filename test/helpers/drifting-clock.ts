// A simulated oscillator for clock tests: the raw clock runs at 1 + r(t)/1e6
// of true time, where r is a continuous function of time evaluated at any
// second (not white noise sampled hourly, which averages away):
//  - a fixed rate error (the part a sync can learn);
//  - a daily wander of ±dailyPpm (day/night: temperature, supply, self-heating),
//    its amplitude changing smoothly from day to day;
//  - the board's temperature: a daily swing, weeks-long weather (an
//    Ornstein-Uhlenbeck process), seasons and a move to another room (a step), fed through
//      * a tuning-fork crystal's parabola: Δf/f = B·(T − 25 °C)², B ≈ −0.034
//        ppm/°C² (Microchip's crystal-selection guide: "frequency will decrease
//        with a parabolic characteristic" around a 25 °C turnover; TF20-series
//        datasheet −0.030 ±0.01 ppm/°C²; XY-cut forks −0.035), or
//      * an RC oscillator's linear coefficient (TI CC2640R2F datasheet: 32 kHz
//        RC oscillator, temperature coefficient 50 ppm/°C typical).
// The rate is integrated with Simpson's rule on steps of at most 10 minutes:
// the fastest term has a 1-day period, so the integration error is far below
// a microsecond a day, the same as stepping second by second at 1/600 the cost.
// Power loss resets the raw clock to zero and "not set", like an RTC without battery.
import type { Clock } from '../../firmware/ports.ts';

const DAY_S = 86400;
const YEAR_S = 365.25 * DAY_S;
/** −0.034 ppm/°C²: the classic tuning-fork figure (see above). */
export const CRYSTAL_PPM_PER_C2 = -0.034;
/** 50 ppm/°C: a 32 kHz RC oscillator (TI CC2640R2F datasheet, typical). */
export const RC_PPM_PER_C = 50;

export interface OscillatorSpec {
  /** Mean rate error, ppm (positive: runs fast). */
  ppm: number;
  kind?: 'crystal' | 'rc';
  /** Daily rate wander amplitude, ppm (default 5). */
  dailyPpm?: number;
  /** Mean board temperature, °C (default 22: indoors). */
  meanC?: number;
  /** Day/night temperature swing amplitude, °C (default 1.5). */
  dailyC?: number;
  /** Seasonal amplitude, °C (default 0; the seasons scenario uses 4). */
  seasonC?: number;
  /** Weather: standard deviation (°C) and correlation time (days) of an O-U process (default 0 / 7). */
  weatherC?: number;
  weatherDays?: number;
  /** A move to another room: the board's temperature changes by `moveC` °C at `moveAtMs` after the start (default none). */
  moveC?: number;
  moveAtMs?: number;
  /** RC oscillator temperature coefficient, ppm/°C (default RC_PPM_PER_C). */
  rcPpmPerC?: number;
  /** The on-die temperature sensor (sensorC()); default STM32F401_SENSOR with no offset. */
  sensor?: SensorSpec;
}

/**
 * An on-die temperature sensor as the firmware would read it. Modelled on the
 * Espruino Pico's STM32F401 as Espruino reads it (targets/stm32/jshardware.c
 * jshReadTemperature: ((V_TEMP_25 - vSense) / V_TEMP_SLOPE) + 25 with the
 * typical V25 0.76 V and 2.5 mV/°C of targets/stm32/stm32_compat.h, vSense
 * scaled by the typical 1.21 V internal reference): the real V25 and
 * reference differ from chip to chip, so the reading is off by a fixed amount
 * (RM0368, "Temperature sensor": the offset varies up to 45 °C from chip to
 * chip, the sensor suits variations rather than absolute temperatures); one
 * 12-bit conversion at 3.3 V is 0.8 mV, 0.32 °C; and the die runs warmer than
 * the board by what the chip dissipates (tens of mW through a package of tens
 * of °C/W: a few °C), which an oscillator on the same die shares and a crystal
 * beside it does not.
 */
export interface SensorSpec {
  /** Fixed reading error, °C (chip-to-chip offset and reference error). */
  offsetC: number;
  /** Noise of one reading, °C (standard deviation). */
  noiseC: number;
  /** Quantisation step, °C. */
  stepC: number;
  /** Die above board temperature, °C. */
  selfHeatC: number;
}

export const STM32F401_SENSOR: SensorSpec = { offsetC: 0, noiseC: 0.3, stepC: 0.32, selfHeatC: 3 };

export interface DriftingClock extends Clock {
  /** True (reference) time in ms. */
  trueMs: number;
  advance(ms: number): void;
  powerLoss(): void;
  /** The instantaneous rate error at the current time, ppm (for checks). */
  ratePpm(): number;
  /** The board temperature now, °C. */
  temperatureC(): number;
  /** What the on-die sensor reads now, °C (see SensorSpec). */
  sensorC(): number;
}

/** mulberry32: a small seeded generator so every run is reproducible. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/**
 * `spec` a number: a plain fixed-rate oscillator (no wander), for unit tests
 * that need exact arithmetic. Otherwise the full model, seeded by `seed`.
 */
export function driftingClock(startTrueMs: number, spec: number | OscillatorSpec, seed = 1): DriftingClock {
  const s: OscillatorSpec = typeof spec === 'number' ? { ppm: spec, dailyPpm: 0, dailyC: 0 } : spec;
  const rand = seeded(seed);
  const kind = s.kind ?? 'crystal';
  const dailyPpm = s.dailyPpm ?? 5;
  const meanC = s.meanC ?? 22;
  const dailyC = s.dailyC ?? 1.5;
  const seasonC = s.seasonC ?? 0;
  const weatherC = s.weatherC ?? 0;
  const weatherS = (s.weatherDays ?? 7) * DAY_S;
  const rcK = s.rcPpmPerC ?? RC_PPM_PER_C;
  // Random phases: the warmest hour of the day, the season the run starts in.
  const wanderPhase = rand() * 2 * Math.PI;
  const tempPhase = rand() * 2 * Math.PI;
  const seasonPhase = rand() * 2 * Math.PI;
  const start = startTrueMs / 1000;
  // Day-to-day wander amplitude (0.5..1 of dailyPpm), interpolated between days.
  const amps: number[] = [];
  const ampAt = (d: number) => {
    while (amps.length <= d) amps.push(0.5 + 0.5 * rand());
    return amps[d];
  };
  // Weather: an O-U process sampled every 6 h (knots), linear in between.
  const KNOT_S = 6 * 3600;
  const knots: number[] = [weatherC * gaussian(rand)];
  const a = Math.exp(-KNOT_S / weatherS);
  const weatherAt = (t: number) => {
    const k = t / KNOT_S;
    const i = Math.floor(k);
    while (knots.length <= i + 1) knots.push(a * knots[knots.length - 1] + Math.sqrt(1 - a * a) * weatherC * gaussian(rand));
    return knots[i] + (knots[i + 1] - knots[i]) * (k - i);
  };
  const moveC = s.moveC ?? 0;
  const moveAtS = (s.moveAtMs ?? 0) / 1000;
  /** Temperature at t seconds since the start. */
  const temperature = (t: number) =>
    (moveC && t >= moveAtS ? moveC : 0) +
    meanC + dailyC * Math.sin((2 * Math.PI * t) / DAY_S + tempPhase) + seasonC * Math.sin((2 * Math.PI * t) / YEAR_S + seasonPhase) + (weatherC ? weatherAt(t) : 0);
  /** Rate error in ppm at t seconds since the start. */
  const rate = (t: number) => {
    const d = Math.floor(t / DAY_S);
    const f = t / DAY_S - d;
    const amp = dailyPpm ? ampAt(d) + (ampAt(d + 1) - ampAt(d)) * (1 - Math.cos(Math.PI * f)) / 2 : 0;
    let r = s.ppm + dailyPpm * amp * Math.sin((2 * Math.PI * t) / DAY_S + wanderPhase);
    const T = temperature(t);
    // The crystal's mean rate is `ppm` at the mean temperature; the parabola adds what moving away from it costs.
    if (kind === 'crystal') r += CRYSTAL_PPM_PER_C2 * ((T - 25) * (T - 25) - (meanC - 25) * (meanC - 25));
    else r += rcK * (T - meanC);
    return r;
  };

  const sensor = s.sensor ?? STM32F401_SENSOR;
  const sensorRand = seeded(seed ^ 0x5e5); // its own stream: reading the sensor changes nothing else

  let rawMs = startTrueMs;
  let rawSet = false;
  const c: DriftingClock = {
    trueMs: startTrueMs,
    nowMs: () => rawMs,
    setMs: (ms) => {
      rawMs = ms;
      rawSet = true;
    },
    isSet: () => rawSet,
    advance(ms) {
      let left = ms;
      while (left > 0) {
        const step = Math.min(left, 600000);
        const t0 = c.trueMs / 1000 - start;
        const h = step / 1000;
        // Simpson's rule: ∫ r dt over the step, in ppm·s.
        const integral = (h / 6) * (rate(t0) + 4 * rate(t0 + h / 2) + rate(t0 + h));
        rawMs += step + integral / 1000; // ppm·s -> ms: 1e-6 · 1e3
        c.trueMs += step;
        left -= step;
      }
    },
    powerLoss() {
      rawMs = 0;
      rawSet = false;
    },
    ratePpm: () => rate(c.trueMs / 1000 - start),
    temperatureC: () => temperature(c.trueMs / 1000 - start),
    sensorC: () => {
      const v = temperature(c.trueMs / 1000 - start) + sensor.selfHeatC + sensor.offsetC + sensor.noiseC * gaussian(sensorRand);
      return Math.round(v / sensor.stepC) * sensor.stepC;
    },
  };
  return c;
}

/** A host's sync as host/lib/client.ts syncTime does it, with its clock and the USB delays. */
export interface HostSync {
  /** The time the TIME_SET carries. */
  timeMs: number;
  /** The round trip the host measured with its TIME_GET. */
  roundTripMs: number;
}

/**
 * One sync from a host whose clock is `hostOffsetMs` off (plus ±20 ms: a
 * host on NTP), over USB with 0-50 ms per leg, each leg independent (so the
 * two legs of one exchange are asymmetric). The host sends its time plus half
 * the round trip it measured; the TIME_SET itself takes its own, different
 * delay to arrive: the device reads it at `raw.trueMs`.
 */
export function hostSync(raw: DriftingClock, rand: () => number, hostOffsetMs = 0): HostSync {
  const up1 = 50 * rand();
  const down1 = 50 * rand();
  const up2 = 50 * rand();
  const host = hostOffsetMs + (rand() * 2 - 1) * 20;
  const roundTripMs = Math.round(up1 + down1);
  return { timeMs: Math.round(raw.trueMs - up2 + host + roundTripMs / 2), roundTripMs };
}
