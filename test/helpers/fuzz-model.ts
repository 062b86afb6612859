// A model of what the token must answer to one request body, from
// wire-protocol.md ("Bodies", "Commands", "Error codes") and the accounts the
// model knows the token holds. Where the spec leaves the order of checks open,
// the model allows every error that applies. Commands it does not model (newer
// ones) may answer anything but INTERNAL.
import { createHmac } from 'node:crypto';
import { COMMANDS, ERRORS, STATUS_OK, STATUS_WAITING } from '../../protocol/messages.ts';
import { EARLIEST_VALID_MS, LATEST_VALID_MS } from '../../firmware/clock-state.ts';
import type { Reply } from '../../protocol/messages.ts';
import { decodeTlvModel } from './fuzz-wire.ts';
import type { ModelFields } from './fuzz-wire.ts';

export interface ModelAccount {
  name: string;
  issuer: string;
  algorithm: number;
  digits: number;
  period: number;
  seed: Uint8Array;
  /** wire-protocol.md "Account types": added with type 1. */
  hotp?: boolean;
}

export interface ModelState {
  accounts: ModelAccount[];
  slots: number;
  /** The session the last HELLO opened (wire-protocol.md "Sessions"). */
  session?: Uint8Array | null;
}

export interface Expectation {
  /** Ids the reply may carry. */
  ids: number[];
  /** Set when header and fields decode, i.e. the app acts on the request. */
  command: number | null;
  fields: ModelFields;
  /** Statuses the first reply may have. */
  allowed: number[];
  /** The rule that decided, for failure messages. */
  rule: string;
}

const ALGORITHMS = ['', 'sha1', 'sha256', 'sha512'];
const KNOWN_COMMANDS = Object.values(COMMANDS);
const ANY_BUT_INTERNAL = [STATUS_OK, STATUS_WAITING].concat(Object.values(ERRORS).filter((s) => s !== ERRORS.INTERNAL));
/** Commands whose success may legitimately change what is stored. */
export const MUTATING = [COMMANDS.TIME_SET, COMMANDS.ADD, COMMANDS.RENAME, COMMANDS.REMOVE, COMMANDS.WIPE]
  .concat(['UNLOCK', 'SET_PASSWORD', 'CLEAR_PASSWORD'].map((k) => (COMMANDS as Record<string, number>)[k]).filter((c) => c !== undefined));
/** Pending commands the harness may confirm with the button (the rest it cancels). */
export const CONFIRMABLE = [COMMANDS.TIME_SET, COMMANDS.REMOVE, COMMANDS.RENAME, COMMANDS.CODE, COMMANDS.WIPE];

/** wire-protocol.md "Key check": first 8 bytes of HMAC-H(seed, label). */
export function keyCheckModel(algorithm: number, seed: Uint8Array): Buffer {
  return createHmac(ALGORITHMS[algorithm], seed).update('totp-token key check v1').digest().subarray(0, 8);
}

function isName(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && !/[\x00-\x1f\x7f]/.test(v);
}

function hasControl(v: unknown): boolean {
  return typeof v === 'string' && /[\x00-\x1f\x7f]/.test(v);
}

function inRange(v: unknown, lo: number, hi: number): boolean {
  return v === undefined || (typeof v === 'number' && v >= lo && v <= hi);
}

export function findAccount(state: ModelState, name: unknown): ModelAccount | undefined {
  return state.accounts.find((a) => a.name === name);
}

/** Errors that apply to a command's fields; OK only if none does. */
function commandErrors(command: number, f: ModelFields, state: ModelState): number[] | null {
  const errs: number[] = [];
  const need = (ok: boolean, code: number) => ok || errs.push(code);
  const named = () => {
    need(f.name !== undefined, ERRORS.BAD_REQUEST);
    if (f.name !== undefined) need(!!findAccount(state, f.name), ERRORS.NOT_FOUND);
  };
  switch (command) {
    case COMMANDS.HELLO:
    case COMMANDS.PING:
    case COMMANDS.TIME_GET:
    case COMMANDS.LIST:
    case COMMANDS.WIPE:
      break;
    case COMMANDS.TIME_SET:
      need(typeof f.timeMs === 'number' && f.timeMs >= EARLIEST_VALID_MS && f.timeMs < LATEST_VALID_MS, ERRORS.BAD_REQUEST);
      break;
    case COMMANDS.ADD: {
      const secret = f.secret as Uint8Array | undefined;
      need(isName(f.name) && !hasControl(f.issuer), ERRORS.BAD_REQUEST);
      need(inRange(f.algorithm, 1, 3) && inRange(f.digits, 6, 10) && inRange(f.period, 1, 86400), ERRORS.BAD_REQUEST);
      need(!!secret && secret.length >= 10 && secret.length <= 64, ERRORS.BAD_REQUEST); // 80 bits at least
      // "Account types": type 0 or 1; a counter only with type 1.
      need(inRange(f.type, 0, 1) && (f.counter === undefined || f.type === 1), ERRORS.BAD_REQUEST);
      // Which of these wins over a bad field is not specified: allow either.
      if (errs.length > 0) {
        if (findAccount(state, f.name)) errs.push(ERRORS.DUPLICATE_NAME);
        if (state.accounts.length >= state.slots) errs.push(ERRORS.STORAGE_FULL);
      } else {
        need(!findAccount(state, f.name), ERRORS.DUPLICATE_NAME);
        need(state.accounts.length < state.slots, ERRORS.STORAGE_FULL);
      }
      break;
    }
    case COMMANDS.RENAME:
      named();
      need(isName(f.newName) && !hasControl(f.newIssuer), ERRORS.BAD_REQUEST);
      need(f.newName === f.name || !findAccount(state, f.newName), ERRORS.DUPLICATE_NAME);
      break;
    case COMMANDS.REMOVE:
    case COMMANDS.KEY_CHECK:
      named();
      break;
    case COMMANDS.CODE:
      named();
      // "Account types": an HOTP code only for a host whose request says it knows type 1.
      if (errs.length === 0 && findAccount(state, f.name)?.hotp) need((f.type as number) >= 1, ERRORS.BAD_REQUEST);
      break;
    default:
      return null;
  }
  return errs;
}

