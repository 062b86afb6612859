// The guided enrollment a service's "virtual MFA device" page asks for, AWS's
// being the reference: store the seed on the token, prove it is stored (key
// check), then produce two consecutive codes at the right moments and say
// plainly when to submit them.
//
// Timing (why each wait exists):
// - A service checks code 1 against the previous period and code 2 against
//   the current one (AWS, and most resync steps). If the user types them late
//   the pair no longer fits and the device is left "out of sync".
// - So code 1 is taken in a fresh period (at least `minFreshS`, default 20 s,
//   left, else wait for the next one), code 2 right after the next period
//   starts, and the user is told to submit within what is left of code 2's
//   period, with a countdown.
// - Each code is identified by the period it belongs to: with the seed at
//   hand (enroll), by matching the code against the seed's codes for nearby
//   periods; without it (resync), from the token's secondsLeft. A pair that
//   is not consecutive (the button was pressed too late) starts over.
// Everything the flow needs is injected: a client (add, keyCheck, code with
// a WAITING callback), a clock (now, sleep) and an event sink for the lines
// to show, so tests drive time and the CLI decides how to print.
import { toHex, wipe } from '../../../protocol/bytes.ts';
import type { Algorithm, HashSet } from '../../../protocol/hash.ts';
import { hotp } from '../../../protocol/hotp.ts';
import { keyCheckValue } from '../../../protocol/keycheck.ts';
import type { OtpAuth } from '../../../protocol/otpauth.ts';
import { TokenError } from '../errors.ts';
import { nodeHashes } from '../hashes/node-hashes.ts';

export interface ButtonWait {
  action: string;
  timeoutS: number;
}

/** The part of TokenClient the flow uses (host/lib/client.ts implements it). */
export interface EnrollClient {
  add(account: { name: string; issuer: string; algorithm: Algorithm; digits: number; period: number; secret: Uint8Array }): Promise<{ check: string }>;
  keyCheck(name: string): Promise<string>;
  /** The current code; resolves after the button on the token is pressed. */
  code(name: string, onWaiting?: (w: ButtonWait) => void): Promise<{ code: string; secondsLeft: number }>;
  /** Optional: the token's clock, checked against `now()` before any code is asked for. */
  timeGet?(): Promise<{ set: boolean; timeMs?: number }>;
}

export interface EnrollClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export type EnrollEvent =
  | { kind: 'step'; text: string }
  | { kind: 'warn'; text: string }
  /** The token waits for its button. */
  | { kind: 'press'; text: string; timeoutS: number }
  /** One line of a countdown; the CLI may redraw these in place. */
  | { kind: 'tick'; text: string; secondsLeft: number }
  | { kind: 'code'; text: string; index: 1 | 2; code: string; secondsLeft: number }
  | { kind: 'submit'; text: string; code1: string; code2: string; withinS: number }
  | { kind: 'expired'; text: string };

export interface FlowOptions {
  client: EnrollClient;
  clock: EnrollClock;
  onEvent: (e: EnrollEvent) => void;
  /** Code 1 is asked for only when at least this much of its period is left; default 20 s (at most 2/3 of the period). */
  minFreshS?: number;
  /** Wait this long past a period's start before asking (clock error, press delay); default 1500 ms (at most 1/10 of the period). */
  marginMs?: number;
  /** Pairs to try before giving up (a late press starts over); default 3. */
  attempts?: number;
  /** Count down the submit window to its end; default true. */
  countdown?: boolean;
  /** 'usb': codes over USB after a press (default). 'display': the user reads them off the token. */
  readCodes?: 'usb' | 'display';
  /** Stops waits and the countdown (the user is done). */
  signal?: AbortSignal;
  /** Hashes for the local key check and code match; node:crypto by default. */
  hashes?: HashSet;
}

