// An attacker's client, written from protocol/wire-protocol.md alone: bodies
// and fields are built and read byte by byte here, as an independent
// implementation would, so a bug shared by our host library and the firmware
// cannot hide from it. Only the line framing (base64 + CRC-32, frame.ts) is
// borrowed from protocol/: it is what every attack has to get right first.
import { createHash, createHmac } from 'node:crypto';
import { createFrameReader, encodeFrame } from '../../protocol/frame.ts';

/** Field tags (wire-protocol.md, "Bodies"). */
export const TAG = {
  name: 1, issuer: 2, algorithm: 3, digits: 4, period: 5, secret: 6, timeMs: 7, newName: 8, newIssuer: 9, check: 10,
  code: 11, secondsLeft: 12, message: 13, firmware: 14, board: 15, algorithms: 16, slotsTotal: 17, slotsFree: 18,
  clock: 19, protocol: 20, maxBody: 21, account: 22, timeoutS: 23, action: 24, start: 25, total: 26, next: 27,
  syncedAtMs: 28, driftCentiPpm: 29, errorMs: 30, challenge: 31, response: 32, salt: 33, locked: 34, accessKey: 35,
  iterations: 36, type: 37, counter: 38, session: 43,
} as const;

/** Commands (wire-protocol.md, "Commands"). */
export const CMD = {
  HELLO: 1, TIME_GET: 2, TIME_SET: 3, ADD: 4, LIST: 5, REMOVE: 6, RENAME: 7, KEY_CHECK: 8, CODE: 9, WIPE: 10,
  UNLOCK: 11, SET_PASSWORD: 12, CLEAR_PASSWORD: 13, PING: 14,
} as const;

/** Status codes (wire-protocol.md, "Error codes"). */
export const STATUS = {
  OK: 0, WAITING: 0x80, BAD_FRAME: 1, FRAME_TOO_LONG: 2, BAD_REQUEST: 5, NOT_FOUND: 9, PRESENCE_DENIED: 11, BUSY: 12,
  LOCKED: 16, WRONG_PASSWORD: 17, NO_SESSION: 18,
} as const;

export type FieldValue = number | string | Uint8Array;
/** Fields to send, in order: [tag, value]; numbers go as big-endian in the fewest bytes, strings as latin1 bytes. */
export type FieldList = [number, FieldValue][];

export interface RawReply {
  id: number;
  status: number;
  /** Each tag's values, raw, in arrival order. */
  fields: Map<number, Uint8Array[]>;
  body: Uint8Array;
}

function uintBytes(n: number): Uint8Array {
  const out: number[] = [];
  do {
    out.unshift(n % 256);
    n = Math.floor(n / 256);
  } while (n > 0);
  return Uint8Array.from(out);
}

function valueBytes(v: FieldValue): Uint8Array {
  if (typeof v === 'number') return uintBytes(v);
  if (typeof v === 'string') return Uint8Array.from(Buffer.from(v, 'latin1'));
  return v;
}

/** A request body: [version=1][id][command] then [tag][len][value] per field. */
export function requestBody(id: number, command: number, fields: FieldList = []): Uint8Array {
  const parts: number[] = [1, id & 255, command & 255];
  for (const [tag, v] of fields) {
    const b = valueBytes(v);
    parts.push(tag, b.length, ...b);
  }
  return Uint8Array.from(parts);
}

/** A request line ready to write. */
export function requestFrame(id: number, command: number, fields: FieldList = []): string {
  return encodeFrame('>', requestBody(id, command, fields));
}

export function parseReplyBody(body: Uint8Array): RawReply {
  const fields = new Map<number, Uint8Array[]>();
  for (let i = 3; i + 1 < body.length; ) {
    const tag = body[i]!;
    const len = body[i + 1]!;
    const v = body.slice(i + 2, i + 2 + len);
    fields.set(tag, [...(fields.get(tag) ?? []), v]);
    i += 2 + len;
  }
  return { id: body[1]!, status: body[2]!, fields, body };
}

export function uint(r: RawReply, tag: number): number | undefined {
  const v = r.fields.get(tag)?.[0];
  if (!v) return undefined;
  let n = 0;
  for (const b of v) n = n * 256 + b;
  return n;
}

export function text(r: RawReply, tag: number): string | undefined {
  const v = r.fields.get(tag)?.[0];
  return v ? Buffer.from(v).toString('latin1') : undefined;
}

export function bytes(r: RawReply, tag: number): Uint8Array | undefined {
  return r.fields.get(tag)?.[0];
}

/** What one host connection to the token looks like to the attacker. */
export interface Conn {
  write(text: string): Promise<void>;
  onData(handler: (chunk: string) => void): void;
  close(): Promise<void>;
}

