// A fake token for the enrollment and fleet flows: the EnrollClient/FleetClient
// surface over an in-memory account table, on a virtual clock the test drives.
// Codes come from protocol/ (as the firmware computes them); tests compare
// them with otplib, an independent implementation.
import { toHex } from '../../../protocol/bytes.ts';
import type { Algorithm } from '../../../protocol/hash.ts';
import { keyCheckValue } from '../../../protocol/keycheck.ts';
import { MAX_SECRET, MIN_SECRET } from '../../../protocol/messages.ts';
import { secondsLeft, totp } from '../../../protocol/totp.ts';
import { TokenError } from '../../../host/lib/errors.ts';
import { nodeHashes } from '../../../host/lib/hashes/node-hashes.ts';

export interface VirtualClock {
  t: number;
  now(): number;
  sleep(ms: number): Promise<void>;
}

export function virtualClock(startMs: number): VirtualClock {
  const c: VirtualClock = {
    t: startMs,
    now: () => c.t,
    sleep: async (ms: number) => {
      if (ms < 0) throw new Error(`negative sleep ${ms}`);
      c.t += ms;
    },
  };
  return c;
}

interface Stored {
  secret: Uint8Array;
  algorithm: Algorithm;
  digits: number;
  period: number;
  issuer: string;
  type?: 'totp' | 'hotp';
  counter?: number;
}

export interface CodeCall {
  name: string;
  /** Host time when the request was made (before the press). */
  askedAt: number;
  /** Token time when the button was pressed (the code's moment). */
  pressedAt: number;
  code: string;
}

export class FakeToken {
  readonly accounts = new Map<string, Stored>();
  readonly codeCalls: CodeCall[] = [];
  /** How long the user takes to press, per CODE request in order (ms); the last one repeats. */
  pressDelaysMs = [2000];
  /** Token clock minus host clock. */
  offsetMs = 0;
  clockSet = true;
  slots = 32;
  /** False models firmware before HOTP: its HELLO has no `type`, so TokenClient.add refuses HOTP before sending (host/lib/client.ts, UNSUPPORTED_TYPE). */
  hotp = true;
  constructor(readonly clock: VirtualClock) {}

  async add(a: { name: string; issuer: string; algorithm: Algorithm; digits: number; period: number; type?: 'totp' | 'hotp'; counter?: number; secret: Uint8Array }): Promise<{ check: string }> {
    if (a.type === 'hotp' && !this.hotp) {
      a.secret.fill(0);
      throw new TokenError('UNSUPPORTED_TYPE', `the firmware on 'fake-board' (fake) predates HOTP accounts: update it (totp-token flash) to add HOTP keys`); // TokenClient.add's words
    }
    if (a.secret.length < MIN_SECRET || a.secret.length > MAX_SECRET) {
      a.secret.fill(0);
      throw new TokenError('BAD_INPUT', `the key is ${a.secret.length} bytes`); // as TokenClient.add refuses it (host/lib/client.ts)
    }
    if (this.accounts.has(a.name)) throw new TokenError('DUPLICATE_NAME', `an account named '${a.name}' exists`);
    if (this.accounts.size >= this.slots) throw new TokenError('STORAGE_FULL', 'all slots used');
    this.accounts.set(a.name, { secret: new Uint8Array(a.secret), algorithm: a.algorithm, digits: a.digits, period: a.period, issuer: a.issuer, type: a.type ?? 'totp', counter: a.counter ?? 0 });
    const check = toHex(keyCheckValue(nodeHashes()[a.algorithm]!, a.secret));
    a.secret.fill(0); // as TokenClient does
    return { check };
  }

  async keyCheck(name: string): Promise<string> {
    const s = this.accounts.get(name);
    if (!s) throw new TokenError('NOT_FOUND', `no account named '${name}'`);
    return toHex(keyCheckValue(nodeHashes()[s.algorithm]!, s.secret));
  }

  async code(name: string, onWaiting?: (w: { action: string; timeoutS: number }) => void): Promise<{ code: string; secondsLeft: number }> {
    const s = this.accounts.get(name);
    if (!s) throw new TokenError('NOT_FOUND', `no account named '${name}'`);
    if (!this.clockSet) throw new TokenError('CLOCK_NOT_SET', 'clock not set');
    const askedAt = this.clock.now();
    onWaiting?.({ action: `code ${name}`, timeoutS: 30 });
    const i = Math.min(this.codeCalls.length, this.pressDelaysMs.length - 1);
    this.clock.t += this.pressDelaysMs[i];
    const at = (this.clock.now() + this.offsetMs) / 1000;
    const code = totp(nodeHashes()[s.algorithm]!, s.secret, at, { period: s.period, digits: s.digits });
    this.codeCalls.push({ name, askedAt, pressedAt: at * 1000, code });
    return { code, secondsLeft: secondsLeft(at, s.period, 0) };
  }

  async timeGet(): Promise<{ set: boolean; timeMs?: number }> {
    return this.clockSet ? { set: true, timeMs: this.clock.now() + this.offsetMs } : { set: false };
  }
}

/** A FakeToken with the fleet surface (hello, close) and a way to fail midway. */
export class FakeFleetToken extends FakeToken {
  board = 'fake-board';
  algorithms: Algorithm[] = ['SHA1', 'SHA256', 'SHA512'];
  /** Throw DISCONNECTED on the add after this many successful ones (null: never). */
  failAfterAdds: number | null = null;
  adds = 0;
  closed = 0;
  synced = 0;
  /** Resolve hello after this many ms of real time, so ports overlap. */
  helloDelayMs = 5;

  /** As TokenClient.sessionInfo: this session's facts, without a new HELLO. */
  async sessionInfo(): Promise<{ board: string; algorithms: Algorithm[]; slotsTotal: number }> {
    return { board: this.board, algorithms: this.algorithms, slotsTotal: this.slots };
  }

  async hello(): Promise<{ board: string; algorithms: Algorithm[]; slotsFree: number; clock: { set: boolean } }> {
    await new Promise((r) => setTimeout(r, this.helloDelayMs));
    return { board: this.board, algorithms: this.algorithms, slotsFree: this.slots - this.accounts.size, clock: { set: this.clockSet } };
  }

  override async add(a: Parameters<FakeToken['add']>[0]): Promise<{ check: string }> {
    if (this.failAfterAdds !== null && this.adds >= this.failAfterAdds) {
      a.secret.fill(0);
      throw new TokenError('DISCONNECTED', 'the link closed while a request was in flight');
    }
    const r = await super.add(a);
    this.adds++;
    return r;
  }

  async list(): Promise<{ name: string; issuer: string }[]> {
    return [...this.accounts].map(([name, s]) => ({ name, issuer: s.issuer }));
  }

  async syncTime(): Promise<unknown> {
    this.synced++;
    this.clockSet = true;
    return {};
  }

  async close(): Promise<void> {
    this.closed++;
  }
}