export interface CodePair {
  code1: string;
  code2: string;
  /** Period index (seconds since 1970 / period) of code 1; code 2's is one more. Absent when read off the display. */
  period1?: number;
  /** Host time by which both codes should be submitted. */
  submitByMs: number;
}

export interface EnrollResult extends CodePair {
  name: string;
  issuer: string;
  /** Key check value of the stored seed, hex. */
  check: string;
  /** The account was already on the token with this very key. */
  alreadyStored: boolean;
}

interface Reading {
  code: string;
  period: number;
}

const label = (name: string, issuer: string): string => (issuer ? `${issuer}: ${name}` : name);

class Flow {
  readonly periodMs: number;
  private offsetMs = 0;
  constructor(
    private readonly o: FlowOptions,
    readonly name: string,
    readonly period: number,
  ) {
    this.periodMs = period * 1000;
  }

  emit(e: EnrollEvent): void {
    this.o.onEvent(e);
  }

  /** The token's time as far as we know it (host time plus the offset measured at the start). */
  deviceNow(): number {
    return this.o.clock.now() + this.offsetMs;
  }

  aborted(): boolean {
    return !!this.o.signal?.aborted;
  }

  /** Wait until the token's time reaches `deviceMs`, with a countdown line per second. */
  async waitUntil(deviceMs: number, text: (s: number) => string): Promise<void> {
    for (;;) {
      const left = deviceMs - this.deviceNow();
      if (left <= 0 || this.aborted()) return;
      const s = Math.ceil(left / 1000);
      this.emit({ kind: 'tick', text: text(s), secondsLeft: s });
      await this.o.clock.sleep(left - (s - 1) * 1000);
    }
  }

  /** Measure the token's clock against ours; refuse one that is unset or a period off. */
  async checkClock(): Promise<void> {
    const c = this.o.client;
    if (!c.timeGet) return;
    const before = this.o.clock.now();
    const info = await c.timeGet();
    const after = this.o.clock.now();
    if (!info.set || info.timeMs === undefined) throw new TokenError('CLOCK_NOT_SET', "the token's clock is not set, so it cannot show codes; set it first (totp-token time sync)");
    const offset = info.timeMs - (before + after) / 2;
    if (Math.abs(offset) >= this.periodMs / 2) {
      throw new TokenError('CLOCK_OFF', `the token's clock is ${Math.round(offset / 1000)} s off this computer's: its codes would be for the wrong period and the service would refuse them; sync it first (totp-token time sync)`);
    }
    if (Math.abs(offset) > 3000) this.emit({ kind: 'warn', text: `the token's clock is ${(offset / 1000).toFixed(1)} s off this computer's; consider syncing it (totp-token time sync)` });
    this.offsetMs = offset;
  }

  /** Ask the token for a code (the user presses its button), and find the period it belongs to. */
  async readCode(index: 1 | 2, identify: (code: string, secondsLeft: number, atMs: number) => number): Promise<Reading> {
    const r = await this.o.client.code(this.name, (w) =>
      this.emit({ kind: 'press', text: `Code ${index}: press the button on the token to show it here (${w.timeoutS} s to press)`, timeoutS: w.timeoutS }),
    );
    return { code: r.code, period: identify(r.code, r.secondsLeft, this.deviceNow()) };
  }

