// TOTP (RFC 6238 §4): HOTP over the number of whole periods since T0.
// Time is in seconds as a JavaScript number, so 2038 and beyond are fine.
import type { Hash } from './hash.ts';
import { hotp, hotpChecked, MAX_COUNTER } from './hotp.ts';
import { assertInteger } from './bytes.ts';
import { fail } from './errors.ts';

export interface TotpParams {
  /** Seconds per code; 30 unless the service says otherwise. */
  period?: number;
  /** Unix time (seconds) when counting starts; 0 by RFC 6238. */
  t0?: number;
  digits?: number;
}

export function totpCounter(unixSeconds: number, period: number, t0: number): number {
  if (typeof unixSeconds !== 'number' || !(unixSeconds === unixSeconds) || unixSeconds < t0) {
    fail('BAD_TIME', 'time: expected seconds since the epoch at or after T0=' + t0 + ', got ' + String(unixSeconds));
  }
  return assertInteger(timeStep(unixSeconds, period, t0), 'time step', 0, MAX_COUNTER);
}

/** The RFC 6238 time step T, unchecked (see totpChecked). */
export function timeStep(unixSeconds: number, period: number, t0: number): number {
  return Math.floor((unixSeconds - t0) / period);
}

/** Seconds until the current code changes (1..period). */
export function secondsLeft(unixSeconds: number, period: number, t0: number): number {
  const into = (unixSeconds - t0) % period;
  return Math.ceil(period - into);
}

export function totp(hash: Hash, secret: Uint8Array, unixSeconds: number, params: TotpParams): string {
  const period = assertInteger(params.period ?? 30, 'period', 1, 86400);
  const t0 = assertInteger(params.t0 ?? 0, 't0', 0, MAX_COUNTER);
  return hotp(hash, secret, totpCounter(unixSeconds, period, t0), params.digits ?? 6);
}

/**
 * TOTP (T0 = 0) for an account whose period, digits and secret were checked
 * when it was added, at a time the caller knows is valid (the firmware's
 * clock refuses times before 2024): no second round of checks on the device.
 */
export function totpChecked(hash: Hash, secret: Uint8Array, unixSeconds: number, period: number, digits: number): string {
  return hotpChecked(hash, secret, timeStep(unixSeconds, period, 0), digits);
}
