// What the fuzz tests throw at the token, as fast-check arbitraries of plain
// data (so failures shrink and print), and the builders that turn that data
// into link text once the accounts on the token are known:
//   raw      random bytes, biased towards markers, newlines and base64;
//   line     a valid request frame with its text mutated (bit flips, cuts, ...);
//   reframed a valid request body mutated, then framed with a good CRC, so the
//            field decoder itself is exercised;
//   request  a well-framed request with random command, tags and values.
import fc from 'fast-check';
import { encodeFrame, MAX_LINE, REQUEST_MARKER } from '../../protocol/frame.ts';
import { COMMANDS, encodeRequest, FIELDS } from '../../protocol/messages.ts';
import type { FieldSpec, Fields } from '../../protocol/tlv.ts';
import { BYTES, SIGNED, TEXT, UNSIGNED } from '../../protocol/tlv.ts';
import { EARLIEST_VALID_MS, LATEST_VALID_MS } from '../../firmware/clock-state.ts';

/** What a builder needs to aim inputs at real accounts. */
export interface BuildContext {
  names: string[];
  nowMs: number;
  /** The host's session id (wire-protocol.md "Sessions"), added to requests other than HELLO. */
  session?: Uint8Array;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=';
const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');
const pick = <T>(list: T[], i: number): T => list[i % list.length];

const anyChar = fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c));
const linkChar = fc.oneof(
  { weight: 6, arbitrary: anyChar },
  { weight: 4, arbitrary: fc.constantFrom(...B64.split('')) },
  { weight: 1, arbitrary: fc.constantFrom('>', '\n', '\r', '<', '\x03', '\x10', '\u20ac') },
);
const printableChar = fc.integer({ min: 32, max: 126 }).map((c) => String.fromCharCode(c));

/** Names as the token keeps them: byte strings, printable ASCII or UTF-8 bytes, no controls. */
export const nameArb = (max: number, min = 1) =>
  fc.string({ unit: fc.oneof({ weight: 4, arbitrary: printableChar }, { weight: 1, arbitrary: fc.integer({ min: 128, max: 255 }).map((c) => String.fromCharCode(c)) }), minLength: min, maxLength: max });

/** Numbers around every limit in the spec, plus anything up to 2^53. */
export const numberArb = fc.oneof(
  fc.constantFrom(0, 1, 2, 3, 4, 5, 6, 8, 10, 11, 29, 30, 31, 255, 256, 86400, 86401, 65535, 2 ** 31 - 1, 2 ** 32, 2 ** 53 - 1),
  fc.constantFrom(EARLIEST_VALID_MS - 1, EARLIEST_VALID_MS, 1767225600000, LATEST_VALID_MS - 1, LATEST_VALID_MS),
  fc.nat(100),
  fc.maxSafeNat(),
);

/** (a) Random text for the link: bytes, printable lines, long lines around the size limit. */
export const rawTextArb = fc.oneof(
  fc.array(linkChar, { maxLength: 120 }).map((a) => a.join('')),
  fc.uint8Array({ maxLength: 200 }).map(latin1),
  fc.array(fc.tuple(fc.boolean(), fc.array(printableChar, { maxLength: 60 })), { maxLength: 5 })
    .map((lines) => lines.map(([framed, l]) => (framed ? '>' : '') + l.join('') + '\n').join('')),
  fc.tuple(fc.integer({ min: MAX_LINE - 4, max: MAX_LINE + 3 }), fc.constantFrom('A', 'Q', '='), fc.boolean())
    .map(([n, ch, nl]) => '>' + ch.repeat(n) + (nl ? '\n' : '')),
);

export interface TemplateSpec {
  which: number;
  pick: number;
  id: number;
  num: number;
  text: string;
  bytes: Uint8Array;
}

