// Review attack (clock): a host that never gets a button press walks the
// token's clock ahead by TEACHING it a rate. needsConfirm (firmware/clock.ts)
// measures a step from the token's own time, ownMs(): the trusted anchor
// carried forward with the LEARNED rate. The rate is fitted to every
// unconfirmed sync that "agrees" with the model, so a host whose fake clock
// runs R ppm fast agrees at each sync (a few hundred ms off each time) and the
// fit learns R. ownMs then runs R ppm fast too, and each later sync is a
// "free" step from it: the lead grows with elapsed time, bounded only by the
// largest learnable rate (2 x typical + 100 ppm), not by 30 s + the error
// estimate (README: "many small steps cannot add up to a big one").
import { describe, expect, it } from 'vitest';
import { COMMANDS, ERRORS, HOST_CLOCK_UNSYNCED, MAX_ROUND_TRIP_MS, STATUS_OK, STATUS_WAITING } from '../../protocol/messages.ts';
import { fakeToken } from '../helpers/fake-ports.ts';

const HOUR = 3600000;
const DAY = 24 * HOUR;

/** A token synced once (by fakeToken, day 0: its trusted anchor) whose raw clock is exact; a hostile host then syncs every `everyMs` with its clock running `fakePpm` fast. Returns the lead reached (token time minus true time) and how many syncs needed the button. */
function walk(typicalDriftPpm: number, fakePpm: number, days: number, everyMs: number, hostClock?: number): { leadMs: number; waited: number; statedErrorMs: number } {
  const t = fakeToken({ typicalDriftPpm });
  const t0 = t.clock.now;
  let trueMs = t0;
  let waited = 0;
  for (let el = everyMs; el <= days * DAY; el += everyMs) {
    trueMs += everyMs;
    t.clock.now += everyMs; // the raw clock is exact
    const [r] = t.send(COMMANDS.TIME_SET, { timeMs: Math.round(t0 + (el * (1e6 + fakePpm)) / 1e6), roundTripMs: 10, ...(hostClock ? { hostClock } : {}) });
    if (r.status === STATUS_WAITING) {
      waited++;
      t.press('next'); // nobody at the device: refused
    } else expect(r.status).toBe(STATUS_OK);
  }
  const [g] = t.send(COMMANDS.TIME_GET, {});
  return { leadMs: (g.fields.timeMs as number) - trueMs, waited, statedErrorMs: g.fields.errorMs as number };
}

describe('attack: walking the clock ahead through the learned rate, no button (review)', () => {
  // Seen on main eb0a630: crystal 311 s ahead after 60 d (40 ppm fake: 207 s),
  // Pico 778 s after 1 d and 5,443 s after 7 d; no sync needed the button and
  // the token stated an error of 95 ms throughout. Fixed (clock.ts ownMs): the
  // token's own time runs at the learned rate only as far as it stays within
  // the board's typical drift of the rate trusted at the last button press
  // (within its typical wander once one was), and its time never strays further
  // from that than a free step.
  //
  // What cannot be fixed without the button: while no rate was ever confirmed,
  // a host running R ppm fast and an honest host with a board running R ppm
  // slow look the same, so a lead up to the board's typical drift over the
  // elapsed time stays free (an honest 20 ppm crystal shows a host 104 s after
  // 60 days: see the controls below). The reviewer's 2-minute bound for the
  // crystal would make honest boards at their typical drift ask for the button.
  it('a crystal board (20 ppm typical): a host running 60 ppm fast, synced every 6 h for 60 days, leads by no more than 30 s + the error estimate', () => {
    const r = walk(20, 60, 60, 6 * HOUR);
    console.info(`crystal: lead ${(r.leadMs / 1000).toFixed(1)} s after 60 d, ${r.waited} syncs needed the button, stated error ${r.statedErrorMs} ms`);
    // 30 s, plus (20 ppm typical + 3 ppm typical wander) x 60 d = 119 s that an
    // honest board may be off from the first sync, plus the error estimate's
    // 3 ppm typical wander x 60 d = 16 s: 165 s; main reached 311 s.
    expect(r.leadMs).toBeLessThan(200000);
  });

  it('an RC board (Pico profile, 5,000 ppm typical): a host running 9,000 ppm fast, synced hourly for a day, cannot reach the 10-minute lead clock-step.test.ts says needs the button', () => {
    const r = walk(5000, 9000, 1, HOUR);
    console.info(`pico: lead ${(r.leadMs / 1000).toFixed(1)} s after 1 d, ${r.waited} syncs needed the button, stated error ${r.statedErrorMs} ms`);
    expect(r.leadMs).toBeLessThan(600000);
  });

  // Not a hole, a limit (passes on main too): a host that says its clock is not
  // synchronized teaches no rate, so the token knows none, and a board whose
  // rate is unknown may be up to 2 x typical + 1 ppm off (the error it states):
  // 1,555 s after 2 days is inside that. Less would make an honest Pico whose
  // RC runs 9,000 ppm slow ask for the button at every sync.
  it('the same on the Pico from a host that says its clock is NOT synchronized (hostClock 2): no further than a free step with no rate known', () => {
    const r = walk(5000, 9000, 2, HOUR, HOST_CLOCK_UNSYNCED);
    console.info(`pico, unsynced host: lead ${(r.leadMs / 1000).toFixed(1)} s after 2 d, ${r.waited} syncs needed the button, stated error ${r.statedErrorMs} ms`);
    expect(r.leadMs).toBeLessThan(30000 + (2 * 5000 + 1) * 2 * 0.0864 * 1000);
  });

  it('honest boards at their typical drift, synced weekly by an honest host, never need the button (control: the fix asks no presses of them)', () => {
    for (const ppm of [20, -20, 23]) expect(walk(20, ppm, 182, 7 * DAY).waited).toBe(0);
    for (const ppm of [5000, -5000]) expect(walk(5000, ppm, 56, 7 * DAY).waited).toBe(0);
  });

  it('the walk is the rate, not the step: the same host with an honest clock never leads (control)', () => {
    expect(Math.abs(walk(20, 0, 60, 6 * HOUR).leadMs)).toBeLessThan(1000);
    expect(Math.abs(walk(5000, 0, 1, HOUR).leadMs)).toBeLessThan(1000);
  });
});

