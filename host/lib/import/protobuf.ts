// A protobuf wire-format reader (protobuf.dev/programming-guides/encoding)
// for Google Authenticator's export. It reads everything the wire format
// allows, because the export is written by another program and a reader that
// refuses valid data fails users at random:
// - varints of up to 10 bytes, kept as unsigned 64-bit BigInts; a negative
//   int32/int64 is written as its 64-bit two's complement, so 10 bytes (Google
//   picks batch_id at random: about half of all exports have a negative one).
//   Bits past the 64th are dropped, as protobuf's own parsers do.
// - every wire type: 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32, and
//   the deprecated groups (3 start, 4 end), which are skipped whole;
// - packed repeated varints (a length-delimited run of varints), via packedVarints().
// Callers convert a field with int32()/int64()/uint() below, which is how the
// .proto type decides the meaning of the same bytes.
import { TokenError } from '../errors.ts';

export interface ProtoField {
  /** Field number from the .proto file. */
  field: number;
  /** 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32 (groups are skipped, never returned). */
  wireType: number;
  /** Varints and fixed-width values as unsigned 64-bit BigInts; length-delimited as a view into the input (not a copy). */
  value: bigint | Uint8Array;
}

const MAX_FIELD = 536870911; // 2^29 - 1: the largest field number
const MAX_GROUP_DEPTH = 64; // nesting limit, as protobuf's parsers have (a stack bomb otherwise)

function bad(what: string, why: string): never {
  throw new TokenError('BAD_INPUT', `${what}: ${why}`);
}

/** Read a varint at `pos` as an unsigned 64-bit value; returns [value, next position]. */
export function readVarint(bytes: Uint8Array, pos: number, what: string): [bigint, number] {
  let value = 0n;
  for (let i = 0; i < 10; i++) {
    if (pos >= bytes.length) bad(what, 'truncated varint (the data was cut short?)');
    const b = bytes[pos++];
    value |= BigInt(b & 0x7f) << BigInt(7 * i);
    if ((b & 0x80) === 0) return [BigInt.asUintN(64, value), pos];
  }
  return bad(what, 'varint longer than 10 bytes (not protobuf data?)');
}

/** A small unsigned varint (a tag or a length) as a number. */
function readSmall(bytes: Uint8Array, pos: number, what: string, limit: number, name: string): [number, number] {
  const [v, next] = readVarint(bytes, pos, what);
  if (v > BigInt(limit)) bad(what, `${name} ${v} is out of range (not protobuf data?)`);
  return [Number(v), next];
}

/** Skip one field's value of `wireType` at `pos`; returns the next position (groups to their end tag). */
function skipValue(bytes: Uint8Array, pos: number, field: number, wireType: number, what: string, depth: number): number {
  if (wireType === 0) return readVarint(bytes, pos, what)[1];
  if (wireType === 1 || wireType === 5) {
    const len = wireType === 1 ? 8 : 4;
    if (pos + len > bytes.length) bad(what, `field ${field} is cut short`);
    return pos + len;
  }
  if (wireType === 2) {
    const [len, start] = readSmall(bytes, pos, what, 0x7fffffff, 'length');
    if (start + len > bytes.length) bad(what, `field ${field} claims ${len} bytes but only ${bytes.length - start} remain (the data was cut short?)`);
    return start + len;
  }
  if (wireType === 3) {
    if (depth >= MAX_GROUP_DEPTH) bad(what, `groups nested deeper than ${MAX_GROUP_DEPTH}`);
    let p = pos;
    for (;;) {
      if (p >= bytes.length) bad(what, `group ${field} has no end (the data was cut short?)`);
      const [key, afterKey] = readSmall(bytes, p, what, MAX_FIELD * 8 + 7, 'tag');
      const f = Math.floor(key / 8);
      const wt = key % 8;
      if (f === 0) bad(what, 'field number 0 (not protobuf data?)');
      if (wt === 4) {
        if (f !== field) bad(what, `group ${field} ends with the end tag of ${f}`);
        return afterKey;
      }
      p = skipValue(bytes, afterKey, f, wt, what, depth + 1);
    }
  }
  if (wireType === 4) return bad(what, `end of group ${field} without its start`);
  return bad(what, `wire type ${wireType} in field ${field} does not exist (not protobuf data?)`);
}

/** Split one message into its fields, in order (repeated fields appear once per value; groups are skipped). */
export function decodeMessage(bytes: Uint8Array, what: string): ProtoField[] {
  const out: ProtoField[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const [key, afterKey] = readSmall(bytes, pos, what, MAX_FIELD * 8 + 7, 'tag');
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    if (field === 0) bad(what, 'field number 0 (not protobuf data?)');
    const next = skipValue(bytes, afterKey, field, wireType, what, 0);
    if (wireType === 0) out.push({ field, wireType, value: readVarint(bytes, afterKey, what)[0] });
    else if (wireType === 2) out.push({ field, wireType, value: bytes.subarray(readVarint(bytes, afterKey, what)[1], next) });
    else if (wireType === 1 || wireType === 5) out.push({ field, wireType, value: littleEndian(bytes.subarray(afterKey, next)) });
    pos = next;
  }
  return out;
}

function littleEndian(b: Uint8Array): bigint {
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
  return v;
}

/** A packed repeated varint field's values (also accepts one unpacked value, as parsers must). */
export function packedVarints(f: ProtoField, what: string): bigint[] {
  if (typeof f.value === 'bigint') return [f.value];
  const out: bigint[] = [];
  let pos = 0;
  while (pos < f.value.length) {
    const [v, next] = readVarint(f.value, pos, what);
    out.push(v);
    pos = next;
  }
  return out;
}

function varintOf(f: ProtoField, what: string): bigint {
  if (typeof f.value !== 'bigint' || f.wireType !== 0) bad(what, 'is not a number');
  return f.value;
}

/** An int32 (or enum) field: the low 32 bits, signed, as protobuf's parsers read it. */
export function int32(f: ProtoField, what: string): number {
  return Number(BigInt.asIntN(32, varintOf(f, what)));
}

/** An int64 field: signed 64-bit. */
export function int64(f: ProtoField, what: string): bigint {
  return BigInt.asIntN(64, varintOf(f, what));
}

/** A uint32/uint64 field. */
export function uint(f: ProtoField, what: string): bigint {
  return varintOf(f, what);
}
