// The few bits of the protobuf wire format that Google Authenticator's
// export needs (protobuf.dev/programming-guides/encoding): varints (wire
// type 0) and length-delimited fields (wire type 2); fixed 32/64-bit fields
// are skipped, groups refused. Integers are exact up to 2^53, which is more
// than any field here holds. Written small on purpose: no dependency for two
// wire types.
import { TokenError } from '../errors.ts';

export interface ProtoField {
  /** Field number from the .proto file. */
  field: number;
  /** 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32. */
  wireType: number;
  /** Varints as numbers; length-delimited as a view into the input (not a copy). */
  value: number | Uint8Array;
}

const TWO_POW_53 = 9007199254740992;

function bad(what: string, why: string): never {
  throw new TokenError('BAD_INPUT', `${what}: ${why}`);
}

/** Read a varint at `pos`; returns [value, next position]. */
export function readVarint(bytes: Uint8Array, pos: number, what: string): [number, number] {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= bytes.length) bad(what, 'truncated varint (the data was cut short?)');
    const b = bytes[pos++];
    value += (b & 0x7f) * scale;
    if (value >= TWO_POW_53) bad(what, 'integer too large');
    if ((b & 0x80) === 0) return [value, pos];
    scale *= 128;
  }
  return bad(what, 'varint longer than 10 bytes');
}

/** Split one message into its fields, in order (repeated fields appear once per value). */
export function decodeMessage(bytes: Uint8Array, what: string): ProtoField[] {
  const out: ProtoField[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const [key, afterKey] = readVarint(bytes, pos, what);
    pos = afterKey;
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    if (field === 0) bad(what, 'field number 0 (not protobuf data?)');
    if (wireType === 0) {
      const [v, next] = readVarint(bytes, pos, what);
      out.push({ field, wireType, value: v });
      pos = next;
    } else if (wireType === 2) {
      const [len, start] = readVarint(bytes, pos, what);
      if (start + len > bytes.length) bad(what, `field ${field} claims ${len} bytes but only ${bytes.length - start} remain (the data was cut short?)`);
      out.push({ field, wireType, value: bytes.subarray(start, start + len) });
      pos = start + len;
    } else if (wireType === 1 || wireType === 5) {
      const len = wireType === 1 ? 8 : 4;
      if (pos + len > bytes.length) bad(what, `field ${field} is cut short`);
      pos += len; // no fixed-width fields in the formats we read: skip
    } else {
      bad(what, `unsupported wire type ${wireType} in field ${field} (not protobuf data?)`);
    }
  }
  return out;
}
