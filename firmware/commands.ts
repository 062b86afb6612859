// The command handler: one function per command, each checking its request
// fields before touching state. Nothing here ever puts a seed in a reply.
import { ALGORITHM_IDS, ALGORITHM_NAMES, CLOCK_SET, CLOCK_UNSET, COMMANDS, MAX_ISSUER, MAX_NAME, MAX_SECRET, PROTOCOL_VERSION } from '../protocol/messages.ts';
import { MAX_BODY } from '../protocol/frame.ts';
import { fail } from '../protocol/errors.ts';
import { keyCheckValue } from '../protocol/keycheck.ts';
import { totp, secondsLeft } from '../protocol/totp.ts';
import type { Fields } from '../protocol/tlv.ts';
import type { Algorithm, Hash } from '../protocol/hash.ts';
import type { Account, AccountStore } from './accounts.ts';
import type { Ports } from './ports.ts';
import { clockUsable, EARLIEST_VALID_MS, LATEST_VALID_MS } from './clock-state.ts';
import { FIRMWARE_VERSION } from './version.ts';
import type { TokenClock } from './clock.ts';
import type { AccessControl } from './access.ts';

/** A clock change bigger than this needs the button (a far-forward clock could harvest future codes). */
export const FREE_CLOCK_STEP_MS = 300000;

export interface Outcome {
  fields: Fields;
  /** Set when the command needs a button press first: what the display asks to confirm. */
  confirm?: string;
  /** Runs after the press; its fields are the reply. */
  then?: () => Fields;
}

function field(fields: Fields, key: string, type: string, required: boolean): unknown {
  const v = fields[key];
  if (v === undefined) {
    if (required) fail('BAD_REQUEST', "missing field '" + key + "'");
    return undefined;
  }
  if (typeof v !== type) fail('BAD_REQUEST', "field '" + key + "' has the wrong type");
  return v;
}

function orDefault(v: unknown, fallback: number): number {
  return v === undefined ? fallback : (v as number);
}

function checkName(name: string, what: string, max: number, allowEmpty: boolean): string {
  if (!allowEmpty && name.length === 0) fail('BAD_REQUEST', what + ' is empty');
  if (name.length > max) fail('BAD_REQUEST', what + ' is longer than ' + max + ' bytes');
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 32 || c === 127) fail('BAD_REQUEST', what + ' contains a control character at byte ' + (i + 1));
  }
  return name;
}

export function algorithmMask(algorithms: Algorithm[]): number {
  let mask = 0;
  for (let i = 0; i < algorithms.length; i++) mask |= 1 << (ALGORITHM_IDS[algorithms[i]] - 1);
  return mask;
}

export interface Handler {
  handle(command: number, fields: Fields): Outcome;
  hashFor(account: Account): Hash;
  codeFor(account: Account, nowMs: number): string;
}