const templateArb: fc.Arbitrary<TemplateSpec> = fc.record({
  which: fc.nat(10),
  pick: fc.nat(),
  id: fc.integer({ min: 1, max: 255 }),
  num: numberArb,
  text: fc.oneof(nameArb(64), nameArb(64, 30)),
  bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }),
});

/** A valid request aimed at the token's accounts. */
export function templateBody(t: TemplateSpec, ctx: BuildContext): Uint8Array {
  const existing = ctx.names.length > 0 ? pick(ctx.names, t.pick) : t.text;
  const algorithm = 1 + (t.pick % 3);
  const requests: [number, Fields][] = [
    [COMMANDS.HELLO, {}],
    [COMMANDS.TIME_GET, {}],
    [COMMANDS.TIME_SET, { timeMs: t.pick % 2 ? ctx.nowMs + (t.num % 1000000) - 500000 : EARLIEST_VALID_MS + (t.num % (LATEST_VALID_MS - EARLIEST_VALID_MS)) }],
    [COMMANDS.ADD, { name: t.pick % 3 === 0 ? existing : t.text, issuer: t.text.slice(0, 32), algorithm, digits: 6 + (t.num % 5), period: 1 + (t.num % 86400), secret: t.bytes }],
    [COMMANDS.LIST, { start: t.num % 10 }],
    [COMMANDS.REMOVE, { name: existing }],
    [COMMANDS.RENAME, t.pick % 2 ? { name: existing, newName: t.text } : { name: existing, newName: t.text, newIssuer: t.text.slice(0, 32) }],
    [COMMANDS.KEY_CHECK, { name: existing }],
    [COMMANDS.CODE, { name: existing }],
    [COMMANDS.WIPE, {}],
    [(COMMANDS as Record<string, number>).UNLOCK ?? 11, { response: t.bytes.subarray(0, 32) }],
  ];
  const [command, fields] = requests[t.which % requests.length];
  return encodeRequest({ id: t.id, command, fields: ctx.session && command !== COMMANDS.HELLO ? { ...fields, session: ctx.session } : fields });
}

export interface Mutation {
  op: number;
  at: number;
  span: number;
  bit: number;
  text: string;
}

export const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  op: fc.nat(7),
  at: fc.nat(),
  span: fc.integer({ min: 1, max: 12 }),
  bit: fc.nat(7),
  text: fc.oneof(fc.array(linkChar, { minLength: 1, maxLength: 8 }).map((a) => a.join('')), fc.uint8Array({ minLength: 1, maxLength: 8 }).map(latin1)),
});

/** Text mutations inside the frame (between marker and newline). Codes ≥ 256 are folded to bytes. */
export function mutateText(s: string, m: Mutation): string {
  const at = s.length === 0 ? 0 : m.at % (s.length + 1);
  const end = Math.min(s.length, at + m.span);
  switch (m.op) {
    case 0: // bit flip
      return at >= s.length ? s : s.slice(0, at) + String.fromCharCode((s.charCodeAt(at) ^ (1 << m.bit)) & 255) + s.slice(at + 1);
    case 1: // truncate
      return s.slice(0, at);
    case 2: // insert
      return s.slice(0, at) + m.text + s.slice(at);
    case 3: // delete
      return s.slice(0, at) + s.slice(end);
    case 4: // duplicate a slice in place
      return s.slice(0, end) + s.slice(at, end) + s.slice(end);
    case 5: // swap in a base64 character: passes the alphabet, fails the CRC
      return at >= s.length ? s : s.slice(0, at) + B64[(s.charCodeAt(at) + m.bit + 1) % 64] + s.slice(at + 1);
    case 6: // overwrite
      return s.slice(0, at) + m.text + s.slice(at + m.text.length);
    default: // move a slice to the end
      return s.slice(0, at) + s.slice(end) + s.slice(at, end);
  }
}

