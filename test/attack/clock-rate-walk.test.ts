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
import { COMMANDS, HOST_CLOCK_UNSYNCED, STATUS_OK, STATUS_WAITING } from '../../protocol/messages.ts';
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
  // FINDING (not fixed here: firmware/clock.ts is outside the reviewer's area).
  // Seen on main eb0a630: crystal 311 s ahead after 60 d (40 ppm fake: 207 s),
  // Pico 778 s after 1 d and 5,443 s after 7 d; no sync needed the button and
  // the token stated an error of 95 ms throughout. it.fails: flip to it() once
  // unconfirmed syncs can no longer move ownMs() by more than the allowance.
  it.fails('a crystal board (20 ppm typical): a host running 60 ppm fast, synced every 6 h for 60 days, leads by no more than 30 s + the error estimate', () => {
    const r = walk(20, 60, 60, 6 * HOUR);
    console.info(`crystal: lead ${(r.leadMs / 1000).toFixed(1)} s after 60 d, ${r.waited} syncs needed the button, stated error ${r.statedErrorMs} ms`);
    // The free step of an honest token 60 days after its anchor: 30 s plus
    // about 3 ppm (typical wander) x 60 d = 16 s; 2 min is generous.
    expect(r.leadMs).toBeLessThan(120000);
  });

  it.fails('an RC board (Pico profile, 5,000 ppm typical): a host running 9,000 ppm fast, synced hourly for a day, cannot reach the 10-minute lead clock-step.test.ts says needs the button', () => {
    const r = walk(5000, 9000, 1, HOUR);
    console.info(`pico: lead ${(r.leadMs / 1000).toFixed(1)} s after 1 d, ${r.waited} syncs needed the button, stated error ${r.statedErrorMs} ms`);
    expect(r.leadMs).toBeLessThan(600000);
  });

  it.fails('the same on the Pico from a host that says its clock is NOT synchronized (hostClock 2): 1,555 s ahead after 2 days on main', () => {
    const r = walk(5000, 9000, 2, HOUR, HOST_CLOCK_UNSYNCED);
    console.info(`pico, unsynced host: lead ${(r.leadMs / 1000).toFixed(1)} s after 2 d, ${r.waited} syncs needed the button, stated error ${r.statedErrorMs} ms`);
    expect(r.leadMs).toBeLessThan(600000);
  });

  it('the walk is the rate, not the step: the same host with an honest clock never leads (control)', () => {
    expect(Math.abs(walk(20, 0, 60, 6 * HOUR).leadMs)).toBeLessThan(1000);
    expect(Math.abs(walk(5000, 0, 1, HOUR).leadMs)).toBeLessThan(1000);
  });
});

// FINDING (not fixed: firmware/clock.ts, firmware/commands.ts). roundTripMs has
// no upper bound: a sync claiming a 46-day round trip has an error of 23 days,
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
      const [r] = t.send(COMMANDS.TIME_SET, { timeMs: trueMs, roundTripMs: 4000000000 }); // the true time, an absurd round trip
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

  it.fails('Pico profile: the 4,000 ppm rate stays known and a 1-hour step still needs the button (honest syncs on the same days: rate kept, 30 min free after 129 days of typical wander)', () => {
    const r = flushed(5000, 4000);
    console.info(`pico: drift ${r.driftBefore / 100} -> ${r.driftAfter / 100} ppm, largest free step ${r.freeStepS} s`);
    expect(r.driftAfter).toBeGreaterThan(350000);
    expect(r.freeStepS).toBeLessThan(3600);
  });

  it.fails('crystal (20 ppm typical): a 10-minute step still needs the button', () => {
    const r = flushed(20, 10);
    console.info(`crystal: drift ${r.driftBefore / 100} -> ${r.driftAfter / 100} ppm, largest free step ${r.freeStepS} s`);
    expect(r.freeStepS).toBeLessThan(600);
  });
});
