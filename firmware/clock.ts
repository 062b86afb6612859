// The token's clock: the port's raw clock (an RTC or RC oscillator that
// drifts, and restarts from zero after power loss) corrected by a rate
// learned from successive syncs, NTP-style. The anchor (raw and true time at
// the last sync) and the rate estimate are kept in storage, so a restart
// that keeps the RTC running keeps the time, and the rate survives power loss.
import type { Clock, Storage } from './ports.ts';

const KEY = 'tt.clock';
/** Rate estimates need a long baseline: sync jitter of ~50 ms over 1 h is already 14 ppm. */
export const MIN_BASELINE_MS = 3600000;
/** A measured rate beyond this is not an oscillator: power-off, a wrong host clock, tampering. */
export const MAX_PLAUSIBLE_PPM = 20000;
/** Residual error of a corrected clock (temperature, ageing), in ppm. */
const RESIDUAL_PPM = 1;
/** How well a sync sets the clock (the host measures the round trip; tens of ms). */
const SYNC_ERROR_MS = 50;

export interface ClockStatus {
  /** True time of the last sync (ms), 0 if never. */
  syncedAtMs: number;
  /** Estimated raw-clock rate error, ppm (positive: runs fast); 0 until two syncs. */
  driftPpm: number;
  /** Estimated error of the corrected time now, ms. */
  errorMs: number;
}

export interface TokenClock extends Clock {
  status(): ClockStatus;
  /**
   * Would setting this time need the button? Measured from the trusted anchor,
   * not from the current time, so many small unconfirmed steps cannot add up
   * to a big one (a host walking the clock forward to harvest future codes).
   */
  needsConfirm(trueMs: number): boolean;
  /** A sync; `confirmed` (the button was pressed) makes it the new trusted anchor. */
  sync(trueMs: number, confirmed: boolean): void;
}

/**
 * The clock record, kept in Storage as JSON. Two-letter keys: they are its
 * format on every board, and they ship as text in the Espruino bundle, which
 * cannot shorten them itself (a reflash must read what the last firmware
 * wrote). A record without `ns` (an older or damaged one) reads as never synced.
 */
interface State {
  /** Raw clock at the last sync (ms). */
  ra: number;
  /** True time at the last sync (ms). */
  ta: number;
  /** Learned rate error of the raw clock, ppm (positive: runs fast). */
  pp: number;
  /** Baseline behind that estimate: ms of true time between the syncs it came from. */
  wt: number;
  /** Number of syncs. */
  ns: number;
  /** The trusted anchor, raw and true: the first sync, or the last one confirmed with the button. */
  tr?: number;
  tt?: number;
}

const isNumber = (v: unknown): boolean => typeof v === 'number' && isFinite(v as number);

/**
 * The stored record, or null if there is none or it is malformed: the time is
 * then unknown and the next sync starts afresh. (A record of firmware 0.1.0
 * before this one, with long keys, reads as none: one `time sync` again.)
 */
function readRecord(text: string | undefined): State | null {
  if (!text) return null;
  const r = JSON.parse(text) as State;
  if (!isNumber(r.ra) || !isNumber(r.ta) || !isNumber(r.pp) || !isNumber(r.wt) || !isNumber(r.ns)) return null;
  if (!isNumber(r.tr) || !isNumber(r.tt)) r.tr = r.tt = undefined;
  return r;
}

/** A sync may move the clock this far from what the trusted anchor predicts without the button. */
export const FREE_CLOCK_STEP_MS = 300000;

export function createTokenClock(raw: Clock, storage: Storage, typicalDriftPpm: number): TokenClock {
  const maxLearnablePpm = Math.min(MAX_PLAUSIBLE_PPM, 2 * typicalDriftPpm + 100);
  let s: State | null = null;
  try {
    s = readRecord(storage.read(KEY));
  } catch (e) {
    s = null; // a damaged clock record means the time is unknown
  }

  function rawValid(): boolean {
    // The raw clock lost power if it is behind the anchor or reports itself unset.
    return !!s && s.ns > 0 && raw.isSet() && raw.nowMs() >= s.ra;
  }

  function nowMs(): number {
    if (!s || !rawValid()) return raw.nowMs();
    return s.ta + (raw.nowMs() - s.ra) / (1 + s.pp / 1000000);
  }

  function save(): void {
    try {
      storage.write(KEY, JSON.stringify(s));
    } catch (e) {
      // The clock still runs from RAM; the next sync retries the write.
    }
  }

  function needsConfirm(trueMs: number): boolean {
    if (!s || !rawValid() || s.tr === undefined || s.tt === undefined) return false;
    const rawElapsed = raw.nowMs() - s.tr;
    // The raw clock may have drifted since the anchor: allow twice the board's typical rate.
    const allowance = FREE_CLOCK_STEP_MS + (Math.abs(rawElapsed) * (2 * typicalDriftPpm + 100)) / 1000000;
    const step = trueMs - (s.tt + rawElapsed);
    return step > allowance || step < -allowance;
  }

  /** Set the time from a sync with the host, learning the rate when the baseline allows. */
  function sync(trueMs: number, confirmed: boolean): void {
    const r = raw.nowMs();
    const hadTrust = !!s && rawValid() && s.tr !== undefined;
    let ppm = s ? s.pp : 0;
    let weight = s ? s.wt : 0;
    if (s && rawValid()) {
      const trueElapsed = trueMs - s.ta;
      const rawElapsed = r - s.ra;
      if (trueElapsed >= MIN_BASELINE_MS) {
        const measured = (rawElapsed / trueElapsed - 1) * 1000000;
        // Only rates the board's oscillator can have are learned: a host that
        // nudges one sync could otherwise teach a huge rate and walk the clock
        // far without ever tripping the step guard (needsConfirm).
        if (measured < maxLearnablePpm && measured > -maxLearnablePpm) {
          // Weighted by baseline: a week between syncs outweighs an hour.
          ppm = (ppm * weight + measured * trueElapsed) / (weight + trueElapsed);
          weight = weight + trueElapsed;
        }
      }
    }
    raw.setMs(trueMs);
    const rawNow = raw.nowMs();
    let trustRaw = rawNow;
    let trustTrue = trueMs;
    if (hadTrust && !confirmed && s) {
      // Keep the old anchor, moved along with the raw clock if setMs stepped it.
      trustRaw = (s.tr as number) + (rawNow - r);
      trustTrue = s.tt as number;
    }
    s = { ra: rawNow, ta: trueMs, pp: ppm, wt: weight, ns: (s ? s.ns : 0) + 1, tr: trustRaw, tt: trustTrue };
    save();
  }

  function status(): ClockStatus {
    const set = rawValid();
    const elapsed = set && s ? Math.max(0, nowMs() - s.ta) : 0;
    const ppmUncertainty = s && s.wt > 0 ? RESIDUAL_PPM + (SYNC_ERROR_MS * 2 * 1000000) / s.wt : typicalDriftPpm + RESIDUAL_PPM;
    return {
      syncedAtMs: s ? s.ta : 0,
      driftPpm: s ? Math.round(s.pp * 100) / 100 : 0,
      errorMs: set ? Math.round(SYNC_ERROR_MS + (elapsed * ppmUncertainty) / 1000000) : 0,
    };
  }

  return {
    nowMs: nowMs,
    setMs: (trueMs: number) => sync(trueMs, false),
    isSet: rawValid,
    status: status,
    needsConfirm: needsConfirm,
    sync: sync,
  };
}
