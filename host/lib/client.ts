// TokenClient: the typed API over the wire protocol, one method per command.
// It knows nothing of argv or consoles (the CLI does); it checks what it can
// before a seed leaves the host (algorithm supported, name lengths), proves
// the device stored the seed with the key check, and wipes seed buffers.
import { answerChallenge, deriveAccessKey } from './access.ts';
import { equalBytes, toHex, wipe } from '../../protocol/bytes.ts';
import type { Algorithm, HashSet } from '../../protocol/hash.ts';
import { keyCheckValue } from '../../protocol/keycheck.ts';
import { ALGORITHM_IDS, ALGORITHM_NAMES, CLOCK_SET, COMMANDS, HOST_CLOCK_SYNCED, HOST_CLOCK_UNSYNCED, MAX_ISSUER, MAX_ROUND_TRIP_MS, MAX_NAME, MAX_SECRET, MIN_SECRET, TYPE_HOTP } from '../../protocol/messages.ts';
import type { HostClockState } from './host-clock.ts';
import { MAX_COUNTER } from '../../protocol/hotp.ts';
import type { Fields } from '../../protocol/tlv.ts';
import { TokenError } from './errors.ts';
import { nodeHashes } from './hashes/node-hashes.ts';
import { HostLink } from './link.ts';
import type { LinkOptions, Waiting } from './link.ts';
import { textFromWire, textToWire, wireLength } from './text.ts';
import type { Transport } from './transport/transport.ts';

export type { Waiting } from './link.ts';

export interface DeviceInfo {
  protocol: number;
  firmware: string;
  board: string;
  algorithms: Algorithm[];
  slotsTotal: number;
  slotsFree: number;
  maxBody: number;
  clock: ClockInfo;
  /** A USB password is set and this session is not unlocked yet. */
  locked: boolean;
  /** The firmware holds HOTP accounts (HELLO's `type`, the highest account type it knows, is 1 or more). */
  hotp: boolean;
  /** The token's storage: 0 ok, 1 a damaged copy was replaced by the generation before (recent changes may be lost), 2 damaged with nothing to recover. */
  storageHealth: number;
}

export interface ClockInfo {
  set: boolean;
  /** The device's time when it answered (absent when not set). */
  timeMs?: number;
  syncedAtMs?: number;
  /** Learned rate error of the device clock, ppm (positive runs fast). */
  driftPpm?: number;
  /** The device's own estimate of its error now, ms. */
  errorMs?: number;
  /** The last sync the device found inconsistent with its clock model: when (UTC ms) and by how much (host minus model, ms). */
  suspectAtMs?: number;
  suspectMs?: number;
}

export interface AccountInfo {
  name: string;
  issuer: string;
  algorithm: Algorithm;
  digits: number;
  /** TOTP's seconds per code; not used by HOTP. */
  period: number;
  /** Absent means TOTP. */
  type?: 'totp' | 'hotp';
  /** HOTP: the counter the next code uses (stored on the token, moved on by every code). */
  counter?: number;
}

export interface NewAccount extends AccountInfo {
  /** The seed. add() takes ownership: the buffer is zeroed once sent. */
  secret: Uint8Array;
}

export interface CodeResult {
  code: string;
  type: 'totp' | 'hotp';
  /** TOTP: seconds until the code changes; 0 for HOTP (its code does not expire by time). */
  secondsLeft: number;
  /** HOTP: the counter this code was made with (the token now holds counter + 1). */
  counter?: number;
}

export interface TimeSync {
  /** Round trip of the TIME_GET used to measure the link, ms. */
  roundTripMs: number;
  /** Device minus host time before the sync (absent if the clock was not set), ms. */
  offsetBeforeMs?: number;
  clock: ClockInfo;
}

export interface ClientOptions extends LinkOptions {
  /** Hashes for the local key check; node:crypto by default. */
  hashes?: HashSet;
}

const num = (f: Fields, key: string): number | undefined => (typeof f[key] === 'number' ? (f[key] as number) : undefined);