/** The same mutations on a body, plus ones aimed at field headers. */
export function mutateBody(body: Uint8Array, m: Mutation): Uint8Array {
  const s = latin1(body);
  if (m.op === 7) {
    // Rewrite a field's length byte (or its tag): the decoder must bounds-check both.
    const headers: number[] = [];
    for (let i = 3; i + 1 < body.length; i += 2 + body[i + 1]) headers.push(i);
    if (headers.length === 0) return body;
    const out = new Uint8Array(body);
    const h = pick(headers, m.at) + (m.bit & 1);
    out[h] = m.bit & 2 ? out[h] + m.span : m.text.charCodeAt(0) & 255;
    return out;
  }
  return new Uint8Array(Buffer.from(mutateText(s, m), 'latin1'));
}

export type FrameSpec =
  | { kind: 'raw'; text: string }
  | { kind: 'line'; template: TemplateSpec; mutations: Mutation[]; newline: boolean }
  | { kind: 'reframed'; template: TemplateSpec; mutations: Mutation[] }
  | { kind: 'request'; request: RequestSpec };

/** (b) A valid frame, mutated in its text or, re-framed with a good CRC, in its body. */
export const mutatedFrameArb: fc.Arbitrary<FrameSpec> = fc.oneof(
  fc.record({ kind: fc.constant('line' as const), template: templateArb, mutations: fc.array(mutationArb, { maxLength: 3 }), newline: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }) }),
  fc.record({ kind: fc.constant('reframed' as const), template: templateArb, mutations: fc.array(mutationArb, { minLength: 1, maxLength: 3 }) }),
);

export type ValueSpec =
  | { kind: 'typed'; num: number; width: number; text: string; bytes: Uint8Array }
  | { kind: 'account'; pick: number }
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'long'; length: number; fill: number };

export interface FieldGen {
  /** A tag: 0..255, or (when `relevant`) an index into the command's own fields. */
  tag: number;
  relevant: boolean;
  value: ValueSpec;
  /** Added to the true length byte (0 most of the time). */
  lengthDelta: number;
}

export interface RequestSpec {
  /** 'own': the command's own fields once each, in range of their size limits; 'any': the field list as given. */
  shape: 'own' | 'any';
  version: number;
  id: number;
  command: number;
  fields: FieldGen[];
  tail: Uint8Array;
}

const valueArb: fc.Arbitrary<ValueSpec> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('typed' as const), num: numberArb, width: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 10 }) }), text: fc.oneof(nameArb(70), fc.constant(''), fc.uint8Array({ maxLength: 70 }).map(latin1)), bytes: fc.uint8Array({ maxLength: 70 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('account' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bytes' as const), bytes: fc.uint8Array({ maxLength: 12 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('long' as const), length: fc.integer({ min: 0, max: 255 }), fill: fc.integer({ min: 0, max: 255 }) }) },
);

const fieldArb: fc.Arbitrary<FieldGen> = fc.record({
  tag: fc.oneof({ weight: 3, arbitrary: fc.nat(8) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) }),
  relevant: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  value: valueArb,
  lengthDelta: fc.oneof({ weight: 20, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: -3, max: 3 }) }),
});

/** (c) Well-framed requests: mostly known commands and their own fields, anything else sometimes. */
export const requestArb: fc.Arbitrary<FrameSpec> = fc.record({
  kind: fc.constant('request' as const),
  request: fc.record({
    shape: fc.constantFrom('own' as const, 'any' as const),
    version: fc.oneof({ weight: 15, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) }),
    id: fc.integer({ min: 0, max: 255 }),
    command: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 13 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) }),
    fields: fc.array(fieldArb, { maxLength: 7 }),
    tail: fc.oneof({ weight: 15, arbitrary: fc.constant(new Uint8Array(0)) }, { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 3 }) }),
  }),
});

