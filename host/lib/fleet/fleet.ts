// Provisioning a fleet: one token per port, all ports at once. Seeds come
// from node:crypto's CSPRNG, sized for the hash (RFC 6238 appendix B: 20,
// 32 and 64 bytes for SHA1/256/512). Each port reports its own progress
// lines; a port that fails is reported and the others go on.
// A token is known by the seeds it holds, never by the port it is on: ports
// are renumbered, hubs are re-plugged, tokens get swapped. So each run first
// asks every token, for the account names on record, the key check of what
// it holds under that name, and compares it with the key check of the seed
// on record (the seed itself never leaves the host for this). Then, from the
// state file (state.ts):
// - a token holding a 'done' token's accounts is skipped (all of them must
//   check out, or the port fails: the registration files say it holds them);
// - a token holding an interrupted ('sending') token's accounts is finished
//   with the seeds on record;
// - a token holding none is a new token: next number (or that of a pending
//   record last seen on its port: no seed was recorded for it), fresh seeds.
// An interrupted record's seeds go to the token that holds its accounts and
// to no other: if no port of this run has that token, the record stays
// unfinished and is reported (giving its seeds to another token could leave
// two tokens with one seed). Two ports holding one record's seeds, or one
// token holding two records' seeds, fail those ports: nothing is guessed.
// When every port is done, the registration files are written from the
// state: PSKC (RFC 6030) and/or Microsoft Entra ID's OATH CSV.
import { randomBytes } from 'node:crypto';
import { existsSync, statSync, unlinkSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { base32Decode, base32Encode } from '../../../protocol/base32.ts';
import { toHex } from '../../../protocol/bytes.ts';
import type { Algorithm, Hash, HashSet } from '../../../protocol/hash.ts';
import { keyCheckValue } from '../../../protocol/keycheck.ts';
import { TokenError } from '../errors.ts';
import { buildEntraCsv, entraIncompatibility, writeEntraCsvFile } from '../export/entra-csv.ts';
import type { EntraRow } from '../export/entra-csv.ts';
import { buildPskc, writePskcFile } from '../export/pskc.ts';
import type { PskcEntry, PskcWriteOptions } from '../export/pskc.ts';
import { nodeHashes } from '../hashes/node-hashes.ts';
import { loadState, saveState } from './state.ts';
import type { AccountRecord, FleetSpec, FleetState, TokenRecord } from './state.ts';

export const SEED_BYTES: { [A in Algorithm]: number } = { SHA1: 20, SHA256: 32, SHA512: 64 };
export const MANUFACTURER = 'totp-token';

/** A fresh seed of the size RFC 6238 uses for the hash. */
export function generateSeed(algorithm: Algorithm, bytes = SEED_BYTES[algorithm]): Uint8Array {
  if (!Number.isInteger(bytes) || bytes < 16 || bytes > 64) throw new TokenError('BAD_INPUT', `seed size must be 16 to 64 bytes, got ${bytes}`);
  return new Uint8Array(randomBytes(bytes));
}

/** The part of TokenClient a fleet run uses. */
export interface FleetClient {
  hello(): Promise<{ board: string; algorithms: Algorithm[]; slotsFree: number; clock: { set: boolean } }>;
  add(account: { name: string; issuer: string; algorithm: Algorithm; digits: number; period: number; type?: 'totp' | 'hotp'; counter?: number; secret: Uint8Array }): Promise<{ check: string }>;
  keyCheck(name: string): Promise<string>;
  /** Set the token's clock from the host's; used when the token's is not set. */
  syncTime?(): Promise<unknown>;
  close(): Promise<void>;
}

export interface FleetOptions {
  ports: string[];
  spec: FleetSpec;
  statePath: string;
  connect(port: string): Promise<FleetClient>;
  /** One line about one port. */
  onProgress(port: string, text: string): void;
  hashes?: HashSet;
}

export interface FleetResult {
  /** Every token done so far, this run or earlier ones, in token-number order. */
  done: TokenRecord[];
  failed: { port: string; message: string; code: string }[];
  /**
   * Tokens interrupted in an earlier run whose token is on none of this
   * run's ports: they stay 'sending', their seeds kept for that token alone.
   */
  interrupted: TokenRecord[];
  /** Every port of this run holds a done token. */
  complete: boolean;
  statePath: string;
}

export const DEFAULT_SPEC: FleetSpec = {
  algorithm: 'SHA1',
  digits: 6,
  period: 30,
  accountsPerToken: 1,
  issuer: '',
  nameTemplate: '',
  upnTemplate: '',
  serialPrefix: 'TT-',
};

function fill(template: string, v: { n: number; k: number; serial: string; port: string }): string {
  return template.replace(/\{(n|k|serial|port)\}/g, (_, key: string) => String(v[key as keyof typeof v]));
}

export function checkSpec(spec: FleetSpec): void {
  if (!Number.isInteger(spec.accountsPerToken) || spec.accountsPerToken < 1 || spec.accountsPerToken > 32) throw new TokenError('BAD_INPUT', 'accounts per token must be 1 to 32');
  if (!Number.isInteger(spec.digits) || spec.digits < 6 || spec.digits > 10) throw new TokenError('BAD_INPUT', 'digits must be 6 to 10');
  if (!Number.isInteger(spec.period) || spec.period < 1 || spec.period > 86400) throw new TokenError('BAD_INPUT', 'period must be 1 to 86400 s');
  if (spec.accountsPerToken > 1 && spec.nameTemplate !== '' && !spec.nameTemplate.includes('{k}')) {
    throw new TokenError('BAD_INPUT', 'with several accounts per token the name template needs {k}, so the names differ');
  }
  if (/[,"\s]/.test(spec.serialPrefix)) throw new TokenError('BAD_INPUT', 'the serial prefix may not hold spaces, commas or quotes');
}

/** The account as the files describe it: HOTP accounts start at counter 0. */
function otpOf(spec: FleetSpec, name: string, secret: Uint8Array) {
  const type = spec.type ?? 'totp';
  return { type, issuer: spec.issuer, account: name, secret, algorithm: spec.algorithm, digits: spec.digits, period: spec.period, counter: 0 };
}

/**
 * Everything the registration files need, checked before any token is
 * touched (so a refusal really leaves nothing written): Entra's rules for the
 * CSV, output paths that do not exist yet in folders that do, two different
 * files, and both files built in memory for a first token (template cells a
 * spreadsheet would run, control characters...). writeRegistrationFiles
 * checks the paths again when it writes.
 */
export function checkRegistrationFiles(spec: FleetSpec, to: { pskc?: string; csv?: string; state?: string }): void {
  checkSpec(spec);
  if (to.csv) {
    const why = entraIncompatibility(otpOf(spec, '', new Uint8Array(0)));
    if (why) throw new TokenError('BAD_INPUT', `cannot write the Entra CSV: ${why} (nothing was written, no token was touched)`);
  }
  if (to.pskc && to.csv && resolve(to.pskc) === resolve(to.csv)) throw new TokenError('BAD_INPUT', 'the PSKC and CSV files are the same file');
  for (const p of [to.pskc, to.csv]) {
    if (!p) continue;
    if (to.state && resolve(p) === resolve(to.state)) throw new TokenError('BAD_INPUT', `${resolve(p)} is also the state file`);
    if (existsSync(p)) throw new TokenError('BAD_INPUT', `${resolve(p)} already exists: refusing to overwrite it (nothing was written, no token was touched)`);
    const folder = dirname(resolve(p));
    if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new TokenError('BAD_INPUT', `the folder ${folder} does not exist (nothing was written, no token was touched)`);
  }
  const sample: TokenRecord = { port: '', number: 1, serial: `${spec.serialPrefix}1`, status: 'done', accounts: [] };
  const seed = new Uint8Array(SEED_BYTES[spec.algorithm]).fill(1);
  for (let k = 1; k <= spec.accountsPerToken; k++) {
    const v = { n: 1, k, serial: sample.serial, port: '' };
    const serial = spec.accountsPerToken === 1 ? sample.serial : `${sample.serial}-${k}`;
    sample.accounts.push({ name: spec.nameTemplate ? fill(spec.nameTemplate, v) : serial, serial, upn: spec.upnTemplate ? fill(spec.upnTemplate, v) : '', secret: base32Encode(seed, false) });
  }
  const { pskc, entra } = registrationEntries([sample], spec);
  if (to.pskc) buildPskc(pskc);
  if (to.csv) buildEntraCsv(entra);
}

function accountsFor(rec: TokenRecord, spec: FleetSpec): AccountRecord[] {
  const out: AccountRecord[] = [];
  for (let k = 1; k <= spec.accountsPerToken; k++) {
    const v = { n: rec.number, k, serial: rec.serial, port: rec.port };
    const serial = spec.accountsPerToken === 1 ? rec.serial : `${rec.serial}-${k}`;
    const name = spec.nameTemplate ? fill(spec.nameTemplate, v) : serial;
    const secret = generateSeed(spec.algorithm);
    out.push({ name, serial, upn: spec.upnTemplate ? fill(spec.upnTemplate, v) : '', secret: base32Encode(secret, false) });
    secret.fill(0);
  }
  return out;
}

type TokenInfo = Awaited<ReturnType<FleetClient['hello']>>;

/** A record whose seeds a token holds: the names whose key check matches the seed on record. */
interface Holding {
  rec: TokenRecord;
  held: Set<string>;
}

/** One port's open link, and the records its token holds seeds of. */
interface PortSession {
  port: string;
  client: FleetClient;
  info: TokenInfo;
  holds: Holding[];
  closed: boolean;
}

async function closeSession(s: PortSession): Promise<void> {
  if (s.closed) return;
  s.closed = true;
  await s.client.close().catch(() => {});
}

function errorCode(e: unknown): string {
  return e instanceof TokenError ? e.code : ((e as { code?: string }).code ?? 'FAILURE');
}

/** The key check of every seed on record: tokens are recognised by it, so no seed is sent to find out who is who. */
function recordedChecks(records: TokenRecord[], hash: Hash): Map<AccountRecord, string> {
  const checks = new Map<AccountRecord, string>();
  for (const rec of records) {
    for (const a of rec.accounts) {
      const secret = base32Decode(a.secret);
      checks.set(a, toHex(keyCheckValue(hash, secret)));
      secret.fill(0);
    }
  }
  return checks;
}

/** The token's key check for a name, or null when it has no account of that name. */
async function keyCheckOrNull(client: FleetClient, name: string): Promise<string | null> {
  try {
    return await client.keyCheck(name);
  } catch (e) {
    if (e instanceof TokenError && e.code === 'NOT_FOUND') return null;
    throw e;
  }
}

/** The records this token holds at least one account of, with the seed on record (by key check). */
async function recordsHeld(client: FleetClient, records: TokenRecord[], checks: Map<AccountRecord, string>): Promise<Holding[]> {
  // Name templates without {n} or {serial} give every token the same names: ask once per name.
  const onToken = new Map<string, string | null>();
  const holds: Holding[] = [];
  for (const rec of records) {
    const held = new Set<string>();
    for (const a of rec.accounts) {
      if (!onToken.has(a.name)) onToken.set(a.name, await keyCheckOrNull(client, a.name));
      if (onToken.get(a.name) === checks.get(a)) held.add(a.name);
    }
    if (held.size > 0) holds.push({ rec, held });
  }
  return holds;
}

/** Connect, HELLO, and find out which records (if any) the token on this port is. */
async function openPort(port: string, o: FleetOptions, records: TokenRecord[], checks: Map<AccountRecord, string>): Promise<PortSession> {
  o.onProgress(port, 'connecting');
  const client = await o.connect(port);
  try {
    const info = await client.hello();
    return { port, client, info, holds: await recordsHeld(client, records, checks), closed: false };
  } catch (e) {
    await client.close().catch(() => {});
    throw e;
  }
}

/** Why a port's token cannot be told apart from another: nothing is guessed, the port fails. */
function ambiguity(s: PortSession, claimants: Map<TokenRecord, string[]>): TokenError | null {
  if (s.holds.length > 1) {
    const serials = s.holds.map((h) => h.rec.serial).join(', ');
    return new TokenError('KEY_CHECK_MISMATCH', `the token holds seeds of ${s.holds.length} fleet tokens (serials ${serials}): set it aside and check it (totp-token list) against the state file by hand`);
  }
  const ports = s.holds.length === 1 ? (claimants.get(s.holds[0].rec) as string[]) : [];
  if (ports.length > 1) {
    return new TokenError('KEY_CHECK_MISMATCH', `the tokens on ${ports.join(' and ')} both hold seeds of serial ${s.holds[0].rec.serial}: one seed is on two tokens; set them aside and check them (totp-token list) by hand`);
  }
  return null;
}

/**
 * A record for a token that holds none: a pending one last seen on this port
 * (it holds no seed, so it is nobody's identity, and a port that failed
 * before any seed was recorded keeps its serial), else the next number.
 */
function newRecord(port: string, state: FleetState, spec: FleetSpec): TokenRecord {
  const pending = state.tokens.find((t) => t.status === 'pending' && t.port === port);
  if (pending) return pending;
  const number = state.tokens.reduce((m, t) => Math.max(m, t.number), 0) + 1;
  const rec: TokenRecord = { port, number, serial: spec.serialPrefix + String(number).padStart(4, '0'), status: 'pending', accounts: [] };
  state.tokens.push(rec);
  return rec;
}

/**
 * Which record each port's token is, decided in one synchronous step after
 * every port has answered, in --ports order, so new tokens are numbered in
 * that order and no two ports can take one record.
 */
function assignRecords(sessions: PortSession[], state: FleetState, o: FleetOptions): { assigned: Map<PortSession, TokenRecord>; refused: Map<PortSession, TokenError> } {
  const claimants = new Map<TokenRecord, string[]>();
  for (const s of sessions) for (const h of s.holds) claimants.set(h.rec, [...(claimants.get(h.rec) ?? []), s.port]);
  const assigned = new Map<PortSession, TokenRecord>();
  const refused = new Map<PortSession, TokenError>();
  for (const s of sessions) {
    const why = ambiguity(s, claimants);
    if (why) {
      refused.set(s, why);
      continue;
    }
    const known = s.holds[0]?.rec;
    if (known && known.port !== s.port) o.onProgress(s.port, `this is serial ${known.serial} (recognised by key check; it was on ${known.port} before)`);
    if (known) known.port = s.port; // for information: the port it was last seen on
    assigned.set(s, known ?? newRecord(s.port, state, o.spec));
  }
  return { assigned, refused };
}

/** A done token is skipped only while it still holds every account on record: the registration files say it does. */
function confirmDone(s: PortSession, rec: TokenRecord, say: (t: string) => void): void {
  const held = s.holds[0]?.held ?? new Set<string>();
  const missing = rec.accounts.filter((a) => !held.has(a.name));
  if (missing.length > 0) {
    const more = missing.length > 1 ? ` (and ${missing.length - 1} more)` : '';
    throw new TokenError('KEY_CHECK_MISMATCH', `the token is serial ${rec.serial}, done in an earlier run, but no longer holds '${missing[0].name}'${more} with the seed on record: check it (totp-token list); the registration files would be wrong for it`);
  }
  say(`already done in an earlier run (serial ${rec.serial}), verified by key check; skipped`);
}

/** Fresh names must be free before their seeds go on record: a clash then leaves nothing to resume. */
async function ensureNamesFree(client: FleetClient, accounts: AccountRecord[]): Promise<void> {
  for (const a of accounts) {
    if ((await keyCheckOrNull(client, a.name)) !== null) {
      throw new TokenError('DUPLICATE_NAME', `the token already has an account '${a.name}' with another key: wipe the token (totp-token wipe) or use another name template`);
    }
  }
}

/** Send a pending or interrupted record's seeds to the token that is it, and key-check each. */
async function provisionPort(s: PortSession, rec: TokenRecord, o: FleetOptions, hash: Hash, save: () => void): Promise<void> {
  const spec = o.spec;
  const { client, info } = s;
  const say = (t: string): void => o.onProgress(s.port, t);
  rec.board = info.board;
  if (info.algorithms.indexOf(spec.algorithm) < 0) throw new TokenError('UNSUPPORTED_ALGORITHM', `board '${info.board}' cannot compute ${spec.algorithm} (it has ${info.algorithms.join(', ')})`);
  if (!info.clock.set) {
    if (!client.syncTime) throw new TokenError('CLOCK_NOT_SET', "the token's clock is not set");
    await client.syncTime();
    say("clock was not set: set it to this computer's time");
  }
  if (rec.status === 'pending') {
    say(`new token: token ${rec.number}, serial ${rec.serial}`);
    if (info.slotsFree < spec.accountsPerToken) throw new TokenError('STORAGE_FULL', `the token has ${info.slotsFree} free slots; ${spec.accountsPerToken} needed`);
    const accounts = accountsFor(rec, spec);
    await ensureNamesFree(client, accounts);
    rec.accounts = accounts;
    rec.status = 'sending';
    save(); // on record before a seed leaves the host
  } else {
    say(`holds accounts of token ${rec.number}, serial ${rec.serial} (key check)`);
    say('resuming: finishing with the seeds on record');
  }
  for (const a of rec.accounts) {
    const secret = base32Decode(a.secret);
    const expected = toHex(keyCheckValue(hash, secret));
    try {
      const hotp = spec.type === 'hotp' ? { type: 'hotp' as const, counter: 0 } : {};
      await client.add({ name: a.name, issuer: spec.issuer, algorithm: spec.algorithm, digits: spec.digits, period: spec.period, ...hotp, secret });
    } catch (e) {
      secret.fill(0);
      if (!(e instanceof TokenError) || e.code !== 'DUPLICATE_NAME') throw e;
      if ((await client.keyCheck(a.name)) !== expected) {
        throw new TokenError('DUPLICATE_NAME', `the token already has an account '${a.name}' with another key: wipe the token (totp-token wipe) or use another name template`);
      }
      say(`'${a.name}' was already stored with its seed (an earlier run got that far)`);
    }
    const check = await client.keyCheck(a.name);
    if (check !== expected) throw new TokenError('KEY_CHECK_MISMATCH', `the key check of '${a.name}' does not match the seed sent`);
    say(`stored '${a.name}', key check ${check} ok`);
  }
  rec.status = 'done';
  rec.doneAt = new Date().toISOString();
  save();
  say(`done: serial ${rec.serial}, ${rec.accounts.length} account${rec.accounts.length === 1 ? '' : 's'}`);
}

/** Bring one port's token to 'done': skip it, finish it, or provision it as new. */
async function finishPort(s: PortSession, rec: TokenRecord, o: FleetOptions, hash: Hash, save: () => void): Promise<void> {
  if (rec.status === 'done') confirmDone(s, rec, (t) => o.onProgress(s.port, t));
  else await provisionPort(s, rec, o, hash, save);
}

/** Provision every port at once; resumes from the state file, knowing tokens by the seeds they hold. */
export async function provisionFleet(o: FleetOptions): Promise<FleetResult> {
  checkSpec(o.spec);
  if (o.ports.length === 0) throw new TokenError('BAD_INPUT', 'no ports given');
  if (new Set(o.ports).size !== o.ports.length) throw new TokenError('BAD_INPUT', 'a port is listed twice');
  const hash = (o.hashes ?? nodeHashes())[o.spec.algorithm];
  if (!hash) throw new TokenError('UNSUPPORTED_ALGORITHM', `this host has no ${o.spec.algorithm} implementation`);
  const statePath = resolve(o.statePath);
  const state: FleetState = loadState(statePath, o.spec);
  const save = (): void => saveState(statePath, state);
  const failed: FleetResult['failed'] = [];
  const fail = (port: string, e: unknown): void => {
    const message = e instanceof Error ? e.message : String(e);
    failed.push({ port, message, code: errorCode(e) });
    o.onProgress(port, `FAILED: ${message}`);
  };
  const attempt = async <T>(port: string, work: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await work();
    } catch (e) {
      fail(port, e);
      return undefined;
    }
  };

  // 1. Every port at once: connect, HELLO, and which records its token holds seeds of.
  const recorded = state.tokens.filter((t) => t.status !== 'pending');
  const checks = recordedChecks(recorded, hash);
  const opened = await Promise.all(o.ports.map((port) => attempt(port, () => openPort(port, o, recorded, checks))));
  const sessions = opened.filter((s): s is PortSession => s !== undefined);
  const finished = new Set<string>();
  try {
    // 2. Who is who, decided once every port has answered.
    const { assigned, refused } = assignRecords(sessions, state, o);
    save();
    for (const [s, why] of refused) {
      fail(s.port, why);
      await closeSession(s);
    }
    // 3. Every port at once again: skip, finish or provision.
    await Promise.all(
      [...assigned].map(([s, rec]) =>
        attempt(s.port, async () => {
          try {
            await finishPort(s, rec, o, hash, save);
            finished.add(s.port);
          } finally {
            await closeSession(s);
          }
        }),
      ),
    );
  } finally {
    for (const s of sessions) await closeSession(s);
  }
  const interrupted = unclaimedInterrupted(state, sessions);
  for (const rec of interrupted) {
    o.onProgress(rec.port, `serial ${rec.serial} was interrupted in an earlier run and no token on this run's ports holds its accounts: it stays unfinished, its seeds kept for that token alone; connect it and run again`);
  }
  const done = state.tokens.filter((t) => t.status === 'done').sort((a, b) => a.number - b.number);
  return { done, failed, interrupted, complete: o.ports.every((p) => finished.has(p)), statePath };
}

/** Interrupted records whose token answered on no port of this run (its seeds go to no other token). */
function unclaimedInterrupted(state: FleetState, sessions: PortSession[]): TokenRecord[] {
  const claimed = new Set(sessions.flatMap((s) => s.holds.map((h) => h.rec)));
  return state.tokens.filter((t) => t.status === 'sending' && !claimed.has(t)).sort((a, b) => a.number - b.number);
}

export interface RegistrationFiles {
  pskc?: string;
  csv?: string;
}

/** Registration records for every done token (the seeds come from the state). */
export function registrationEntries(done: TokenRecord[], spec: FleetSpec): { pskc: PskcEntry[]; entra: EntraRow[] } {
  const pskc: PskcEntry[] = [];
  const entra: EntraRow[] = [];
  for (const t of done) {
    for (const a of t.accounts) {
      const secret = base32Decode(a.secret);
      const otp = otpOf(spec, a.name, secret);
      pskc.push({ otp, keyId: a.serial, serial: t.serial, manufacturer: MANUFACTURER, model: t.board ?? '', userId: a.upn });
      entra.push({ upn: a.upn, serial: a.serial, secret, period: spec.period, manufacturer: MANUFACTURER, model: t.board ?? '' });
    }
  }
  return { pskc, entra };
}

/**
 * Write the PSKC and/or Entra CSV files for the done tokens: both or neither
 * (targets are checked first, and a second failure removes the first file).
 */
export function writeRegistrationFiles(done: TokenRecord[], spec: FleetSpec, to: { pskc?: string; csv?: string; pskcOptions?: PskcWriteOptions }): RegistrationFiles {
  if (!to.pskc && !to.csv) return {};
  if (done.length === 0) throw new TokenError('BAD_INPUT', 'no token is done yet: nothing to register');
  if (to.csv) {
    const why = entraIncompatibility(otpOf(spec, '', new Uint8Array(0)));
    if (why) throw new TokenError('BAD_INPUT', `cannot write the Entra CSV: ${why}`);
  }
  for (const p of [to.pskc, to.csv]) {
    if (p && existsSync(p)) throw new TokenError('BAD_INPUT', `${resolve(p)} already exists: refusing to overwrite it (nothing was written)`);
  }
  const { pskc, entra } = registrationEntries(done, spec);
  const out: RegistrationFiles = {};
  try {
    if (to.pskc) out.pskc = writePskcFile(to.pskc, pskc, to.pskcOptions);
    if (to.csv) out.csv = writeEntraCsvFile(to.csv, entra);
    return out;
  } catch (e) {
    if (out.pskc) unlinkSync(out.pskc);
    throw e;
  } finally {
    for (const p of pskc) p.otp.secret.fill(0);
  }
}