function must(f: Fields, key: string): number {
  const v = num(f, key);
  if (v === undefined) throw new TokenError('BAD_REPLY', `the device's reply lacks the '${key}' field`);
  return v;
}

const str = (f: Fields, key: string): string => (typeof f[key] === 'string' ? textFromWire(f[key] as string) : '');

function algorithmsFromMask(mask: number): Algorithm[] {
  return (['SHA1', 'SHA256', 'SHA512'] as Algorithm[]).filter((a) => mask & (1 << (ALGORITHM_IDS[a] - 1)));
}

function clockFrom(f: Fields): ClockInfo {
  const c: ClockInfo = { set: f.clock === CLOCK_SET };
  if (num(f, 'timeMs') !== undefined) c.timeMs = num(f, 'timeMs');
  if (num(f, 'syncedAtMs') !== undefined) c.syncedAtMs = num(f, 'syncedAtMs');
  if (num(f, 'driftCentiPpm') !== undefined) c.driftPpm = (num(f, 'driftCentiPpm') as number) / 100;
  if (num(f, 'errorMs') !== undefined) c.errorMs = num(f, 'errorMs');
  if (num(f, 'suspectAtMs') !== undefined) c.suspectAtMs = num(f, 'suspectAtMs');
  if (num(f, 'suspectMs') !== undefined) c.suspectMs = num(f, 'suspectMs');
  return c;
}

function accountFrom(f: Fields): AccountInfo {
  const alg = ALGORITHM_NAMES[num(f, 'algorithm') ?? 1] as Algorithm | undefined;
  const a: AccountInfo = { name: str(f, 'name'), issuer: str(f, 'issuer'), algorithm: alg || 'SHA1', digits: num(f, 'digits') ?? 6, period: num(f, 'period') ?? 30 };
  const type = num(f, 'type') ?? 0;
  // A type this host does not know would be shown (and its codes read) as something it is not.
  if (type > TYPE_HOTP) throw new TokenError('BAD_REPLY', `account '${a.name}' has type ${type}, which this totp-token does not know: update it`);
  if (type === TYPE_HOTP) {
    a.type = 'hotp';
    a.counter = must(f, 'counter');
  }
  return a;
}

function checkText(text: string, what: string, max: number, allowEmpty: boolean): void {
  const n = wireLength(text);
  if (!allowEmpty && n === 0) throw new TokenError('BAD_INPUT', `${what} is empty`);
  if (n > max) throw new TokenError('BAD_INPUT', `${what} is ${n} bytes in UTF-8; the token keeps at most ${max}`);
  if (/[\u0000-\u001f\u007f]/.test(text)) throw new TokenError('BAD_INPUT', `${what} contains a control character`);
}

export class TokenClient {
  private readonly link: HostLink;
  private readonly hashes: HashSet;
  /** From the last hello(); add() needs the board's algorithms. */
  info: DeviceInfo | null = null;
  private access: { salt: Uint8Array; iterations: number; challenge: Uint8Array | null } | null = null;

  constructor(transport: Transport, opts: ClientOptions = {}) {
    this.link = new HostLink(transport, opts);
    this.hashes = opts.hashes ?? nodeHashes();
  }

  /** Send any command; for tests and commands this class does not wrap yet. */
  request(command: number, fields: Fields, onWaiting?: (w: Waiting) => void): Promise<Fields> {
    return this.link.request(command, fields, onWaiting);
  }

  /**
   * Start a session (this also ends one a previous host left, and whatever it
   * had waiting for the button). A locked token tells only protocol,
   * firmware and board until unlock(), which fills in the rest.
   */
  /**
   * This session's device info: the last HELLO's (and UNLOCK's), or a HELLO
   * when none was said yet. Never a second HELLO in an open session: that
   * starts a new one, which a token with a USB password locks.
   */
  async sessionInfo(): Promise<DeviceInfo> {
    return this.info ?? this.hello();
  }

