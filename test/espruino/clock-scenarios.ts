// Clock scenarios that run the same on Node and on the real Espruino
// interpreter (clock-on-espruino.test.ts compares the two): firmware/clock.ts
// under an oscillator with a fixed rate and a daily wander, synced by honest
// hosts, a host 3 s off, a host whose clock runs fast (syncing hourly without
// the button), one that says its clock is unsynchronized, across restarts
// (the record read back from storage as JSON: Espruino's own number
// formatting) and a power loss. Each step logs the token's error against
// true time, its stated error, its rate and whether a sync would need the
// button, so a branch that goes another way on Espruino (a comparison, a
// Math function, a number that does not survive JSON) shows as a difference.
// Espruino subset: no closures over loop variables, no Math.imul.
import { createTokenClock } from '../../firmware/clock.ts';
import type { TokenClock } from '../../firmware/clock.ts';

const T0 = 1767225600000; // 2026-01-01
const HOUR = 3600000;
const DAY = 24 * HOUR;

/** Park-Miller's generator: exact in doubles on any engine (16807 * 2^31 < 2^53). */
function lcg(seed: number): () => number {
  let x = seed;
  return function () {
    x = (x * 16807) % 2147483647;
    return x / 2147483647;
  };
}

interface World {
  /** True ms since T0. */
  t: number;
  clock: TokenClock;
  restart(): void;
  powerLoss(): void;
  log: number[];
}

/** An oscillator `ppm` fast with a daily wander of ±`dailyPpm`, integrated exactly (no steps to differ). */
function world(ppm: number, dailyPpm: number, phase: number, typical: number, log: number[]): World {
  const stored: { [k: string]: string } = {};
  const storage = {
    read: function (k: string) {
      return stored[k];
    },
    write: function (k: string, v: string) {
      stored[k] = v;
    },
  };
  let offset = 0;
  let set = true;
  const w2 = (2 * Math.PI) / DAY;
  const rawAt = function (t: number) {
    return T0 + t + (ppm * t + (dailyPpm / w2) * (Math.cos(phase) - Math.cos(w2 * t + phase))) / 1e6 + offset;
  };
  const raw = {
    nowMs: function () {
      return rawAt(w.t);
    },
    setMs: function (ms: number) {
      offset += ms - rawAt(w.t);
      set = true;
    },
    isSet: function () {
      return set;
    },
  };
  const w: World = {
    t: 0,
    clock: createTokenClock(raw, storage, typical),
    restart: function () {
      w.clock = createTokenClock(raw, storage, typical);
    },
    powerLoss: function () {
      offset = -T0 - w.t; // the raw clock restarts from zero
      set = false;
      w.restart();
    },
    log: log,
  };
  return w;
}

/** Log the clock's state now: error (µs, rounded), stated error (ms), rate (ppm × 100), set. */
function look(w: World): void {
  const st = w.clock.status();
  w.log.push(Math.round((w.clock.nowMs() - T0 - w.t) * 1000), st.errorMs, Math.round(st.driftPpm * 100), w.clock.isSet() ? 1 : 0);
}

/** A sync at true time `w.t` from a host `offMs` off; presses the button when asked unless `noButton`. */
function sync(w: World, offMs: number, rttMs: number, noButton?: boolean, unverified?: boolean): void {
  const host = T0 + w.t + offMs;
  const ask = w.clock.isSet() && w.clock.needsConfirm(host);
  w.log.push(ask ? 1 : 0);
  if (ask && noButton) return;
  w.clock.sync(host, ask, rttMs, unverified);
  look(w);
}

/** Hourly looks over `days` days from now. */
function run(w: World, days: number): void {
  for (let h = 0; h < days * 24; h++) {
    w.t += HOUR;
    if (h % 6 === 5) look(w);
  }
}

export function clockScenarios(): number[][] {
  const out: number[][] = [];
  const rand = lcg(12345);
  // A crystal synced weekly by honest hosts with random round trips, restarted now and then.
  let log: number[] = [];
  let w = world(17, 5, 1, 20, log);
  for (let i = 0; i < 10; i++) {
    sync(w, (rand() - 0.5) * 40, Math.round(rand() * 100));
    if (i === 4) w.restart();
    run(w, 7);
  }
  run(w, 60);
  out.push(log);
  // An RC synced hourly for three days, then a power loss and a sync.
  log = [];
  w = world(-4200, 60, 2, 5000, log);
  for (let i = 0; i < 72; i++) {
    sync(w, (rand() - 0.5) * 40, Math.round(rand() * 100));
    w.t += HOUR;
  }
  run(w, 5);
  w.powerLoss();
  look(w);
  sync(w, 0, 30);
  run(w, 5);
  out.push(log);
  // A second sync 3 s off, then honest syncs every 3 days.
  log = [];
  w = world(-10, 3, 0.5, 20, log);
  for (let i = 0; i < 30; i++) {
    sync(w, i === 1 ? 3000 : 0, 20);
    run(w, 3);
  }
  out.push(log);
  // Six honest weekly syncs, a host 100 ppm fast syncing hourly for 5 days without the button, then honest weekly syncs.
  log = [];
  w = world(10, 2, 4, 20, log);
  for (let i = 0; i < 6; i++) {
    if (i) run(w, 7);
    sync(w, 0, 20);
  }
  for (let h = 1; h <= 120; h++) {
    w.t += HOUR;
    sync(w, 100e-6 * h * HOUR, 20, true);
  }
  for (let i = 0; i < 10; i++) {
    run(w, i ? 7 : 5);
    sync(w, 0, 20);
  }
  out.push(log);
  // A host that says its clock is unsynchronized, between honest ones.
  log = [];
  w = world(150, 20, 3, 5000, log);
  sync(w, 0, 40);
  run(w, 2);
  sync(w, 5000, 40, false, true);
  run(w, 2);
  sync(w, 0, 40);
  run(w, 7);
  out.push(log);
  return out;
}
