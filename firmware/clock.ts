// The token's clock: the port's raw clock (an RTC or RC oscillator that
// drifts, and restarts from zero after power loss) corrected by a rate fitted
// to the last few syncs ("anchors"), each weighted by how well it set the time
// (its round trip). The fit knows its uncertainty: a rate is used only when
// that is small against the board's typical drift, and the same figures give
// the error the token states (HELLO, TIME_GET, the display's "clock?"). The
// rate wanders with temperature, so the one in use is the recent anchors'
// at first and the long-run fit's further ahead (rateOver).
// A sync that disagrees with the anchors by far more than that error sets the
// time (the host is the authority for "now") but is held out of the fit as
// suspect until a later sync agrees with it; a later sync that agrees with the
// anchors instead drops it. Everything lives in one storage record, so a
// restart that keeps the RTC running keeps the time and the rate, and the rate
// survives power loss.
import type { Clock, Storage } from './ports.ts';
import { CLOCK_KEY } from './checked-storage.ts';

/** A measured rate beyond this is not an oscillator: power-off, a wrong host clock, tampering. */
export const MAX_PLAUSIBLE_PPM = 20000;
/** Anchors kept for the fit: weekly syncs give five weeks of baseline. */
const ANCHORS = 6;
/**
 * A sync's error beyond half its round trip: the host's clock (NTP: ±20 ms)
 * and the oscillator's daily wander (±5 ppm over a day moves the time ±70 ms,
 * so syncs at different hours disagree by that much).
 */
export const SYNC_BASE_MS = 90;
/**
 * A sync's error when the host says its own clock is not synchronized (wire
 * field hostClock): a PC clock left to itself drifts 1-2 s a day (20 ppm), so a
 * month unsynchronized. Such a sync never sets the time beyond the token's own
 * error bound and teaches a rate only where that is loose (an RC board).
 */
const UNVERIFIED_MS = 60000;
/** Round trip assumed when the host does not say (hosts before this field). */
export const DEFAULT_RTT_MS = 100;
/** A rate is used when its uncertainty is below the board's typical drift / this. */
const TRUST_RATIO = 4;
const DAY_MS = 86400000;
const MONTH_MS = 30 * DAY_MS;
/** A sync may move the clock this far beyond the clock's own error estimate without the button. */
export const FREE_CLOCK_STEP_MS = 30000;

export interface ClockStatus {
  /** True time of the last sync (ms), 0 if never. */
  syncedAtMs: number;
  /** Raw-clock rate error in use, ppm (positive: runs fast); 0 while not known well enough. */
  driftPpm: number;
  /** Error bound of the corrected time now, ms. */
  errorMs: number;
  /** The last sync that disagreed with the model: when (true ms) and by how much (host minus model, ms). */
  suspectAtMs?: number;
  suspectMs?: number;
}

export interface TokenClock extends Clock {
  status(): ClockStatus;
  /** The token's own time: predicted from the trusted anchor (first or last confirmed sync), untouched by unconfirmed steps. */
  ownMs(): number;
  /**
   * Would setting this time need the button? Measured from the trusted anchor,
   * not from the current time, so many small unconfirmed steps cannot add up
   * to a big one (a host walking the clock forward to harvest future codes),
   * and allowed only as far as the clock's own error estimate.
   */
  needsConfirm(trueMs: number): boolean;
  /**
   * A sync; `confirmed` (the button was pressed) makes it the new trusted anchor; `roundTripMs` as the host measured it;
   * `unverified`: the host says its own clock is not synchronized.
   */
  sync(trueMs: number, confirmed: boolean, roundTripMs?: number, unverified?: boolean): void;
}

/**
 * The clock record, kept in Storage as JSON. Two-letter keys: they are its
 * format on every board, and they ship as text in the Espruino bundle, which
 * cannot shorten them itself (a reflash must read what the last firmware wrote).
 * "U" below is the raw clock made continuous: the raw clock plus every step a
 * sync gave it, so anchors from before and after a step line up.
 */
