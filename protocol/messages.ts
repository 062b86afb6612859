// Wire protocol v1 messages (see wire-protocol.md). A request body is
//   [version][id][command][fields...]
// and a reply body is
//   [version][id][status][fields...]
// where status 0 is success, WAITING (0x80) an interim "waiting for the
// button" reply, and anything else an error code from ERRORS.
import { fail } from './errors.ts';
import { say } from './say.ts';
import { BYTES, decodeFields, encodeFields, LIST, LIST_ITEMS, SIGNED, TEXT, UNSIGNED } from './tlv.ts';
import type { FieldSpec, FieldType, Fields } from './tlv.ts';

export const PROTOCOL_VERSION = 1;

export const MAX_NAME = 64;
export const MAX_ISSUER = 32;
export const MAX_SECRET = 64;
/** Shortest seed accepted: 80 bits, what real services use at least (RFC 4226 asks 128); see KEY_CHECK in wire-protocol.md. */
export const MIN_SECRET = 10;
export const MAX_MESSAGE = 120;


/**
 * A field table entry is a number: its type (tlv.ts's FieldType), plus 8
 * times its max (text and bytes, see FieldSpec). A number rather than a
 * string like 't64' because the Espruino bundle stores one as 1-3 bytes
 * (written as a sum the build folds: a call per entry would ship).
 */
export { LIST, SIGNED, UNSIGNED };

/** Specs for `table`'s keys, tagged from `after` + 1 in the order written. */
export function fieldTable(table: { [key: string]: number }, after: number): FieldSpec[] {
  return Object.keys(table).map((key, i) => ({ tag: after + i + 1, key: key, type: (table[key] & 7) as FieldType, maxLen: table[key] >> 3 }));
}

/**
 * The field table, written compactly because it ships in every firmware
 * bundle: key -> type (UNSIGNED, SIGNED, TEXT, BYTES, LIST) and, for text
 * and bytes, 8 times the field's max (see FieldSpec). Tags count up from 1 in the
 * order written: string keys keep their insertion order (ES2015 and later,
 * and measured on Espruino 2v29). An object literal rather than a string, so
 * the Espruino build can shorten the keys here and where the code reads them
 * alike. wire-protocol.md lists the same table; a test holds them together.
 */
export const FIELDS: FieldSpec[] = fieldTable({
  name: TEXT + 8 * MAX_NAME, issuer: TEXT + 8 * MAX_ISSUER, algorithm: UNSIGNED, digits: UNSIGNED, period: UNSIGNED, secret: BYTES + 8 * MAX_SECRET,
  timeMs: UNSIGNED, newName: TEXT + 8 * MAX_NAME, newIssuer: TEXT + 8 * MAX_ISSUER, check: BYTES + 8 * 32, code: TEXT + 8 * 10, secondsLeft: UNSIGNED, message: TEXT + 8 * MAX_MESSAGE,
  firmware: TEXT + 8 * 32, board: TEXT + 8 * 48, algorithms: UNSIGNED, slotsTotal: UNSIGNED, slotsFree: UNSIGNED, clock: UNSIGNED, protocol: UNSIGNED, maxBody: UNSIGNED, account: LIST,
  timeoutS: UNSIGNED, action: TEXT + 8 * 200, // 'rename "<64 bytes>" to "<64 bytes>", issuer "<32 bytes>"'
  start: UNSIGNED, total: UNSIGNED, next: UNSIGNED, syncedAtMs: UNSIGNED, driftCentiPpm: SIGNED, errorMs: UNSIGNED, challenge: BYTES + 8 * 32, response: BYTES + 8 * 32, salt: BYTES + 8 * 32,
  locked: UNSIGNED, accessKey: BYTES + 8 * 64, iterations: UNSIGNED,
  type: UNSIGNED, counter: UNSIGNED, // 37, 38: HOTP (wire-protocol.md "Account types")
  storageHealth: UNSIGNED, // 39: 0 ok, 1 recovered from an older generation, 2 lost
  roundTripMs: UNSIGNED, suspectAtMs: UNSIGNED, suspectMs: SIGNED, // 40-42: clock
  session: BYTES + 8 * 8, // 43: sessions (wire-protocol.md "Sessions")
  hostClock: UNSIGNED, // 44: TIME_SET: the host's own clock, HOST_CLOCK_*
}, 0);


/** An account's fields (tags 1-5, 37 type, 38 counter), the items of LIST's 'account'. */
export const ACCOUNT_FIELDS: FieldSpec[] = FIELDS.slice(0, 5).concat(FIELDS.slice(36, 38));
LIST_ITEMS.account = ACCOUNT_FIELDS;