  async hello(): Promise<DeviceInfo> {
    const f = await this.request(COMMANDS.HELLO, {});
    const locked = num(f, 'locked') === 1;
    this.info = {
      protocol: must(f, 'protocol'),
      firmware: str(f, 'firmware'),
      board: str(f, 'board'),
      algorithms: [],
      slotsTotal: 0,
      slotsFree: 0,
      maxBody: 0,
      clock: { set: false },
      locked,
      hotp: false,
      storageHealth: 0,
    };
    // Firmware before sessions sent all of it even when locked.
    if (!locked || num(f, 'algorithms') !== undefined) this.fillInfo(f);
    this.access = {
      salt: f.salt instanceof Uint8Array ? f.salt : new Uint8Array(0),
      iterations: num(f, 'iterations') ?? 0,
      challenge: f.challenge instanceof Uint8Array ? f.challenge : null,
    };
    return this.info;
  }

  private fillInfo(f: Fields): void {
    if (!this.info) return;
    this.info.algorithms = algorithmsFromMask(must(f, 'algorithms'));
    this.info.slotsTotal = must(f, 'slotsTotal');
    this.info.slotsFree = must(f, 'slotsFree');
    this.info.maxBody = num(f, 'maxBody') ?? 0;
    this.info.clock = clockFrom(f);
    this.info.hotp = (num(f, 'type') ?? 0) >= TYPE_HOTP;
    this.info.storageHealth = num(f, 'storageHealth') ?? 0;
  }

  /** Answer this session's challenge (from hello()) with the password. */
  async unlock(password: string): Promise<void> {
    if (!this.access?.challenge) return;
    const key = await deriveAccessKey(password, this.access.salt, this.access.iterations);
    const response = answerChallenge(key, this.access.challenge);
    key.fill(0);
    this.access.challenge = null;
    const f = await this.request(COMMANDS.UNLOCK, { response });
    if (num(f, 'algorithms') !== undefined) this.fillInfo(f); // what a locked HELLO held back
    if (this.info) this.info.locked = false;
  }

  /** Set (or change) the USB password; the token asks for its button. */
  async setPassword(password: string, onWaiting?: (w: Waiting) => void): Promise<void> {
    if (!this.access || this.access.salt.length === 0) throw new TokenError('BAD_REPLY', 'the token did not send a salt: call hello() first');
    const accessKey = await deriveAccessKey(password, this.access.salt, this.access.iterations);
    try {
      await this.request(COMMANDS.SET_PASSWORD, { accessKey }, onWaiting);
    } finally {
      accessKey.fill(0);
    }
  }

  async clearPassword(onWaiting?: (w: Waiting) => void): Promise<void> {
    await this.request(COMMANDS.CLEAR_PASSWORD, {}, onWaiting);
  }

  async timeGet(): Promise<ClockInfo> {
    return clockFrom(await this.request(COMMANDS.TIME_GET, {}));
  }

  /**
   * Set the device clock; a step beyond the clock's own error estimate (plus 30 s) waits for the button.
   * `roundTripMs`: the round trip measured just before, which tells the device how much to trust this sync;
   * `hostClock`: what this computer's OS says of its own clock (host-clock.ts): an unsynchronized one teaches the token no rate.
   */
  async timeSet(timeMs: number, onWaiting?: (w: Waiting) => void, roundTripMs?: number, hostClock?: HostClockState): Promise<ClockInfo> {
    const fields: Fields = { timeMs: Math.round(timeMs) };
    if (roundTripMs !== undefined) {
      // The device refuses a longer one (it would tell nothing about the time); say why here.
      if (roundTripMs > MAX_ROUND_TRIP_MS) throw new Error(`the device took ${Math.round(roundTripMs)} ms to answer, over ${MAX_ROUND_TRIP_MS} ms: too slow to set its clock by; try again`);
      fields.roundTripMs = Math.max(0, Math.round(roundTripMs));
    }
    if (hostClock === 'synced' || hostClock === 'unsynced') fields.hostClock = hostClock === 'synced' ? HOST_CLOCK_SYNCED : HOST_CLOCK_UNSYNCED;
    return clockFrom(await this.request(COMMANDS.TIME_SET, fields, onWaiting));
  }