interface State {
  /** Raw clock, U and true time at the last time setting (ms), and that setting's error (ms). */
  ra: number;
  ua: number;
  ta: number;
  ea: number;
  /** Number of syncs. */
  ns: number;
  /** Anchors for the fit: [true ms, U ms, error ms], oldest first. */
  an: number[][];
  /** A suspect sync held out of the fit, as an anchor. */
  sp?: number[];
  /** The last inconsistent sync: [true ms, host minus model ms]. */
  sx?: number[];
  /** The trusted anchor, U and true: the first sync, or the last one confirmed with the button. */
  tu?: number;
  tt?: number;
  /** The rate (ppm) learned as of the trusted anchor, if one was known: a host alone cannot teach the free step another. */
  rt?: number;
}

const BIG = 1e15; // ms: 31,000 years; raw clocks and U stay far inside
/**
 * A number within ±BIG, or an array of them (of length `n` when given: then a
 * number is not fine, since Espruino 2v29 throws reading (7)[0] where Node
 * gives undefined; test/attack/records-on-espruino.test.ts).
 */
const fine = (v: unknown, n?: number): boolean =>
  typeof v === 'number' ? !n && v > -BIG && v < BIG : Array.isArray(v) && (n === undefined || v.length === n) && v.every((x) => fine(x)); // NaN fails

/**
 * The stored record, or null if any field is malformed: the time is then
 * unknown and the next sync starts afresh. No record (undefined) or one that
 * is not JSON or is null throws (JSON.parse, then reading a property of null:
 * both throw on Espruino 2v29 as elsewhere), which the caller takes the same
 * way. Records of the first format (ra ta pp wt, no anchors) are converted
 * by firmware/migrate.ts, not read here.
 */
export function readRecord(text: string | undefined): State | null {
  const r = JSON.parse(text as string);
  const an = r.an;
  if (!fine([r.ra, r.ua, r.ta, r.ea, r.ns]) || !Array.isArray(an) || an.length < 1 || an.length > ANCHORS) return null;
  const all = r.sp ? an.concat([r.sp]) : an;
  // Weights are 1/e²: an anchor's error must be at least a millisecond.
  for (const a of all) if (!fine(a, 3) || !(a[2] >= 1)) return null;
  if ((r.sp || r.sx !== undefined) && !fine(r.sx, 2)) return null; // a suspect comes with its offset: sync reads sx[1]
  if (!fine([r.tu, r.tt])) r.tu = r.tt = undefined;
  if (!fine(r.rt)) r.rt = undefined;
  return r as State;
}