export const COMMANDS = {
  HELLO: 1,
  TIME_GET: 2,
  TIME_SET: 3,
  ADD: 4,
  LIST: 5,
  REMOVE: 6,
  RENAME: 7,
  KEY_CHECK: 8,
  CODE: 9,
  WIPE: 10,
  UNLOCK: 11,
  SET_PASSWORD: 12,
  CLEAR_PASSWORD: 13,
  PING: 14,
};

/** TIME_SET's hostClock: the host's OS says its clock is synchronized (NTP), or says it is not; absent or 0: it cannot tell. */
export const HOST_CLOCK_SYNCED = 1;
export const HOST_CLOCK_UNSYNCED = 2;
/** TIME_SET's roundTripMs may be at most this (ms): a slower exchange sets no clock, and a claimed longer one would weigh nothing yet push honest anchors out of the fit. */
export const MAX_ROUND_TRIP_MS = 10000;

export const STATUS_OK = 0;
export const STATUS_WAITING = 0x80;

/** Error codes: the number on the wire and the name the host shows. */
export const ERRORS = {
  BAD_FRAME: 1,
  FRAME_TOO_LONG: 2,
  BAD_VERSION: 3,
  UNKNOWN_COMMAND: 4,
  BAD_REQUEST: 5,
  UNSUPPORTED_ALGORITHM: 6,
  DUPLICATE_NAME: 7,
  STORAGE_FULL: 8,
  NOT_FOUND: 9,
  PRESENCE_TIMEOUT: 10,
  PRESENCE_DENIED: 11,
  BUSY: 12,
  CLOCK_NOT_SET: 13,
  STORAGE_FAILED: 14,
  INTERNAL: 15,
  LOCKED: 16,
  WRONG_PASSWORD: 17,
  NO_SESSION: 18,
};

export function errorName(code: number): string {
  const names = Object.keys(ERRORS) as (keyof typeof ERRORS)[];
  for (let i = 0; i < names.length; i++) if (ERRORS[names[i]] === code) return names[i];
  return 'ERROR_' + code;
}

/** Algorithm numbers on the wire and the capability bitmask (bit n-1 for number n). */
export const ALGORITHM_IDS = { SHA1: 1, SHA256: 2, SHA512: 3 };
export const ALGORITHM_NAMES = ['', 'SHA1', 'SHA256', 'SHA512'];

/** Account types (tag 37); absent means TOTP. In HELLO, CODE and LIST it is the highest type the sender knows. */
export const TYPE_TOTP = 0;
export const TYPE_HOTP = 1;

/** Clock states in HELLO/TIME_GET. */
export const CLOCK_UNSET = 0;
export const CLOCK_SET = 1;

export interface Request {
  id: number;
  command: number;
  fields: Fields;
}

export interface Reply {
  id: number;
  status: number;
  fields: Fields;
}

export function encodeRequest(r: Request): Uint8Array {
  return encodeMessage(r.id, r.command, r.fields);
}

export function encodeReply(r: Reply): Uint8Array {
  return encodeMessage(r.id, r.status, r.fields);
}

/** A body: the header (`kind` is the command or the status) and the fields. */
export function encodeMessage(id: number, kind: number, fields: Fields): Uint8Array {
  return encodeFields(fields, FIELDS, [PROTOCOL_VERSION, id & 255, kind & 255]);
}

function checkHeader(body: Uint8Array): void {
  if (body.length < 3) fail(String(ERRORS.BAD_REQUEST), say('message shorter than the 3-byte header'));
  if (body[0] !== PROTOCOL_VERSION) fail(String(ERRORS.BAD_VERSION), say('protocol version % not supported (want %)', body[0], PROTOCOL_VERSION));
}

/**
 * Decode a request. A wrong version throws with code "3" (ERRORS'
 * BAD_VERSION as a decimal string: the Espruino bundle carries no status
 * names); anything else wrong is a bad request (BAD_REQUEST): a short header
 * says "5", the field codec "TLV" (firmware/link.ts answers any code that is
 * not a status number with BAD_REQUEST). Host readers of a reply's errors
 * (host/lib/link.ts) only count them.
 */
export function decodeRequest(body: Uint8Array): Request {
  checkHeader(body);
  return { id: body[1], command: body[2], fields: decodeFields(body, 3, FIELDS) };
}

export function decodeReply(body: Uint8Array): Reply {
  checkHeader(body);
  return { id: body[1], status: body[2], fields: decodeFields(body, 3, FIELDS) };
}
