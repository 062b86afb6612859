// Wire protocol v1 messages (see wire-protocol.md). A request body is
//   [version][id][command][fields...]
// and a reply body is
//   [version][id][status][fields...]
// where status 0 is success, WAITING (0x80) an interim "waiting for the
// button" reply, and anything else an error code from ERRORS.
import { fail } from './errors.ts';
import { decodeFields, encodeFields, LIST_ITEMS } from './tlv.ts';
import type { FieldSpec, Fields } from './tlv.ts';

export const PROTOCOL_VERSION = 1;

export const MAX_NAME = 64;
export const MAX_ISSUER = 32;
export const MAX_SECRET = 64;

export const ACCOUNT_FIELDS: FieldSpec[] = [
  { tag: 1, key: 'name', type: 'text', max: MAX_NAME },
  { tag: 2, key: 'issuer', type: 'text', max: MAX_ISSUER },
  { tag: 3, key: 'algorithm', type: 'uint', max: 1 },
  { tag: 4, key: 'digits', type: 'uint', max: 1 },
  { tag: 5, key: 'period', type: 'uint', max: 4 },
];

export const FIELDS: FieldSpec[] = ACCOUNT_FIELDS.concat([
  { tag: 6, key: 'secret', type: 'bytes', max: MAX_SECRET },
  { tag: 7, key: 'timeMs', type: 'uint', max: 7 },
  { tag: 8, key: 'newName', type: 'text', max: MAX_NAME },
  { tag: 9, key: 'newIssuer', type: 'text', max: MAX_ISSUER },
  { tag: 10, key: 'check', type: 'bytes', max: 32 },
  { tag: 11, key: 'code', type: 'text', max: 10 },
  { tag: 12, key: 'secondsLeft', type: 'uint', max: 4 },
  { tag: 13, key: 'message', type: 'text', max: 120 },
  { tag: 14, key: 'firmware', type: 'text', max: 32 },
  { tag: 15, key: 'board', type: 'text', max: 48 },
  { tag: 16, key: 'algorithms', type: 'uint', max: 1 },
  { tag: 17, key: 'slotsTotal', type: 'uint', max: 2 },
  { tag: 18, key: 'slotsFree', type: 'uint', max: 2 },
  { tag: 19, key: 'clock', type: 'uint', max: 1 },
  { tag: 20, key: 'protocol', type: 'uint', max: 1 },
  { tag: 21, key: 'maxBody', type: 'uint', max: 2 },
  { tag: 22, key: 'account', type: 'list', max: 0 },
  { tag: 23, key: 'timeoutS', type: 'uint', max: 2 },
  { tag: 24, key: 'action', type: 'text', max: 80 }, // 'send code: ' + a 64-byte name
  { tag: 25, key: 'start', type: 'uint', max: 2 },
  { tag: 26, key: 'total', type: 'uint', max: 2 },
  { tag: 27, key: 'next', type: 'uint', max: 2 },
  { tag: 28, key: 'syncedAtMs', type: 'uint', max: 7 },
  { tag: 29, key: 'driftCentiPpm', type: 'sint', max: 7 },
  { tag: 30, key: 'errorMs', type: 'uint', max: 7 },
  { tag: 31, key: 'challenge', type: 'bytes', max: 32 },
  { tag: 32, key: 'response', type: 'bytes', max: 32 },
  { tag: 33, key: 'salt', type: 'bytes', max: 32 },
  { tag: 34, key: 'locked', type: 'uint', max: 1 },
  { tag: 35, key: 'accessKey', type: 'bytes', max: 64 },
  { tag: 36, key: 'iterations', type: 'uint', max: 4 },
]);
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
};

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
};

export function errorName(code: number): string {
  const names = Object.keys(ERRORS) as (keyof typeof ERRORS)[];
  for (let i = 0; i < names.length; i++) if (ERRORS[names[i]] === code) return names[i];
  return 'ERROR_' + code;
}

/** Algorithm numbers on the wire and the capability bitmask (bit n-1 for number n). */
export const ALGORITHM_IDS = { SHA1: 1, SHA256: 2, SHA512: 3 };
export const ALGORITHM_NAMES = ['', 'SHA1', 'SHA256', 'SHA512'];

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
  return withHeader(r.id, r.command, encodeFields(r.fields, FIELDS));
}

export function encodeReply(r: Reply): Uint8Array {
  return withHeader(r.id, r.status, encodeFields(r.fields, FIELDS));
}

function withHeader(id: number, kind: number, fields: Uint8Array): Uint8Array {
  const out = new Uint8Array(3 + fields.length);
  out[0] = PROTOCOL_VERSION;
  out[1] = id & 255;
  out[2] = kind & 255;
  out.set(fields, 3);
  fields.fill(0);
  return out;
}

function checkHeader(body: Uint8Array): void {
  if (body.length < 3) fail('BAD_REQUEST', 'message shorter than its 3-byte header');
  if (body[0] !== PROTOCOL_VERSION) fail('BAD_VERSION', 'protocol version ' + body[0] + ' is not supported (this side speaks ' + PROTOCOL_VERSION + ')');
}

/** Decode a request; errors carry a code from ERRORS' names. */
export function decodeRequest(body: Uint8Array): Request {
  checkHeader(body);
  let fields: Fields;
  try {
    fields = decodeFields(body, 3, FIELDS);
  } catch (e) {
    return fail('BAD_REQUEST', (e as Error).message);
  }
  return { id: body[1], command: body[2], fields: fields };
}

export function decodeReply(body: Uint8Array): Reply {
  checkHeader(body);
  return { id: body[1], status: body[2], fields: decodeFields(body, 3, FIELDS) };
}