export function createTokenClock(raw: Clock, storage: Pick<Storage, 'read' | 'write'>, typicalDriftPpm: number): TokenClock {
  /** Math.abs, read once (terser writes each `x < 0 ? -x : x` out in full); here, not at the top, so its name is one letter. */
  const abs = Math.abs;
  const maxLearnablePpm = Math.min(MAX_PLAUSIBLE_PPM, 2 * typicalDriftPpm + 100);
  // What the anchors cannot follow, ppm: a daily cycle (day and night: at most
  // its amplitude times a day over pi of offset), and temperature changes
  // over days and weeks (weather, seasons, ageing) that move the rate away
  // from the learned one: a crystal's parabola 3 °C below its turnover moves
  // 2.4 ppm for 6 °C colder, and the worst of 1,000 simulated runs of weeks-long
  // weather (σ 3 °C) averaged 4.4 ppm over 180 days. The error the token
  // states allows for all of it within a week; whether a sync disagrees, and
  // how far a sync may move the clock without the button, is judged against
  // what is typical (3 ppm, reached over a month), or a host 3 s off would
  // pass. An RC oscillator's are far larger (tens of ppm per degree): both
  // scale with the board's typical drift. The stated one covers an RC moved to
  // a room 6 °C colder (50 ppm/°C, TI CC2640R2F): at typical / 25 (200 ppm on
  // the Pico) an independent simulation of that move saw the stated error too
  // small in 31 of 100 runs, 4 at typical / 15.
  const dailyPpm = Math.max(5, typicalDriftPpm / 60);
  /** The most that cycle moves the time, ms (its amplitude times a day over pi). */
  const dailyMs = (dailyPpm * DAY_MS) / Math.PI / 1e6;
  // The stated wander allowance (reached over a week) and the typical one (over a month), ppm.
  const wanderPpm = Math.max(5, typicalDriftPpm / 15);
  const typicalWanderPpm = Math.max(3, typicalDriftPpm / 25);
  let s: State | null = null;
  try {
    s = readRecord(storage.read(CLOCK_KEY));
  } catch (e) {
    // No clock record, or a damaged one: the time is unknown (s stays null).
  }
  /**
   * Set by learn(): whether the anchors give a rate, the rate in use (ppm),
   * the ppm its error bound grows by, and the anchors' span (true ms from the
   * first to the last).
   */
  let rateKnown: boolean;
  let ratePpm: number;
  let rateErrPpm: number;
  let span: number;
  /** The plain fit's rate and the recent one (learn()), ppm. */
  let meanPpm: number;
  let recentPpm: number;

  /** `x` moved to within `w` (never negative) of `c`. (Inside createTokenClock, as abs, for a one-letter name; before learn(), which uses it: Espruino does not hoist what terser turns into arrows.) */
  function near(x: number, c: number, w: number): number {
    return Math.min(Math.max(x, c - w), c + w);
  }

  /**
   * A weighted least-squares fit of U against true time over the anchors:
   * [rate ppm, its standard error ppm]. Each anchor weighs by its error and,
   * if `recent`, by its age: the rate wanders, and an anchor `a` ms before
   * the last is off a straight line by up to the wander allowance reached
   * over a month, ramped over `a` (seasons move an RC tens of ppm a week, so
   * weekly anchors weeks old would give a rate weeks old), plus the daily
   * cycle, which syncs at different hours meet at different phases (without
   * it, syncs days apart at random hours made an RC's rate chase its daily
   * swing). Two anchors give the same rate either way.
   */
  function fit(recent?: boolean): number[] {
    const an = s ? s.an : [];
    let sw = 0;
    let mx = 0;
    let my = 0;
    let sxx = 0;
    let sxy = 0;
    // Sums about the running weighted means, each anchor adding its offset from
    // them at the weight the two have in series (West's update without its
    // subtraction): the recent fit's weights can be 1e17 apart (anchors a century
    // apart in a crafted record), where raw sums or West's lose the old anchor
    // and Sxx cancels to 0, the rate to 0 / 0. Two anchors give dy / dx exactly.
    for (const a of an) {
      const x = a[0] - an[0][0];
      const age = recent ? span - x : (span = x); // the plain fit runs first and leaves the anchors' span
      const d = recent ? (wanderPpm * age * age) / (2e6 * MONTH_MS) + dailyMs : 0;
      const w = 1 / (a[2] * a[2] + d * d);
      const dx = x - mx;
      const dy = a[1] - an[0][1] - x - my;
      const c = (sw * w) / (sw + w);
      sxx += c * dx * dx;
      sxy += c * dx * dy;
      sw += w;
      mx += (w * dx) / sw;
      my += (w * dy) / sw;
    }
    return [(sxy / sxx) * 1e6, 1e6 / Math.sqrt(sxx)];
  }

  /**
   * The rate over the `el` ms after the last anchor (0 while none is known):
   * the recent rate at first, the long-run one (the plain fit) further ahead,
   * as a wander that comes and goes (weather over days, seasons over months)
   * takes the rate back towards its mean, here within about a month. Never
   * beyond what the board can learn: the recent fit can lean on two anchors.
   */
  function rateOver(el: number): number {
    const k = el > 0 ? (MONTH_MS / el) * (1 - Math.exp(-el / MONTH_MS)) : 1; // the mean of e^(-t/month) over el
    return rateKnown ? near(meanPpm + (recentPpm - meanPpm) * k, 0, maxLearnablePpm) : 0;
  }

  /** Whether the anchors give a rate: their plain fit's standard error is small enough, and it is one the board can have. */
  function learn(): void {
    const f = fit();
    // No anchors, or one: Sxx is 0, so the error is Infinity and the rate NaN: not known.
    rateKnown = f[1] * TRUST_RATIO <= typicalDriftPpm && abs(f[0]) < maxLearnablePpm;
    meanPpm = f[0];
    recentPpm = fit(true)[0];
    ratePpm = rateOver(0);
    // Plus what the daily cycle can tilt a rate by over a short baseline: anchors at opposite phases of it
    // (an RC's rate from syncs an hour apart was 75 ppm off, stated as 17).
    rateErrPpm = rateKnown ? 2 * f[1] + Math.min(dailyPpm, (2e6 * dailyMs) / span) : 2 * typicalDriftPpm + 1;
  }
  learn();

  /** Also: there is a record (s is set). */
  function rawValid(): boolean {
    // The raw clock lost power if it is behind the anchor or reports itself unset.
    return !!s && s.ns > 0 && raw.isSet() && raw.nowMs() >= s.ra;
  }

  /** The raw clock made continuous (see State). */
  function uNow(): number {
    return s!.ua + raw.nowMs() - s!.ra;
  }

  /** The time the last setting predicts now, at the rate in use (before the free-step limit). */
  function modelMs(): number {
    return predict([s!.ta, s!.ua], uNow(), rateOver(uNow() - s!.ua));
  }

  /** True time at continuous raw `u`, predicted from a point [true, U] at a rate of `ppm`. */
  function predict(from: number[], u: number, ppm: number): number {
    return from[0] + (u - from[1]) / (1 + ppm / 1e6);
  }

  /** Error bound `dt` ms after a time setting whose own error was `e` ms; the typical error if `typical`. */
  function bound(e: number, dt: number, typical?: boolean): number {
    const t = abs(dt);
    // The stated allowance starts half the anchors' span back: the fitted rate
    // is their average, so at the last anchor the oscillator has already
    // wandered from it for about that long (weekly syncs: weeks; an RC's seasons
    // move it tens of ppm a week). What is typical is judged from the last anchor.
    const wander = typical ? typicalWanderPpm * Math.min(1, t / (30 * DAY_MS)) : wanderPpm * Math.min(1, (t + span / 2) / (7 * DAY_MS));
    return e + (t * (rateErrPpm + wander)) / 1e6 + Math.min((dailyPpm * t) / 1e6, dailyMs);
  }

  function nowMs(): number {
    // Never further from the token's own time than a free step: a rate the
    // host alone taught cannot carry the time past it between syncs either.
    return !rawValid() ? raw.nowMs() : s!.tu === undefined ? modelMs() : near(modelMs(), ownMs(), allowance());
  }

  /**
   * The token's own time: the trusted anchor carried forward at the learned
   * rate, but only as far from the trusted one as the board's rate may
   * plausibly wander (its typical drift while no rate was trusted). A host
   * whose clock runs fast agrees with the model at every sync and so teaches
   * its rate; this keeps it from walking the free step ahead with it.
   */
  function ownMs(): number {
    // The rate: the one known at the trusted anchor, or with none, 0 give or
    // take the board's typical drift too.
    return !rawValid() || s!.tu === undefined
      ? nowMs()
      : predict([s!.tt as number, s!.tu], uNow(), near(ratePpm, s!.rt || 0, typicalWanderPpm + (s!.rt === undefined ? typicalDriftPpm : 0)));
  }

  /** How far from ownMs() a sync may move the clock without the button. */
  function allowance(): number {
    return FREE_CLOCK_STEP_MS + bound(SYNC_BASE_MS + DEFAULT_RTT_MS / 2, uNow() - s!.tu!, true);
  }

  function needsConfirm(trueMs: number): boolean {
    return rawValid() && s!.tu !== undefined && abs(trueMs - ownMs()) > allowance();
  }

  function sync(trueMs: number, confirmed?: boolean, roundTripMs?: number, unverified?: boolean): void {
    const e = unverified ? UNVERIFIED_MS : SYNC_BASE_MS + (roundTripMs === undefined ? DEFAULT_RTT_MS : roundTripMs) / 2;
    const o = s as State; // null (no record yet) only where rawValid() is false; the other uses check
    let u = trueMs; // U starts afresh where the raw clock lost its continuity
    let a = [u, u, e]; // this sync as an anchor
    let an = [a];
    let t = trueMs;
    let ea = e;
    let sp: number[] | undefined;
    let sx = o ? o.sx : undefined;
    let keep: boolean | undefined; // the trusted anchor
    let c: boolean | undefined; // the suspect was confirmed with the button
    if (rawValid()) {
      u = uNow();
      an = o.an;
      a = [trueMs, u, e];
      const q = o.sp; // the suspect held, if any
      const last = an[an.length - 1];
      /** How far this sync is from a model running from anchor `x`: 1 is the edge of agreement. */
      const expect = (x: number[]) => predict(x, u, rateOver(u - x[1]));
      const misfit = (x: number[]) => abs(trueMs - expect(x)) / (2 * (bound(x[2], u - x[1], true) + e));
      const m = misfit(last);
      const g = trueMs - expect(last); // this sync's offset from the anchors' model
      const ms = q && !unverified ? misfit(q) : 2;
      // The token's own time and its error bound, and the host's offset from it.
      const own = nowMs();
      const b = bound(o.ea, u - o.ua);
      const off = trueMs - own;
      // The anchors' rate is beyond what the board can have (twice its typical
      // drift): a host with a fast clock walked them there, one agreeing sync at a time.
      const walked = abs(meanPpm) > 2 * typicalDriftPpm;
      // This sync and the suspect before it disagree with the anchors on one side, this one further.
      const again = q && !unverified && g / sx![1] > 1;
      if (unverified) sp = q; // a host that cannot vouch for its clock settles no suspect
      if (ms <= 1 && ms < m) {
        // Agrees with the suspect: the older anchors' time was off by the suspect's
        // offset. Their rate stands (shifted, they line up with the new time), so two
        // syncs that agree with each other cannot wipe out what the rate stands on;
        // unless it was walked, which the shift would carry on into the fit.
        an = (walked ? [] : an.map((x) => [x[0] + sx![1], x[1], x[2]])).concat([q!, a]);
      } else if (m <= 1) {
        // Agrees with the anchors (a held suspect, if any, was wrong and is dropped).
        // One close after the last replaces it if it is as good, so the anchors stay
        // spread: a burst of syncs cannot push out the long baseline the rate stands on.
        // Nor can syncs an hour apart, which kept a full set on five hours for ever (a
        // crystal board never learned its rate): with the set full, a sync pushes the
        // oldest out only a day or more after the last but one.
        if ((trueMs - last[0]) * ANCHORS >= span && (an.length < ANCHORS || trueMs - an[an.length - 2][0] >= DAY_MS)) an = an.concat([a]); // span: learn() ran on these anchors
        else if (e <= last[2]) an = an.slice(0, -1).concat([a]);
      } else if (again && ((c = o.tt == q![0]) && abs(g - sx![1]) * 1e6 < maxLearnablePpm * (trueMs - q![0]) || !an[2] || walked)) {
        // This sync and the suspect before it both disagree with the rate, on one
        // side and this one further, and the rate is in doubt: it rests on one
        // interval (!an[2]: nothing could judge its second sync), or the suspect was
        // confirmed with the button (the user vouched for its time) and this sync
        // is off from it by a rate a board can have (one press for a clock step let a
        // host 500 ppm fast replace the anchors with its own pair an hour later and
        // walk them: 30 s off after it; clock-confirmed-laptop.test.ts), or it was
        // walked. Then the rate is wrong, not them. Without this, a second sync 3 s
        // off made every later honest sync a suspect (syncs 3 d apart: 86 s off at
        // d180), and a host with a fast clock that walked a full set of anchors to
        // its rate did too (27.5 s and 145 s off for as long as honest syncs ran;
        // test/firmware/clock-poisoned-rate.test.ts, clock-drift.test.ts). Not for
        // every full set: honest boards then had to press (an RC moved 6 °C, a
        // crystal after a host 30 ppm fast). Of a full set nothing is kept: it may
        // have been walked. Nor the first of two when the user vouched for the
        // suspect: that pair may be a confirmed host's that was wrong (a laptop a
        // minute off, confirmed and synced again the next day; kept, its first
        // poisoned the rate of the honest host's two syncs after it: 46 s off, a
        // second press; clock-confirmed-laptop.test.ts). (Not always: honest boards
        // synced from a laptop seconds off and NTP in turns then pressed more.)
        an = (an[2] || c ? [] : [an[0]]).concat([q!, a]);
      } else {
        // Inconsistent: held out of the fit (a verified host's as the suspect), reported.
        if (!unverified) sp = a;
        sx = [trueMs, g];
      }
      // The time. A verified host that agrees sets it. Otherwise the token's own
      // [-b, b] and the host's [off - e, off + e] are two claims. Where both can be
      // right (an unverified host), their overlap. Where they disagree, half way:
      // within half the gap of whichever was right (a bad host costs half its
      // offset, a wrong model half its error, until the next sync settles it).
      // The second in a row that disagrees the same way, further, sets the time in
      // full: the model is what is wrong (an RC moved 6 °C colder: 342 -> 274 s),
      // and the error stated stays that of half way (in full alone, it understated).
      if (!confirmed && (unverified || sp === a)) {
        let lo = Math.max(-b, off - e);
        let hi = Math.min(b, off + e);
        if (sp === a || lo > hi) {
          hi = abs(off) / 2 + Math.max(b, e);
          lo = off / 2 - hi;
          hi += off / 2;
        }
        t = again ? trueMs : own + (lo + hi) / 2;
        // Two claims that barely overlap are no surer than the surer one alone.
        ea = Math.max((hi - lo) / 2, Math.min(b, e));
      }
      // Only the button makes a new trusted anchor (while there is one).
      keep = !confirmed && o.tu !== undefined;
    } else if (rateKnown) {
      // Power was lost: the time is gone but the oscillator is the same. The
      // rate learned so far stays, as a virtual anchor as far back as gives it
      // the uncertainty it had (the pair's 2e6·e√2/v plus the daily cycle's tilt
      // over v, which learn() adds: from rateErrPpm alone each power loss doubled
      // it). (With no record there is no rate: learn() found no anchors.)
      const q = e * Math.SQRT2;
      const v = 2e6 * Math.min((q + dailyMs) / rateErrPpm, q / Math.max(0, rateErrPpm - dailyPpm));
      an = [[trueMs - v, u - v * (1 + ratePpm / 1e6), e], an[0]];
    }
    raw.setMs(t);
    s = { ra: raw.nowMs(), ua: u, ta: t, ea: ea, ns: (o ? o.ns : 0) + 1, an: an.slice(-ANCHORS), sp: sp, sx: sx, tu: keep ? o.tu : u, tt: keep ? o.tt : t, rt: keep ? o.rt : undefined };
    learn();
    // A new trusted anchor trusts the rate known now (none on a first sync), unless
    // it disagreed with that rate (a confirmed suspect): the rate may be wrong.
    if (!keep && rateKnown && sp != a) s.rt = ratePpm;
    try {
      storage.write(CLOCK_KEY, JSON.stringify(s));
    } catch (e) {
      // The clock still runs from RAM; the next sync retries the write.
    }
  }

  function status(): ClockStatus {
    const st: ClockStatus = {
      syncedAtMs: s ? s.ta : 0,
      driftPpm: Math.round(ratePpm * 100) / 100,
      // Plus how far the free-step limit holds the time from what the rate says (nowMs): 0 unless a rate beyond the board's typical drift was learned without the button.
      errorMs: rawValid() ? Math.min(1e12, Math.round(bound(s!.ea, uNow() - s!.ua) + abs(nowMs() - modelMs()))) : 0,
    };
    if (s && s.sx) {
      st.suspectAtMs = s.sx[0];
      st.suspectMs = Math.round(s.sx[1]);
    }
    return st;
  }

  return {
    nowMs: nowMs,
    setMs: sync, // unconfirmed
    isSet: rawValid,
    status: status,
    ownMs: ownMs,
    needsConfirm: needsConfirm,
    sync: sync,
  };
}