  /** Two consecutive codes, with the waits that make them fresh. */
  async twoCodes(identify: (code: string, secondsLeft: number, atMs: number) => number): Promise<CodePair> {
    const o = this.o;
    const P = this.periodMs;
    // Scaled down for short periods, so a 10-second code still gets a sensible window.
    const minFreshMs = Math.min((o.minFreshS ?? 20) * 1000, (P * 2) / 3);
    const margin = Math.min(o.marginMs ?? 1500, P / 10);
    const attempts = o.attempts ?? 3;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      // A fresh period: enough of it left to press the button, and not in its first instants.
      const t = this.deviceNow();
      const start = Math.floor(t / P) * P;
      if (start + P - t < minFreshMs) {
        await this.waitUntil(start + P + margin, (s) => `Waiting ${s} s for a fresh ${this.period}-second period, so both codes are young when you submit them`);
      } else if (t - start < margin) {
        await this.waitUntil(start + margin, (s) => `Waiting ${s} s`);
      }
      if (this.aborted()) break;
      if (o.readCodes === 'display') return this.displayCodes(margin);
      const c1 = await this.readCode(1, identify);
      const left1 = Math.max(0, Math.ceil(((c1.period + 1) * P - this.deviceNow()) / 1000));
      this.emit({ kind: 'code', text: `Code 1: ${c1.code}   (this period ends in ${left1} s; do not submit yet)`, index: 1, code: c1.code, secondsLeft: left1 });
      await this.waitUntil((c1.period + 1) * P + margin, (s) => `Code 2 comes with the next period, in ${s} s`);
      if (this.aborted()) break;
      const c2 = await this.readCode(2, identify);
      if (c2.period === c1.period + 1) {
        const submitByMs = (c2.period + 1) * P - this.offsetMs;
        const within = Math.max(0, Math.floor((submitByMs - o.clock.now()) / 1000));
        this.emit({ kind: 'code', text: `Code 2: ${c2.code}`, index: 2, code: c2.code, secondsLeft: within });
        return { code1: c1.code, code2: c2.code, period1: c1.period, submitByMs };
      }
      if (c2.period <= c1.period) throw new TokenError('BAD_REPLY', 'the token gave code 2 for the same period as code 1: is its clock running?');
      this.emit({ kind: 'warn', text: `code 2 was read ${c2.period - c1.period - 1} period(s) too late (the button was pressed after its period ended); starting over with two new codes` });
    }
    if (this.aborted()) throw new TokenError('INTERRUPTED', 'stopped before both codes were read');
    throw new TokenError('PRESENCE_TIMEOUT', `no two consecutive codes after ${attempts} tries: press the token's button as soon as it asks`);
  }

  /** Codes read off the token's own display: the same timing, without the USB round trip. */
  private async displayCodes(margin: number): Promise<CodePair> {
    const P = this.periodMs;
    const k = Math.floor(this.deviceNow() / P);
    const left = Math.ceil(((k + 1) * P - this.deviceNow()) / 1000);
    this.emit({ kind: 'step', text: `Code 1: type the code the token shows for ${this.name} now into the first box (it changes in ${left} s)` });
    await this.waitUntil((k + 1) * P + margin, (s) => `Code 2 appears on the token in ${s} s`);
    this.emit({ kind: 'step', text: `Code 2: type the new code the token shows for ${this.name} into the second box` });
    return { code1: '', code2: '', submitByMs: (k + 2) * P - this.offsetMs };
  }

  /** Tell the user to submit, and count the window down. */
  async submit(pair: CodePair, service: string): Promise<void> {
    const o = this.o;
    const within = Math.max(0, Math.floor((pair.submitByMs - o.clock.now()) / 1000));
    const codes = o.readCodes === 'display' ? 'both codes' : `both codes (code 1: ${pair.code1}, code 2: ${pair.code2})`;
    this.emit({ kind: 'submit', text: `Enter ${codes} on the ${service} page and submit now, within ${within} seconds.`, code1: pair.code1, code2: pair.code2, withinS: within });
    if (o.countdown === false) return;
    for (;;) {
      const left = pair.submitByMs - o.clock.now();
      if (o.signal?.aborted) return;
      if (left <= 0) break;
      const s = Math.ceil(left / 1000);
      this.emit({ kind: 'tick', text: `${s} s left to submit`, secondsLeft: s });
      await o.clock.sleep(left - (s - 1) * 1000);
    }
    this.emit({ kind: 'expired', text: `Time is up: code 2 has expired. If the ${service} page has not accepted the codes, run the flow again for two fresh codes (--resync).` });
  }
}