/** The replies a request body may get when no confirmation is pending. */
export function expectRequest(body: Uint8Array, state: ModelState): Expectation {
  const base = { command: null, fields: {} };
  if (body.length < 3) {
    // Spec: fault replies for unreadable frames use id 0; a short body has at most an id byte.
    return { ...base, ids: body.length > 1 ? [body[1], 0] : [0], allowed: [ERRORS.BAD_REQUEST, ERRORS.BAD_VERSION], rule: 'short header' };
  }
  const ids = [body[1]];
  if (body[1] === 0) return { ...base, ids: [0], allowed: [ERRORS.BAD_REQUEST], rule: 'id 0 is reserved' };
  if (body[0] !== 1) return { ...base, ids, allowed: [ERRORS.BAD_VERSION], rule: 'version ' + body[0] };
  const tlv = decodeTlvModel(body.subarray(3));
  if (!tlv.ok) return { ...base, ids, allowed: [ERRORS.BAD_REQUEST], rule: 'bad fields: ' + tlv.why };
  const command = body[2];
  // Only HELLO is answered outside the session: everything else needs its id.
  const s = tlv.fields.session;
  if (command !== COMMANDS.HELLO && !(s instanceof Uint8Array && state.session && Buffer.from(s).equals(Buffer.from(state.session)))) {
    return { ...base, ids, allowed: [ERRORS.NO_SESSION], rule: 'not in the session' };
  }
  const exp = { ids, command, fields: tlv.fields };
  if (!KNOWN_COMMANDS.includes(command)) return { ...exp, allowed: [ERRORS.UNKNOWN_COMMAND], rule: 'unknown command' };
  const errs = commandErrors(command, tlv.fields, state);
  if (errs === null) return { ...exp, allowed: ANY_BUT_INTERNAL, rule: 'unmodelled command ' + command };
  if (errs.length > 0) return { ...exp, allowed: errs, rule: 'invalid for command ' + command };
  if (command === COMMANDS.LIST && !((tlv.fields.type as number) >= 1)) {
    // "Account types": a LIST page holding an HOTP account is refused to a host that does not know them.
    const start = (tlv.fields.start as number | undefined) ?? 0;
    if (state.accounts[start]?.hotp) return { ...exp, allowed: [ERRORS.BAD_REQUEST], rule: 'HOTP account for an old host' };
    if (state.accounts.slice(start).some((a) => a.hotp)) return { ...exp, allowed: [STATUS_OK, ERRORS.BAD_REQUEST], rule: 'HOTP account maybe on the page' };
  }
  let ok = [STATUS_OK];
  if (command === COMMANDS.REMOVE || command === COMMANDS.WIPE || command === COMMANDS.RENAME) ok = [STATUS_WAITING];
  if (command === COMMANDS.CODE) ok = [STATUS_WAITING, ERRORS.CLOCK_NOT_SET]; // the model does not track the clock
  if (command === COMMANDS.TIME_SET) ok = [STATUS_OK, STATUS_WAITING];
  return { ...exp, allowed: ok, rule: 'valid command ' + command };
}

/** Checks an OK reply to a request (not a confirmation) and updates the model; returns a complaint or null. */
export function applyOk(state: ModelState, exp: Expectation, reply: Reply): string | null {
  const f = exp.fields;
  const check = reply.fields.check;
  if (exp.command === COMMANDS.ADD) {
    const a: ModelAccount = {
      name: f.name as string, issuer: (f.issuer as string | undefined) ?? '', algorithm: (f.algorithm as number | undefined) ?? 1,
      digits: (f.digits as number | undefined) ?? 6, period: (f.period as number | undefined) ?? 30, seed: f.secret as Uint8Array,
    };
    if (f.type === 1) a.hotp = true;
    state.accounts.push(a);
    if (!(check instanceof Uint8Array) || !keyCheckModel(a.algorithm, a.seed).equals(check)) return 'ADD reply has a wrong key check';
  } else if (exp.command === COMMANDS.KEY_CHECK) {
    const a = findAccount(state, f.name) as ModelAccount;
    if (!(check instanceof Uint8Array) || !keyCheckModel(a.algorithm, a.seed).equals(check)) return 'KEY_CHECK does not match the seed';
  }
  return null;
}

/** Checks the OK that follows a confirmed command and updates the model. */
export function applyConfirmed(state: ModelState, exp: Expectation, reply: Reply): string | null {
  if (exp.command === COMMANDS.REMOVE) state.accounts = state.accounts.filter((a) => a.name !== exp.fields.name);
  if (exp.command === COMMANDS.WIPE) state.accounts = [];
  if (exp.command === COMMANDS.RENAME) {
    const f = exp.fields;
    const a = findAccount(state, f.name) as ModelAccount;
    a.name = f.newName as string;
    if (f.newIssuer !== undefined) a.issuer = f.newIssuer as string;
    if (reply.fields.name !== a.name || reply.fields.issuer !== a.issuer) return 'RENAME reply does not show the renamed account';
  }
  if (exp.command === COMMANDS.CODE) {
    const a = findAccount(state, exp.fields.name) as ModelAccount;
    const code = reply.fields.code;
    if (typeof code !== 'string' || !new RegExp('^[0-9]{' + a.digits + '}$').test(code)) return 'CODE gave ' + JSON.stringify(code);
  }
  return null;
}
