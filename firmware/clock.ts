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
  set: boolean;
  /** True time of the last sync (ms), 0 if never. */
  syncedAtMs: number;
  /** Estimated raw-clock rate error, ppm (positive: runs fast); 0 until two syncs. */
  driftPpm: number;
  /** Baseline behind the estimate (ms of true time); 0 if none. */
  baselineMs: number;
  /** Estimated error of the corrected time now, ms. */
  errorMs: number;
}

export interface TokenClock extends Clock {
  status(): ClockStatus;
}

interface State {
  rawAt: number;
  trueAt: number;
  ppm: number;
  weight: number;
  syncs: number;
}

export function createTokenClock(raw: Clock, storage: Storage, typicalDriftPpm: number): TokenClock {
  let s: State | null = null;
  try {
    const text = storage.read(KEY);
    if (text) s = JSON.parse(text) as State;
  } catch (e) {
    s = null; // a damaged clock record means the time is unknown
  }

  function rawValid(): boolean {
    // The raw clock lost power if it is behind the anchor or reports itself unset.
    return !!s && s.syncs > 0 && raw.isSet() && raw.nowMs() >= s.rawAt;
  }

  function nowMs(): number {
    if (!s || !rawValid()) return raw.nowMs();
    return s.trueAt + (raw.nowMs() - s.rawAt) / (1 + s.ppm / 1000000);
  }

  function save(): void {
    try {
      storage.write(KEY, JSON.stringify(s));
    } catch (e) {
      // The clock still runs from RAM; the next sync retries the write.
    }
  }

  /** Set the time from a sync with the host, learning the rate when the baseline allows. */
  function setMs(trueMs: number): void {
    const r = raw.nowMs();
    let ppm = s ? s.ppm : 0;
    let weight = s ? s.weight : 0;
    if (s && rawValid()) {
      const trueElapsed = trueMs - s.trueAt;
      const rawElapsed = r - s.rawAt;
      if (trueElapsed >= MIN_BASELINE_MS) {
        const measured = (rawElapsed / trueElapsed - 1) * 1000000;
        if (measured < MAX_PLAUSIBLE_PPM && measured > -MAX_PLAUSIBLE_PPM) {
          // Weighted by baseline: a week between syncs outweighs an hour.
          ppm = (ppm * weight + measured * trueElapsed) / (weight + trueElapsed);
          weight = weight + trueElapsed;
        }
      }
    }
    raw.setMs(trueMs);
    s = { rawAt: raw.nowMs(), trueAt: trueMs, ppm: ppm, weight: weight, syncs: (s ? s.syncs : 0) + 1 };
    save();
  }

  function status(): ClockStatus {
    const set = rawValid();
    const elapsed = set && s ? Math.max(0, nowMs() - s.trueAt) : 0;
    const ppmUncertainty = s && s.weight > 0 ? RESIDUAL_PPM + (SYNC_ERROR_MS * 2 * 1000000) / s.weight : typicalDriftPpm + RESIDUAL_PPM;
    return {
      set: set,
      syncedAtMs: s ? s.trueAt : 0,
      driftPpm: s ? Math.round(s.ppm * 100) / 100 : 0,
      baselineMs: s ? s.weight : 0,
      errorMs: set ? Math.round(SYNC_ERROR_MS + (elapsed * ppmUncertainty) / 1000000) : 0,
    };
  }

  return { nowMs: nowMs, setMs: setMs, isSet: rawValid, status: status };
}
