// The command handler: one function per command, each checking its request
// fields before touching state. Nothing here ever puts a seed in a reply.
import { wipe as wipeBytes } from '../protocol/bytes.ts';
import { ALGORITHM_NAMES, CLOCK_SET, CLOCK_UNSET, ERRORS, MIN_SECRET, PROTOCOL_VERSION, TYPE_HOTP, HOST_CLOCK_UNSYNCED, MAX_ROUND_TRIP_MS } from '../protocol/messages.ts';
import { hotpChecked, MAX_COUNTER } from '../protocol/hotp.ts';
import { quote } from './ui/screen.ts';
import { MAX_BODY } from '../protocol/frame.ts';
import { badRequest, refuse } from './refuse.ts';
import { keyCheckValue } from '../protocol/keycheck.ts';
import { secondsLeft, timeStep } from '../protocol/totp.ts';
import type { Fields } from '../protocol/tlv.ts';
import type { Algorithm, Hash } from '../protocol/hash.ts';
import { checkAccount, checkName } from './accounts.ts';
import type { Account, AccountStore } from './accounts.ts';
import type { Ports } from './ports.ts';
import { clockUsable, validTimeMs } from './clock-state.ts';
import { FIRMWARE_VERSION } from './version.ts';
import type { TokenClock } from './clock.ts';
import type { AccessControl } from './access.ts';
import type { CheckedStorage } from './checked-storage.ts';

// A clock change beyond the clock's own error estimate (clock.ts needsConfirm) needs the button: a far-forward clock could harvest future codes.

/** "+5 min", "-40 s", "+2.5 h": how far a TIME_SET moves the clock. */
function clockStep(ms: number): string {
  const a = (ms < 0 ? -ms : ms) / 1000;
  return (ms < 0 ? '-' : '+') + (a < 120 ? Math.round(a) + ' s' : a < 7200 ? Math.round(a / 60) + ' min' : Math.round(a / 360) / 10 + ' h');
}

/**
 * What a command answers: its reply fields, or (confirmFirst) what the
 * display asks to confirm and what runs after the press, whose fields are
 * then the reply. One object rather than a wrapper around the fields: the
 * codec encodes only wire fields, and a confirmation's object is never sent.
 */
export type Outcome = Fields & {
  /** Set when the command needs a button press first: what the display asks to confirm. */
  confirm?: string;
  /** Runs after the press; its fields are the reply. */
  then?: () => Fields;
};

// Request-field readers; every message names the field and what was wrong
// with it. The field's type needs no check here: the body codec gives each
// tag its type (protocol/tlv.ts), so a field present has the right one.
// Fields are read as properties (fields.name), not by a key string, so the
// Espruino build can shorten the keys (esbuild-firmware.ts); `key` is only
// the name the message gives.

/** A field's value; a missing one is an error. */
function required(value: unknown, key: string): unknown {
  if (value === undefined) badRequest("missing field '%'", key);
  return value;
}

/** A number field, or `fallback` when absent. */
function numberOr(value: unknown, fallback: number): number {
  return value === undefined ? fallback : (value as number);
}

export interface Handler {
  handle(command: number, fields: Fields): Outcome;
  codeFor(account: Account, nowMs: number): string;
  /** An HOTP account's next code: the counter is moved on and stored durably before the code is made. */
  nextHotp(account: Account): Fields;
}

/** The ports as the app hands them on: its clock, and the checked storage in place of the raw one (app.ts). */
export type HandlerPorts = Omit<Ports, 'storage'> & { storage: CheckedStorage };