  /**
   * Set the device clock to host UTC. A TIME_GET measures the round trip; the
   * TIME_SET then carries the time the device will read it at, i.e. now plus
   * half a round trip (the midpoint of the exchange).
   */
  async syncTime(now: () => number = Date.now, onWaiting?: (w: Waiting) => void, hostClock?: HostClockState): Promise<TimeSync> {
    const t0 = now();
    const before = await this.timeGet();
    const t1 = now();
    const roundTripMs = t1 - t0;
    const result: TimeSync = { roundTripMs, clock: before };
    if (before.set && before.timeMs !== undefined) result.offsetBeforeMs = Math.round(before.timeMs - (t0 + roundTripMs / 2));
    result.clock = await this.timeSet(now() + roundTripMs / 2, onWaiting, roundTripMs, hostClock);
    return result;
  }

  /** Store an account; resolves with the key check the device returned, already verified. */
  async add(account: NewAccount): Promise<{ check: string }> {
    const secret = account.secret;
    try {
      checkText(account.name, 'name', MAX_NAME, false);
      checkText(account.issuer, 'issuer', MAX_ISSUER, true);
      // 80 bits at least: a shorter seed could be found from its key check, which needs no button.
      if (secret.length < MIN_SECRET || secret.length > MAX_SECRET) {
        throw new TokenError('BAD_INPUT', `the key is ${secret.length} bytes (${secret.length * 8} bits); the token takes ${MIN_SECRET} to ${MAX_SECRET} bytes (80 bits at least)`);
      }
      const info = this.info ?? (await this.hello());
      // Refuse before the seed leaves the host, naming what the board can do.
      if (info.algorithms.indexOf(account.algorithm) < 0) {
        throw new TokenError('UNSUPPORTED_ALGORITHM', `board '${info.board}' cannot compute ${account.algorithm} (it has ${info.algorithms.join(', ')})`);
      }
      const hotp = account.type === 'hotp';
      if (hotp) {
        const c = account.counter ?? 0;
        if (!Number.isSafeInteger(c) || c < 0 || c >= MAX_COUNTER) throw new TokenError('BAD_INPUT', `the HOTP counter must be a whole number from 0 to ${MAX_COUNTER - 1}, got ${c}`);
        // A token that predates HOTP ignores the type field (unknown tags are skipped) and would
        // keep the seed as TOTP: wrong codes. So the seed goes only where HELLO said HOTP is known.
        if (!info.hotp) throw new TokenError('UNSUPPORTED_TYPE', `the firmware on '${info.board}' (${info.firmware}) predates HOTP accounts: update it (totp-token flash) to add HOTP keys`);
      }
      const hash = this.hashes[account.algorithm];
      if (!hash) throw new TokenError('UNSUPPORTED_ALGORITHM', `this host has no ${account.algorithm} implementation for the key check`);
      const expected = keyCheckValue(hash, secret);
      const reply = this.request(COMMANDS.ADD, {
        name: textToWire(account.name),
        issuer: account.issuer === '' ? undefined : textToWire(account.issuer),
        algorithm: ALGORITHM_IDS[account.algorithm],
        digits: account.digits,
        period: hotp ? undefined : account.period,
        type: hotp ? TYPE_HOTP : undefined,
        counter: hotp ? (account.counter ?? 0) : undefined,
        secret,
      });
      const got = (await reply).check;
      if (!(got instanceof Uint8Array) || !equalBytes(got, expected)) {
        throw new TokenError('KEY_CHECK_MISMATCH', `the token's key check for '${account.name}' does not match the key sent: remove the account and add it again`);
      }
      return { check: toHex(expected) };
    } finally {
      wipe(secret); // the request has been encoded and sent (or refused) by now
    }
  }