export function createHandler(ports: Ports, store: AccountStore, clock: TokenClock, access: AccessControl, onChange: () => void): Handler {
  const board = ports.board;

  function hashFor(account: Account): Hash {
    const name = ALGORITHM_NAMES[account.algorithm] as Algorithm;
    const h = ports.hashes[name];
    if (!h || board.algorithms.indexOf(name) < 0) return fail('UNSUPPORTED_ALGORITHM', 'this board cannot compute ' + name);
    return h;
  }

  function codeFor(account: Account, nowMs: number): string {
    return totp(hashFor(account), account.secret, Math.floor(nowMs / 1000), { period: account.period, digits: account.digits });
  }

  function mustFind(fields: Fields): Account {
    const name = field(fields, 'name', 'string', true) as string;
    const a = store.find(name);
    if (!a) fail('NOT_FOUND', 'no account named "' + name + '"');
    return a as Account;
  }

  function summary(a: Account): Fields {
    return { name: a.name, issuer: a.issuer, algorithm: a.algorithm, digits: a.digits, period: a.period };
  }

  /** Clock fields shared by HELLO, TIME_GET and TIME_SET. */
  function clockFields(f: Fields): Fields {
    const st = clock.status();
    f.clock = clockUsable(clock) ? CLOCK_SET : CLOCK_UNSET;
    if (f.clock === CLOCK_SET) {
      f.timeMs = Math.floor(clock.nowMs());
      f.errorMs = st.errorMs;
    }
    if (st.syncedAtMs > 0) f.syncedAtMs = Math.floor(st.syncedAtMs);
    f.driftCentiPpm = Math.round(st.driftPpm * 100);
    return f;
  }

  function hello(): Outcome {
    const f: Fields = {
      protocol: PROTOCOL_VERSION,
      firmware: FIRMWARE_VERSION,
      board: board.id,
      algorithms: algorithmMask(board.algorithms),
      slotsTotal: board.maxAccounts,
      slotsFree: board.maxAccounts - store.list().length,
      maxBody: MAX_BODY,
    };
    const a = access.hello();
    f.salt = a.salt;
    f.iterations = a.iterations;
    f.locked = a.locked;
    if (a.challenge) f.challenge = a.challenge;
    return { fields: clockFields(f) };
  }

  function timeSet(fields: Fields): Outcome {
    const ms = field(fields, 'timeMs', 'number', true) as number;
    if (ms < EARLIEST_VALID_MS || ms >= LATEST_VALID_MS) fail('BAD_REQUEST', 'time ' + ms + ' ms is outside 2024..2200');
    const apply = (): Fields => {
      clock.setMs(ms);
      onChange();
      return clockFields({});
    };
    if (clockUsable(ports.clock)) {
      const step = ms - ports.clock.nowMs();
      if (step > FREE_CLOCK_STEP_MS || step < -FREE_CLOCK_STEP_MS) {
        const hours = Math.round(step / 360000) / 10;
        return { fields: {}, confirm: 'move clock ' + (hours > 0 ? '+' : '') + hours + ' h', then: apply };
      }
    }
    return { fields: apply() };
  }

  function add(fields: Fields): Outcome {
    const name = checkName(field(fields, 'name', 'string', true) as string, 'name', MAX_NAME, false);
    const issuer = checkName((field(fields, 'issuer', 'string', false) as string) || '', 'issuer', MAX_ISSUER, true);
    const algorithm = orDefault(field(fields, 'algorithm', 'number', false), 1);
    const digits = orDefault(field(fields, 'digits', 'number', false), 6);
    const period = orDefault(field(fields, 'period', 'number', false), 30);
    const secret = field(fields, 'secret', 'object', true) as Uint8Array;
    const algName = ALGORITHM_NAMES[algorithm] as Algorithm;
    if (!algName) fail('BAD_REQUEST', 'unknown algorithm number ' + algorithm);
    if (board.algorithms.indexOf(algName) < 0 || !ports.hashes[algName]) {
      fail('UNSUPPORTED_ALGORITHM', board.id + ' cannot compute ' + algName + ' (it has ' + board.algorithms.join(', ') + ')');
    }
    if (digits < 6 || digits > 10) fail('BAD_REQUEST', 'digits must be 6 to 10, got ' + digits);
    if (period < 1 || period > 86400) fail('BAD_REQUEST', 'period must be 1 to 86400 s, got ' + period);
    if (!(secret instanceof Uint8Array) || secret.length < 1 || secret.length > MAX_SECRET) {
      fail('BAD_REQUEST', 'secret must be 1 to ' + MAX_SECRET + ' bytes');
    }
    if (store.find(name)) fail('DUPLICATE_NAME', 'an account named "' + name + '" exists already');
    const accounts = store.list();
    if (accounts.length >= board.maxAccounts) fail('STORAGE_FULL', 'all ' + board.maxAccounts + ' account slots are used');
    const account: Account = { name: name, issuer: issuer, algorithm: algorithm, digits: digits, period: period, secret: secret };
    store.commit(accounts.concat([account]));
    onChange();
    return { fields: { check: keyCheckValue(hashFor(account), secret) } };
  }

  function remove(fields: Fields): Outcome {
    const account = mustFind(fields);
    return {
      fields: {},
      confirm: 'remove ' + account.name,
      then: () => {
        store.commit(store.list().filter((a) => a !== account));
        account.secret.fill(0);
        onChange();
        return {};
      },
    };
  }

  function rename(fields: Fields): Outcome {
    const account = mustFind(fields);
    const newName = checkName(field(fields, 'newName', 'string', true) as string, 'new name', MAX_NAME, false);
    const newIssuer = field(fields, 'newIssuer', 'string', false) as string | undefined;
    if (newIssuer !== undefined) checkName(newIssuer, 'new issuer', MAX_ISSUER, true);
    if (newName !== account.name && store.find(newName)) fail('DUPLICATE_NAME', 'an account named "' + newName + '" exists already');
    const renamed: Account = {
      name: newName, issuer: newIssuer === undefined ? account.issuer : newIssuer,
      algorithm: account.algorithm, digits: account.digits, period: account.period, secret: account.secret,
    };
    store.commit(store.list().map((a) => (a === account ? renamed : a)));
    onChange();
    return { fields: summary(renamed) };
  }

  /** One page of accounts that fits a frame; `next` says where the following page starts. */
  function list(fields: Fields): Outcome {
    const accounts = store.list();
    const start = orDefault(field(fields, 'start', 'number', false), 0);
    const page: Fields[] = [];
    let bytes = 16;
    let i = start;
    for (; i < accounts.length; i++) {
      const a = accounts[i];
      const size = 2 + 2 + a.name.length + 2 + a.issuer.length + 12;
      if (page.length > 0 && bytes + size > MAX_BODY - 32) break;
      page.push(summary(a));
      bytes += size;
    }
    const out: Fields = { account: page, total: accounts.length };
    if (i < accounts.length) out.next = i;
    return { fields: out };
  }

  function code(fields: Fields): Outcome {
    const account = mustFind(fields);
    if (!clockUsable(ports.clock)) fail('CLOCK_NOT_SET', 'the token clock is not set; run: totp-token time sync');
    return {
      fields: {},
      confirm: 'send code: ' + account.name,
      then: () => {
        const now = ports.clock.nowMs();
        return { code: codeFor(account, now), secondsLeft: secondsLeft(Math.floor(now / 1000), account.period, 0) };
      },
    };
  }

  function wipe(): Outcome {
    return {
      fields: {},
      confirm: 'WIPE all ' + store.list().length + ' accounts',
      then: () => {
        const old = store.list();
        store.commit([]);
        for (let i = 0; i < old.length; i++) old[i].secret.fill(0);
        access.clear(); // back to a factory-fresh token
        onChange();
        return {};
      },
    };
  }

  function handle(command: number, fields: Fields): Outcome {
    if (command === COMMANDS.HELLO) return hello();
    if (command === COMMANDS.TIME_GET) return { fields: clockFields({}) };
    if (command === COMMANDS.TIME_SET) return timeSet(fields);
    if (command === COMMANDS.ADD) return add(fields);
    if (command === COMMANDS.LIST) return list(fields);
    if (command === COMMANDS.REMOVE) return remove(fields);
    if (command === COMMANDS.RENAME) return rename(fields);
    if (command === COMMANDS.KEY_CHECK) {
      const a = mustFind(fields);
      return { fields: { check: keyCheckValue(hashFor(a), a.secret) } };
    }
    if (command === COMMANDS.CODE) return code(fields);
    if (command === COMMANDS.WIPE) return wipe();
    if (command === COMMANDS.UNLOCK) {
      access.unlock(field(fields, 'response', 'object', true) as Uint8Array, clock.nowMs());
      return { fields: {} };
    }
    if (command === COMMANDS.SET_PASSWORD) {
      const key = field(fields, 'accessKey', 'object', true) as Uint8Array;
      if (key.length < 16) fail('BAD_REQUEST', 'access key must be at least 16 bytes');
      return { fields: {}, confirm: 'set USB password', then: () => (access.setKey(key), {}) };
    }
    if (command === COMMANDS.CLEAR_PASSWORD) {
      return { fields: {}, confirm: 'remove USB password', then: () => (access.clear(), {}) };
    }
    return fail('UNKNOWN_COMMAND', 'unknown command ' + command);
  }

  return { handle: handle, hashFor: hashFor, codeFor: codeFor };
}