const COMMAND_KEYS: { [command: number]: string[] } = {
  [COMMANDS.TIME_SET]: ['timeMs'],
  [COMMANDS.ADD]: ['name', 'issuer', 'algorithm', 'digits', 'period', 'secret', 'type', 'counter'],
  [COMMANDS.LIST]: ['start', 'type'],
  [COMMANDS.REMOVE]: ['name'],
  [COMMANDS.RENAME]: ['name', 'newName', 'newIssuer'],
  [COMMANDS.KEY_CHECK]: ['name'],
  [COMMANDS.CODE]: ['name', 'type'],
};
const tagOf = (key: string) => (FIELDS.find((f) => f.key === key) as { tag: number }).tag;

/** Big-endian bytes of n, at least `width` long (leading zeros), minimal when width is 0. */
function uintBytes(n: number, width: number): number[] {
  const out: number[] = [];
  let v = BigInt(Math.abs(Math.floor(n)));
  do {
    out.unshift(Number(v & 255n));
    v >>= 8n;
  } while (v > 0n);
  while (out.length < width) out.unshift(0);
  return out;
}

function valueBytes(tag: number, v: ValueSpec, ctx: BuildContext): number[] {
  if (v.kind === 'account') return ctx.names.length > 0 ? Array.from(Buffer.from(pick(ctx.names, v.pick), 'latin1')) : [];
  if (v.kind === 'bytes') return Array.from(v.bytes);
  if (v.kind === 'long') return new Array(v.length).fill(v.fill);
  const spec = FIELDS.find((f) => f.tag === tag);
  if (!spec || spec.type === UNSIGNED || spec.type === SIGNED) return uintBytes(v.num, v.width);
  if (spec.type === TEXT) return Array.from(Buffer.from(v.text, 'latin1'));
  if (spec.type === BYTES) return Array.from(v.bytes);
  // A list item: account fields built from the same data.
  return [1, v.text.length & 255].concat(Array.from(Buffer.from(v.text.slice(0, 255), 'latin1')), [4, 1, v.num & 255]);
}

export function requestBody(r: RequestSpec, ctx: BuildContext): Uint8Array {
  const out = [r.version, r.id, r.command];
  // The session first, where fuzzed fields cannot swallow it; one request in eight goes without.
  if (ctx.session && r.command !== COMMANDS.HELLO && r.id % 8 !== 0) out.push(FIELDS.find((f) => f.key === 'session')!.tag, ctx.session.length, ...ctx.session);
  const own = COMMAND_KEYS[r.command] ?? [];
  if (r.shape === 'own') {
    own.forEach((key, i) => {
      const f = r.fields[i];
      if (!f || !f.relevant) return;
      const spec = FIELDS.find((s) => s.key === key) as FieldSpec;
      const value = valueBytes(spec.tag, f.value, ctx).slice(0, spec.type === TEXT || spec.type === BYTES ? spec.maxLen : 255);
      out.push(spec.tag, value.length, ...value);
    });
  } else {
    for (const f of r.fields) {
      const tag = f.relevant && own.length > 0 ? tagOf(pick(own, f.tag)) : f.tag;
      const value = valueBytes(tag, f.value, ctx).slice(0, 255);
      out.push(tag, (value.length + f.lengthDelta) & 255, ...value);
    }
  }
  out.push(...r.tail);
  return Uint8Array.from(out);
}

/** Link text for one frame spec. */
export function buildFrame(spec: FrameSpec, ctx: BuildContext): string {
  if (spec.kind === 'raw') return spec.text;
  if (spec.kind === 'request') return encodeFrame(REQUEST_MARKER, requestBody(spec.request, ctx));
  const body = templateBody(spec.template, ctx);
  if (spec.kind === 'reframed') return encodeFrame(REQUEST_MARKER, spec.mutations.reduce(mutateBody, body));
  const line = encodeFrame(REQUEST_MARKER, body);
  const text = spec.mutations.reduce(mutateText, line.slice(1, -1));
  return REQUEST_MARKER + text + (spec.newline ? '\n' : '');
}

export const rawFrameArb: fc.Arbitrary<FrameSpec> = rawTextArb.map((text) => ({ kind: 'raw' as const, text }));
