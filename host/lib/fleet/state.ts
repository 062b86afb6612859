// The fleet's state file: which token got which serial number and seeds,
// and which are done, so an interrupted or partly failed run resumes where
// it stopped. A token is known by the key checks of the seeds on record
// (fleet.ts), not by the port it is on: a record's port only says where the
// token was last seen. It holds the seeds (they must reach the registration
// files, and a token never gives them back), so it is written like a seed
// file: mode 0600, replaced atomically (temp file + rename) so a crash
// never leaves half of it. Seeds are recorded *before* they are sent: a
// token that got a seed always has it on record.
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Algorithm } from '../../../protocol/hash.ts';
import { TokenError } from '../errors.ts';
import { SEED_FILE_MODE } from '../export/secure-file.ts';

export const STATE_VERSION = 1;

/** What makes two runs the same fleet; a resume must not change it. */
export interface FleetSpec {
  algorithm: Algorithm;
  digits: number;
  period: number;
  accountsPerToken: number;
  issuer: string;
  nameTemplate: string;
  upnTemplate: string;
  serialPrefix: string;
  /** Absent (state files from before HOTP) = totp. HOTP accounts start at counter 0. */
  type?: 'totp' | 'hotp';
}

export interface AccountRecord {
  name: string;
  /** Base32; recorded before the seed is sent. */
  secret: string;
  /** Serial number for registration (the token's, or token-k when it holds several). */
  serial: string;
  upn: string;
}

export interface TokenRecord {
  /**
   * The port the token was last seen on: for information only (a token is
   * known by the seeds it holds). A pending record holds no seed yet, so a
   * new token on this port may take it.
   */
  port: string;
  /** 1-based token number, in the order new tokens were first seen (--ports order within a run). */
  number: number;
  serial: string;
  /** pending: nothing sent; sending: seeds recorded, maybe on the token; done: stored and key-checked. */
  status: 'pending' | 'sending' | 'done';
  board?: string;
  accounts: AccountRecord[];
  doneAt?: string;
}

export interface FleetState {
  version: number;
  spec: FleetSpec;
  tokens: TokenRecord[];
}

export function loadState(path: string, spec: FleetSpec): FleetState {
  if (!existsSync(path)) return { version: STATE_VERSION, spec, tokens: [] };
  let state: FleetState;
  try {
    state = JSON.parse(readFileSync(path, 'utf8')) as FleetState;
  } catch (e) {
    throw new TokenError('BAD_INPUT', `the fleet state file ${path} is not readable JSON (parser details left out: they quote the file, which holds seeds); move it away to start a new fleet`);
  }
  if (state.version !== STATE_VERSION || !state.spec || !Array.isArray(state.tokens)) {
    throw new TokenError('BAD_INPUT', `${path} is not a fleet state file of this version (${STATE_VERSION}): finish that fleet with the totp-token version that started it, or use another state file (--state) to start a new fleet`);
  }
  for (const key of Object.keys(spec) as (keyof FleetSpec)[]) {
    if (state.spec[key] !== spec[key]) {
      throw new TokenError('BAD_INPUT', `${path} belongs to a fleet with ${key} '${state.spec[key]}', not '${spec[key]}': finish that fleet with the same options, or use another state file`);
    }
  }
  return state;
}

/** Replace the state file atomically; 0600 from its first byte. */
export function saveState(path: string, state: FleetState): void {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const data = Buffer.from(JSON.stringify(state, null, 2) + '\n', 'utf8');
  const fd = openSync(temp, 'wx', SEED_FILE_MODE);
  try {
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, path);
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      // closed already
    }
    try {
      unlinkSync(temp);
    } catch {
      // gone already
    }
    throw e;
  } finally {
    data.fill(0);
  }
}