  /** Every account (follows LIST's pages). */
  async list(): Promise<AccountInfo[]> {
    const out: AccountInfo[] = [];
    let start: number | undefined = 0;
    for (let pages = 0; start !== undefined; pages++) {
      if (pages > 256) throw new TokenError('BAD_REPLY', 'the account list does not end');
      // `type`: the highest account type this host knows; a token with HOTP accounts refuses a LIST without it.
      const f: Fields = await this.request(COMMANDS.LIST, start === 0 ? { type: TYPE_HOTP } : { start, type: TYPE_HOTP });
      for (const a of (f.account as Fields[] | undefined) ?? []) out.push(accountFrom(a));
      const next = num(f, 'next');
      if (next !== undefined && next <= start) throw new TokenError('BAD_REPLY', 'the account list goes backwards');
      start = next;
    }
    return out;
  }

  /** Waits for the device's button. */
  async remove(name: string, onWaiting?: (w: Waiting) => void): Promise<void> {
    await this.request(COMMANDS.REMOVE, { name: textToWire(name) }, onWaiting);
  }

  /** Waits for the device's button (the display shows both names). */
  async rename(name: string, newName: string, newIssuer?: string, onWaiting?: (w: Waiting) => void): Promise<AccountInfo> {
    checkText(newName, 'new name', MAX_NAME, false);
    if (newIssuer !== undefined) checkText(newIssuer, 'new issuer', MAX_ISSUER, true);
    const fields: Fields = { name: textToWire(name), newName: textToWire(newName) };
    if (newIssuer !== undefined) fields.newIssuer = textToWire(newIssuer);
    return accountFrom(await this.request(COMMANDS.RENAME, fields, onWaiting));
  }

  /** The device's key check value for an account, hex. */
  async keyCheck(name: string): Promise<string> {
    const f = await this.request(COMMANDS.KEY_CHECK, { name: textToWire(name) });
    if (!(f.check instanceof Uint8Array)) throw new TokenError('BAD_REPLY', "the device's reply lacks the 'check' field");
    return toHex(f.check);
  }

  /** Does the account hold this seed? The seed buffer is zeroed. */
  async verify(name: string, algorithm: Algorithm, secret: Uint8Array): Promise<{ match: boolean; check: string }> {
    let expected: string;
    try {
      const hash = this.hashes[algorithm];
      if (!hash) throw new TokenError('UNSUPPORTED_ALGORITHM', `this host has no ${algorithm} implementation`);
      const v = keyCheckValue(hash, secret);
      expected = toHex(v);
      wipe(v);
    } finally {
      wipe(secret);
    }
    const check = await this.keyCheck(name);
    return { match: check === expected, check };
  }

  /**
   * The current TOTP code, or an HOTP account's next code (the token moves
   * its counter on first; `counter` is the one this code was made with);
   * waits for the device's button.
   */
  async code(name: string, onWaiting?: (w: Waiting) => void): Promise<CodeResult> {
    // `type` tells the token this host knows HOTP: it refuses an HOTP code to a host that does not.
    const f = await this.request(COMMANDS.CODE, { name: textToWire(name), type: TYPE_HOTP }, onWaiting);
    if (typeof f.code !== 'string') throw new TokenError('BAD_REPLY', "the device's reply lacks the 'code' field");
    if (num(f, 'type') === TYPE_HOTP) return { code: f.code, type: 'hotp', secondsLeft: 0, counter: must(f, 'counter') };
    return { code: f.code, type: 'totp', secondsLeft: num(f, 'secondsLeft') ?? 0 };
  }

  /** Erase every account; waits for the device's button. */
  async wipe(onWaiting?: (w: Waiting) => void): Promise<void> {
    await this.request(COMMANDS.WIPE, {}, onWaiting);
  }

  /** Cancel a pending button confirmation on the device (see HostLink.interrupt). */
  interrupt(): Promise<void> {
    return this.link.interrupt();
  }

  get awaitingPresence(): boolean {
    return this.link.awaitingPresence;
  }

  close(): Promise<void> {
    return this.link.close();
  }
}