export function createHandler(ports: HandlerPorts, store: AccountStore, clock: TokenClock, access: AccessControl, onChange: () => void): Handler {
  const board = ports.board;

  function hashFor(account: Account): Hash {
    const name = ALGORITHM_NAMES[account.algorithm] as Algorithm;
    const h = ports.hashes[name];
    if (!h || board.algorithms.indexOf(name) < 0) return refuse(ERRORS.UNSUPPORTED_ALGORITHM, '% cannot compute %', board.id, name);
    return h;
  }

  function codeFor(account: Account, nowMs: number): string {
    // TOTP (RFC 6238) is HOTP over the time step; the account was checked by add().
    return hotpChecked(hashFor(account), account.secret, timeStep(Math.floor(nowMs / 1000), account.period, 0), account.digits);
  }

  /** Store the new set of accounts (STORAGE_FAILED keeps the old one), then tell the app. */
  function commit(accounts: Account[]): void {
    store.commit(accounts);
    onChange();
  }

  /** The stored set with `account` replaced by `by`, or without it when there is none. */
  function replace(account: Account, by?: Account): void {
    commit(store.list().map((a) => (a === account ? by : a)).filter((a) => a) as Account[]);
  }

  function nextHotp(account: Account): Fields {
    const used = account.counter || 0;
    const hash = hashFor(account); // before the commit: a refusal must not use up a counter
    if (used >= MAX_COUNTER) badRequest('the HOTP counter is used up');
    if (store.list().indexOf(account) < 0) refuse(ERRORS.NOT_FOUND, 'no account named "%"', account.name);
    // Durable first (commit reads the record back): a power cut after this
    // can skip a code, never show one twice or move the counter back.
    replace(account, Object.assign({}, account, { counter: used + 1 }));
    return { code: hotpChecked(hash, account.secret, used, account.digits), counter: used, type: TYPE_HOTP };
  }

  /** HOTP accounts are only for a host that says it knows them (`type` in its request): an older one would show them as TOTP. */
  function hostKnowsHotp(fields: Fields): void {
    if (!((fields.type as number) >= TYPE_HOTP)) badRequest('the token holds HOTP accounts; this host does not know them: update totp-token');
  }

  function mustFind(fields: Fields): Account {
    const name = required(fields.name, 'name') as string;
    const a = store.find(name);
    if (!a) refuse(ERRORS.NOT_FOUND, 'no account named "%"', name);
    return a as Account;
  }

  function mustBeNew(name: string): void {
    if (store.find(name)) refuse(ERRORS.DUPLICATE_NAME, '"%" exists already', name);
  }

  /** A command that runs only after the button confirms `action`. */
  function confirmFirst(action: string, then: () => Fields): Outcome {
    return { confirm: action, then: then } as unknown as Outcome;
  }


  /** Clock fields shared by HELLO, TIME_GET and TIME_SET. */
  function clockFields(f: Fields): Fields {
    const st = clock.status();
    if ((f.clock = clockUsable(clock) ? CLOCK_SET : CLOCK_UNSET)) { // CLOCK_UNSET is 0
      f.timeMs = Math.floor(clock.nowMs());
      f.errorMs = st.errorMs;
    }
    if (st.syncedAtMs > 0) f.syncedAtMs = Math.floor(st.syncedAtMs);
    f.driftCentiPpm = Math.round(st.driftPpm * 100);
    if ((st.suspectAtMs as number) > 0) {
      f.suspectAtMs = Math.floor(st.suspectAtMs as number);
      f.suspectMs = st.suspectMs;
    }
    return f;
  }

  const storage = ports.storage;
  // Damage a locked host could not be told of. Every UNLOCK, right or wrong,
  // rewrites the password record (its failure count), which leaves two good
  // copies and so clears its health: noted first, it is told with the next
  // info all the same.
  let untold = 0;

  /** What HELLO tells an open session, and UNLOCK once it opened one. */
  function info(f: Fields): Fields {
    let mask = 0;
    for (const name of board.algorithms) mask |= 1 << (ALGORITHM_NAMES.indexOf(name) - 1); // bit n-1 for algorithm n
    f.algorithms = mask;
    f.slotsTotal = board.maxAccounts;
    f.slotsFree = board.maxAccounts - store.list().length;
    f.maxBody = MAX_BODY;
    f.type = TYPE_HOTP; // the highest account type this firmware holds
    f.storageHealth = Math.max(untold, storage.health());
    untold = 0;
    return clockFields(f);
  }

  function hello(): Outcome {
    const f: Fields = { protocol: PROTOCOL_VERSION, firmware: FIRMWARE_VERSION, board: board.id };
    access.hello(f);
    // Locked: only what unlocking needs; the account count and the time wait for UNLOCK.
    return f.locked ? f : info(f);
  }

  function timeSet(fields: Fields): Outcome {
    const ms = required(fields.timeMs, 'timeMs') as number;
    if (!validTimeMs(ms)) badRequest('time % ms is outside 2024..2200', ms);
    if ((fields.roundTripMs as number) > MAX_ROUND_TRIP_MS) badRequest('roundTripMs % is over % ms', fields.roundTripMs, MAX_ROUND_TRIP_MS);
    const apply = (confirmed: boolean): Fields => {
      clock.sync(ms, confirmed, fields.roundTripMs as number | undefined, fields.hostClock === HOST_CLOCK_UNSYNCED);
      onChange();
      return clockFields({});
    };
    if (clockUsable(clock)) {
      // Shown from the token's own time (the trusted anchor's), not from where unconfirmed syncs moved it.
      if (clock.needsConfirm(ms)) return confirmFirst('move clock ' + clockStep(ms - clock.ownMs()), () => apply(true));
    } else if (clock.status().syncedAtMs > 0) {
      // Set before, then lost power: the token has nothing to compare a time
      // with, so whoever is at the device checks it (a host setting a future
      // time could harvest codes). A factory-fresh token's first sync is free.
      return confirmFirst('set clock to ' + new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC', () => apply(true));
    }
    return apply(false);
  }

  function add(fields: Fields): Outcome {
    const name = required(fields.name, 'name') as string;
    const secret = required(fields.secret, 'secret') as Uint8Array;
    const account: Account = {
      name: name,
      issuer: (fields.issuer as string) || '',
      algorithm: numberOr(fields.algorithm, 1),
      digits: numberOr(fields.digits, 6),
      period: numberOr(fields.period, 30),
      secret: secret,
    };
    const type = numberOr(fields.type, 0);
    if (type) {
      account.type = type; // checkAccount refuses any but TYPE_HOTP
      account.counter = numberOr(fields.counter, 0); // at most 2^53 - 1: the codec's limit
    } else if (fields.counter !== undefined) badRequest('a counter is for HOTP accounts only');
    checkAccount(account, MIN_SECRET);
    const hash = hashFor(account); // UNSUPPORTED_ALGORITHM unless this board computes it
    mustBeNew(name);
    const accounts = store.list();
    if (accounts.length >= board.maxAccounts) refuse(ERRORS.STORAGE_FULL, 'all % account slots are used', board.maxAccounts);
    commit(accounts.concat([account]));
    return { check: keyCheckValue(hash, secret) };
  }

  function remove(fields: Fields): Outcome {
    const account = mustFind(fields);
    return confirmFirst('remove ' + quote(account.name), () => {
      replace(account);
      wipeBytes(account.secret);
      return {};
    });
  }

  function rename(fields: Fields): Outcome {
    const account = mustFind(fields);
    const newName = checkName(required(fields.newName, 'newName') as string, 'new name');
    const newIssuer = fields.newIssuer as string | undefined;
    if (newIssuer !== undefined) checkName(newIssuer, 'new issuer', true);
    if (newName !== account.name) mustBeNew(newName);
    const renamed: Account = Object.assign({}, account, { name: newName, issuer: newIssuer === undefined ? account.issuer : newIssuer });
    // The button, with both names shown: codes are asked for by name, so a
    // silent rename could make "send code: bank" send another account's code.
    const issuerPart = newIssuer === undefined ? '' : ', issuer ' + quote(newIssuer);
    return confirmFirst('rename ' + quote(account.name) + ' to ' + quote(newName) + issuerPart, () => {
      replace(account, renamed);
      // The account's fields as the reply, but its secret: a field left undefined is not encoded.
      return Object.assign({}, renamed, { secret: undefined }) as unknown as Fields;
    });
  }

  /** One page of accounts that fits a frame; `next` says where the following page starts. */
  function list(fields: Fields): Outcome {
    const accounts = store.list();
    const n = accounts.length;
    const start = numberOr(fields.start, 0);
    const page: Fields[] = [];
    let bytes = 16;
    let i = start;
    for (; i < n; i++) {
      const a = accounts[i];
      const size = 6 + a.name.length + a.issuer.length + (a.type ? 24 : 12); // the item's, name's and issuer's tag and length bytes, then the numbers'
      if (page.length && bytes + size > MAX_BODY - 32) break;
      if (a.type) hostKnowsHotp(fields); // this page would show it
      page.push(a as unknown as Fields); // encoded as a LIST item: ACCOUNT_FIELDS only, which have no secret
      bytes += size;
    }
    const out: Fields = { account: page, total: n };
    if (i < n) out.next = i;
    return out;
  }

  function code(fields: Fields): Outcome {
    const account = mustFind(fields);
    const hotp = account.type;
    if (hotp) hostKnowsHotp(fields);
    else if (!clockUsable(clock)) refuse(ERRORS.CLOCK_NOT_SET, 'clock not set; run: totp-token time sync');
    return confirmFirst((hotp ? 'send next HOTP code: ' : 'send code: ') + quote(account.name), () => {
      if (hotp) return nextHotp(account);
      const now = clock.nowMs();
      return { code: codeFor(account, now), secondsLeft: secondsLeft(Math.floor(now / 1000), account.period, 0) };
    });
  }

  function wipe(): Outcome {
    // Locked, the count stays on the device: the reply carries the action too.
    return confirmFirst(access.unlocked() ? 'WIPE all ' + store.list().length + ' accounts' : 'WIPE everything', () => {
      const old = store.list();
      commit([]);
      for (const a of old) wipeBytes(a.secret);
      access.clear(); // back to a factory-fresh token
      untold = 0;
      return {};
    });
  }

  // The handlers by command number, as one array literal (index = the
  // number in COMMANDS, fixed by the wire protocol): in the Espruino bundle
  // that costs less than a chain of `if (command === ...)` or an assignment
  // per command. test/firmware/app.test.ts runs every command through it.
  const byCommand: (((fields: Fields) => Outcome) | undefined)[] = [
    undefined, // 0: no command
    hello, // 1 HELLO
    () => clockFields({}), // 2 TIME_GET
    timeSet, // 3 TIME_SET
    add, // 4 ADD
    list, // 5 LIST
    remove, // 6 REMOVE
    rename, // 7 RENAME
    (fields: Fields) => {
      // 8 KEY_CHECK
      const a = mustFind(fields);
      return { check: keyCheckValue(hashFor(a), a.secret) };
    },
    code, // 9 CODE
    wipe, // 10 WIPE
    (fields: Fields) => {
      // 11 UNLOCK
      untold = Math.max(untold, storage.health());
      access.unlock(required(fields.response, 'response') as Uint8Array, clock.nowMs());
      return info({});
    },
    (fields: Fields) => {
      // 12 SET_PASSWORD
      const key = required(fields.accessKey, 'accessKey') as Uint8Array;
      if (key.length < 16) badRequest('access key must be 16..64 bytes'); // at most 64: the field's limit
      return confirmFirst('set USB password', () => (access.setKey(key), {}));
    },
    () => confirmFirst('remove USB password', () => (access.clear(), {})), // 13 CLEAR_PASSWORD
  ];

  function handle(command: number, fields: Fields): Outcome {
    const run = byCommand[command]; // a byte from the frame: a hole or past the end is undefined
    return run ? run(fields) : refuse(ERRORS.UNKNOWN_COMMAND, 'unknown command %', command);
  }

  return { handle: handle, codeFor: codeFor, nextHotp: nextHotp };
}
