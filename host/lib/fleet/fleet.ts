// Provisioning a fleet: one token per port, all ports at once. Seeds come
// from node:crypto's CSPRNG, sized for the hash (RFC 6238 appendix B: 20,
// 32 and 64 bytes for SHA1/256/512). Each port reports its own progress
// lines; a port that fails is reported and the others go on; the state file
// (state.ts) makes a re-run resume: done ports are skipped, a port that was
// interrupted mid-way is finished with the seeds already on record (the key
// check tells whether the token already holds them).
// When every port is done, the registration files are written from the
// state: PSKC (RFC 6030) and/or Microsoft Entra ID's OATH CSV.
import { randomBytes } from 'node:crypto';
import { unlinkSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { base32Decode, base32Encode } from '../../../protocol/base32.ts';
import { toHex } from '../../../protocol/bytes.ts';
import type { Algorithm, HashSet } from '../../../protocol/hash.ts';
import { keyCheckValue } from '../../../protocol/keycheck.ts';
import { TokenError } from '../errors.ts';
import { entraIncompatibility, writeEntraCsvFile } from '../export/entra-csv.ts';
import type { EntraRow } from '../export/entra-csv.ts';
import { writePskcFile } from '../export/pskc.ts';
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
  add(account: { name: string; issuer: string; algorithm: Algorithm; digits: number; period: number; secret: Uint8Array }): Promise<{ check: string }>;
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
  /** Every port asked for is done. */
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

async function provisionPort(port: string, rec: TokenRecord, o: FleetOptions, save: () => void): Promise<void> {
  const spec = o.spec;
  const say = (t: string): void => o.onProgress(port, t);
  const hashes = o.hashes ?? nodeHashes();
  const hash = hashes[spec.algorithm];
  if (!hash) throw new TokenError('UNSUPPORTED_ALGORITHM', `this host has no ${spec.algorithm} implementation`);
  say(`connecting (token ${rec.number}, serial ${rec.serial})`);
  const client = await o.connect(port);
  try {
    const info = await client.hello();
    rec.board = info.board;
    if (info.algorithms.indexOf(spec.algorithm) < 0) throw new TokenError('UNSUPPORTED_ALGORITHM', `board '${info.board}' cannot compute ${spec.algorithm} (it has ${info.algorithms.join(', ')})`);
    if (!info.clock.set) {
      if (!client.syncTime) throw new TokenError('CLOCK_NOT_SET', "the token's clock is not set");
      await client.syncTime();
      say("clock was not set: set it to this computer's time");
    }
    if (rec.status === 'pending') {
      if (info.slotsFree < spec.accountsPerToken) throw new TokenError('STORAGE_FULL', `the token has ${info.slotsFree} free slots; ${spec.accountsPerToken} needed`);
      rec.accounts = accountsFor(rec, spec);
      rec.status = 'sending';
      save(); // on record before a seed leaves the host
    } else {
      say('resuming: finishing with the seeds on record');
    }
    for (const a of rec.accounts) {
      const secret = base32Decode(a.secret);
      const expected = toHex(keyCheckValue(hash, secret));
      try {
        await client.add({ name: a.name, issuer: spec.issuer, algorithm: spec.algorithm, digits: spec.digits, period: spec.period, secret });
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
  } finally {
    await client.close().catch(() => {});
  }
}

/** Provision every port at once; resumes from the state file. */
export async function provisionFleet(o: FleetOptions): Promise<FleetResult> {
  checkSpec(o.spec);
  if (o.ports.length === 0) throw new TokenError('BAD_INPUT', 'no ports given');
  if (new Set(o.ports).size !== o.ports.length) throw new TokenError('BAD_INPUT', 'a port is listed twice');
  const statePath = resolve(o.statePath);
  const state: FleetState = loadState(statePath, o.spec);
  const save = (): void => saveState(statePath, state);
  // Numbers and serials are fixed before anything runs, in --ports order, so reruns keep them.
  let next = state.tokens.reduce((m, t) => Math.max(m, t.number), 0) + 1;
  for (const port of o.ports) {
    if (state.tokens.some((t) => t.port === port)) continue;
    const number = next++;
    state.tokens.push({ port, number, serial: o.spec.serialPrefix + String(number).padStart(4, '0'), status: 'pending', accounts: [] });
  }
  save();
  const failed: FleetResult['failed'] = [];
  await Promise.all(
    o.ports.map(async (port) => {
      const rec = state.tokens.find((t) => t.port === port) as TokenRecord;
      if (rec.status === 'done') {
        o.onProgress(port, `already done in an earlier run (serial ${rec.serial}); skipped`);
        return;
      }
      try {
        await provisionPort(port, rec, o, save);
      } catch (e) {
        const code = e instanceof TokenError ? e.code : ((e as { code?: string }).code ?? 'FAILURE');
        const message = e instanceof Error ? e.message : String(e);
        failed.push({ port, message, code });
        o.onProgress(port, `FAILED: ${message}`);
      }
    }),
  );
  const done = state.tokens.filter((t) => t.status === 'done').sort((a, b) => a.number - b.number);
  return { done, failed, complete: o.ports.every((p) => state.tokens.find((t) => t.port === p)?.status === 'done'), statePath };
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
      const otp = { type: 'totp' as const, issuer: spec.issuer, account: a.name, secret, algorithm: spec.algorithm, digits: spec.digits, period: spec.period, counter: 0 };
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
    const why = entraIncompatibility({ type: 'totp', issuer: '', account: '', secret: new Uint8Array(0), algorithm: spec.algorithm, digits: spec.digits, period: spec.period, counter: 0 });
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