function nearbyPeriod(hashes: HashSet, otp: OtpAuth, code: string, atMs: number): number {
  const hash = hashes[otp.algorithm];
  if (!hash) throw new TokenError('UNSUPPORTED_ALGORITHM', `this host has no ${otp.algorithm} implementation`);
  const k = Math.floor(atMs / (otp.period * 1000));
  // The press may straddle a boundary; a token clock off by a little shifts it by one.
  for (const d of [0, -1, 1, -2, 2]) if (k + d >= 0 && hotp(hash, otp.secret, k + d, otp.digits) === code) return k + d;
  throw new TokenError('KEY_CHECK_MISMATCH', "the token's code does not match the key at any time within two periods of now: is the token's clock set right? (totp-token time sync)");
}

/**
 * Store `otp` on the token as `otp.account`, prove it, and time two consecutive codes.
 * `service` names the service in messages ("AWS"). The seed is wiped when done.
 */
export async function enrollAccount(otp: OtpAuth, service: string, o: FlowOptions): Promise<EnrollResult> {
  if (otp.type !== 'totp') throw new TokenError('BAD_INPUT', 'enrollment is for TOTP keys');
  const hashes = o.hashes ?? nodeHashes();
  const hash = hashes[otp.algorithm];
  if (!hash) throw new TokenError('UNSUPPORTED_ALGORITHM', `this host has no ${otp.algorithm} implementation`);
  const flow = new Flow(o, otp.account, otp.period);
  const name = otp.account;
  const expected = keyCheckValue(hash, otp.secret);
  try {
    await flow.checkClock();
    flow.emit({ kind: 'step', text: `Storing the key for ${label(name, otp.issuer)} on the token (${otp.algorithm}, ${otp.digits} digits, ${otp.period} s)` });
    let alreadyStored = false;
    try {
      await o.client.add({ name, issuer: otp.issuer, algorithm: otp.algorithm, digits: otp.digits, period: otp.period, secret: new Uint8Array(otp.secret) });
    } catch (e) {
      if (!(e instanceof TokenError) || e.code !== 'DUPLICATE_NAME') throw e;
      const there = await o.client.keyCheck(name);
      if (there !== toHex(expected)) throw new TokenError('DUPLICATE_NAME', `the token already has an account named '${name}' with a different key: choose another name, or remove that account first`);
      alreadyStored = true;
      flow.emit({ kind: 'step', text: `'${name}' is already on the token with this very key; going on to the codes` });
    }
    // Read the check back as its own request: the stored copy, not the one echoed by ADD.
    const check = await o.client.keyCheck(name);
    if (check !== toHex(expected)) throw new TokenError('KEY_CHECK_MISMATCH', `the token's key check for '${name}' does not match the key: remove the account and enroll again`);
    flow.emit({ kind: 'step', text: `Key check passed: the token holds exactly this key (check ${check}).` });
    const pair = await flow.twoCodes((code, _left, at) => nearbyPeriod(hashes, otp, code, at));
    await flow.submit(pair, service);
    return { ...pair, name, issuer: otp.issuer, check, alreadyStored };
  } finally {
    wipe(expected);
    wipe(otp.secret);
  }
}

/**
 * Two fresh consecutive codes from an account already on the token (AWS's
 * "Resync MFA device" asks for exactly that). Without the seed, each code's
 * period comes from the token's secondsLeft.
 */
export async function resyncAccount(name: string, period: number, service: string, o: FlowOptions): Promise<CodePair> {
  const flow = new Flow(o, name, period);
  await flow.checkClock();
  flow.emit({ kind: 'step', text: `Two consecutive codes from '${name}' for the ${service} resync page` });
  const P = period * 1000;
  const pair = await flow.twoCodes((_code, secondsLeft, at) => Math.round((at + secondsLeft * 1000) / P) - 1);
  await flow.submit(pair, service);
  return pair;
}