/** The button, the passing of time, and new connections: what a test controls about a token. */
export interface Target {
  name: string;
  connect(): Promise<Conn>;
  press(role: 'next' | 'confirm'): Promise<void>;
  /** Let time pass on the token (real time on the simulator, its timers' time in XS). */
  sleep(ms: number): Promise<void>;
  /** A fingerprint of what the display shows now (pixels). */
  screen(): Promise<string>;
  close(): Promise<void>;
}

/**
 * One attacking host: sends frames, collects every reply (also those it did
 * not ask for), remembers the session id a HELLO gave it and adds it to
 * later requests (a token without sessions skips the unknown tag).
 */
export class Attacker {
  readonly replies: RawReply[] = [];
  session: Uint8Array | undefined;
  private nextId = 1;

  private constructor(readonly conn: Conn, readonly target: Target) {
    const reader = createFrameReader('<', (body) => this.replies.push(parseReplyBody(body)), () => this.replies.push({ id: -1, status: -1, fields: new Map(), body: new Uint8Array(0) }));
    conn.onData((chunk) => reader.push(chunk));
  }

  static async connect(target: Target): Promise<Attacker> {
    return new Attacker(await target.connect(), target);
  }

  id(): number {
    const id = this.nextId;
    this.nextId = id >= 255 ? 1 : id + 1;
    return id;
  }

  /** The frame for a request, with this host's session id added unless `noSession`. */
  frame(command: number, fields: FieldList = [], opts: { id?: number; noSession?: boolean } = {}): { id: number; text: string } {
    const id = opts.id ?? this.id();
    const all: FieldList = this.session && !opts.noSession && command !== CMD.HELLO ? [...fields, [TAG.session, this.session]] : fields;
    return { id, text: requestFrame(id, command, all) };
  }

  /** Send a request and wait for its first reply (WAITING counts); undefined if none came within `ms`. */
  async send(command: number, fields: FieldList = [], opts: { id?: number; noSession?: boolean; ms?: number } = {}): Promise<RawReply | undefined> {
    const f = this.frame(command, fields, opts);
    await this.conn.write(f.text);
    return this.waitFor((r) => r.id === f.id, opts.ms);
  }

  /** HELLO; keeps the session id it returns. */
  async hello(): Promise<RawReply> {
    const r = await this.send(CMD.HELLO);
    if (!r || r.status !== STATUS.OK) throw new Error(`${this.target.name}: HELLO failed (${r?.status})`);
    this.session = bytes(r, TAG.session);
    return r;
  }

  /** Waits (on the target's time) for a reply matching `pred` among those received from now... or already received after `from`. */
  async waitFor(pred: (r: RawReply) => boolean, ms = 2000, from = 0): Promise<RawReply | undefined> {
    for (let waited = 0; ; waited += 20) {
      const hit = this.replies.slice(from).find(pred);
      if (hit || waited >= ms) return hit;
      await this.target.sleep(20);
    }
  }

  /** Any reply received so far that carries a code. */
  codes(): string[] {
    return this.replies.map((r) => text(r, TAG.code)).filter((c): c is string => c !== undefined);
  }

  close(): Promise<void> {
    return this.conn.close();
  }
}

/** HMAC-SHA1(key, challenge): the UNLOCK response (wire-protocol.md, "USB password"). */
export function unlockResponse(key: Uint8Array, challenge: Uint8Array): Uint8Array {
  return Uint8Array.from(createHmac('sha1', key).update(challenge).digest());
}

/** The key check (wire-protocol.md, "Key check"). */
export function keyCheck(algorithm: 'sha1' | 'sha256' | 'sha512', seed: Uint8Array): Uint8Array {
  return Uint8Array.from(createHmac(algorithm, seed).update('totp-token key check v1').digest().subarray(0, 8));
}

/** A deterministic seed of `n` bytes for tests. */
export function seed(n: number, label = 'seed'): Uint8Array {
  return Uint8Array.from(createHash('sha512').update(label).digest().subarray(0, n));
}

/**
 * A host that gets a token ready: HELLO, clock set, accounts added. Returns
 * the attacker (still connected, session open).
 */
export async function provision(target: Target, accounts: string[], timeMs = Date.now()): Promise<Attacker> {
  const a = await Attacker.connect(target);
  await a.hello();
  const t = await a.send(CMD.TIME_SET, [[TAG.timeMs, timeMs]]);
  if (t?.status === STATUS.WAITING) {
    await target.sleep(1200);
    await target.press('confirm');
    await a.send(CMD.PING, [], { ms: 500 });
  }
  for (const name of accounts) {
    const r = await a.send(CMD.ADD, [[TAG.name, name], [TAG.algorithm, 1], [TAG.digits, 6], [TAG.period, 30], [TAG.secret, seed(20, name)]]);
    if (r?.status !== STATUS.OK) throw new Error(`${target.name}: ADD ${JSON.stringify(name)} failed (${r?.status}: ${r && text(r, TAG.message)})`);
  }
  return a;
}