// FINDING (fixed: TIME_SET refuses roundTripMs over MAX_ROUND_TRIP_MS; the flush below is tried with
// the largest accepted one). roundTripMs had no upper bound: a sync claiming a 46-day round trip has an error of 23 days,
// so it "agrees" with any model (misfit), is kept as an anchor once spread
// out, and the fit's uncertainty explodes: the learned rate is dropped and the
// free step grows with twice the board's typical drift again, which
// clock-step.test.ts's "cannot flush the learned rate" tests guard against for
// honest-looking syncs. Seen on main eb0a630: Pico 4,000 ppm known -> 0, errorMs
// 2,000,000,090, a 4-hour step free (1,800 s with honest round trips);
// crystal a 10-minute step free (60 s with honest round trips).
describe('attack: flushing the learned rate with a claimed round trip of 46 days, no button (review)', () => {
  function flushed(typicalDriftPpm: number, ppm: number): { driftBefore: number; driftAfter: number; freeStepS: number } {
    const t = fakeToken({ typicalDriftPpm });
    let trueMs = t.clock.now;
    const advance = (ms: number) => {
      trueMs += ms;
      t.clock.now += ms * (1 + ppm / 1e6);
    };
    for (let d = 0; d < 14; d++) {
      advance(DAY);
      expect(t.send(COMMANDS.TIME_SET, { timeMs: trueMs, roundTripMs: 20 })[0].status).toBe(STATUS_OK); // honest daily syncs: the rate is known
    }
    const driftBefore = t.send(COMMANDS.TIME_GET, {})[0].fields.driftCentiPpm as number;
    for (let d = 0; d < 20; d++) {
      advance(DAY * (1 + d / 2)); // spread out, so each is kept as an anchor
      // The absurd round trip is refused outright (TIME_SET's bound); the largest one accepted is then tried.
      expect(t.send(COMMANDS.TIME_SET, { timeMs: trueMs, roundTripMs: 4000000000 })[0].status).toBe(ERRORS.BAD_REQUEST);
      const [r] = t.send(COMMANDS.TIME_SET, { timeMs: trueMs, roundTripMs: MAX_ROUND_TRIP_MS });
      if (r.status === STATUS_WAITING) t.press('next');
    }
    const driftAfter = t.send(COMMANDS.TIME_GET, {})[0].fields.driftCentiPpm as number;
    let freeStepS = 0;
    for (const step of [60, 300, 600, 1800, 3600, 14400]) {
      const [r] = t.send(COMMANDS.TIME_SET, { timeMs: trueMs + step * 1000, roundTripMs: 20 });
      if (r.status !== STATUS_OK) {
        t.press('next');
        break;
      }
      freeStepS = step;
    }
    return { driftBefore, driftAfter, freeStepS };
  }

  it('Pico profile: the 4,000 ppm rate stays known and a 1-hour step still needs the button (honest syncs on the same days: rate kept, 30 min free after 129 days of typical wander)', () => {
    const r = flushed(5000, 4000);
    console.info(`pico: drift ${r.driftBefore / 100} -> ${r.driftAfter / 100} ppm, largest free step ${r.freeStepS} s`);
    expect(r.driftAfter).toBeGreaterThan(350000);
    expect(r.freeStepS).toBeLessThan(3600);
  });

  it('crystal (20 ppm typical): a 10-minute step still needs the button', () => {
    const r = flushed(20, 10);
    console.info(`crystal: drift ${r.driftBefore / 100} -> ${r.driftAfter / 100} ppm, largest free step ${r.freeStepS} s`);
    expect(r.freeStepS).toBeLessThan(600);
  });
});

describe('roundTripMs is bounded (MAX_ROUND_TRIP_MS)', () => {
  it('a round trip over 10 s is refused, naming the field, and the clock is untouched', () => {
    const t = fakeToken({ typicalDriftPpm: 5000 });
    const before = t.send(COMMANDS.TIME_GET, {})[0].fields;
    const [r] = t.send(COMMANDS.TIME_SET, { timeMs: (before.timeMs as number) + 1000, roundTripMs: MAX_ROUND_TRIP_MS + 1 });
    expect(r.status).toBe(ERRORS.BAD_REQUEST);
    expect(String(r.fields.message)).toContain('roundTripMs');
    const after = t.send(COMMANDS.TIME_GET, {})[0].fields;
    expect(after.syncedAtMs).toBe(before.syncedAtMs);
    expect(t.send(COMMANDS.TIME_SET, { timeMs: (before.timeMs as number) + 1000, roundTripMs: MAX_ROUND_TRIP_MS })[0].status).toBe(STATUS_OK); // the bound itself is fine
  });
});

