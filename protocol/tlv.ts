// The body codec: a list of [tag u8][length u8][value] fields. One table says
// what each tag holds, so both ends decode exactly the same way and every
// field is length-checked before use. Unknown tags are skipped (a newer host
// may send more); a known tag that is malformed is an error naming it.
import { fail } from './errors.ts';
import { say } from './say.ts';

/**
 * A field's type, one letter as in the field table (messages.ts): u unsigned
 * integer, s signed integer (zigzag), t text, b bytes, l list of field lists.
 */
export type FieldType = 'u' | 's' | 't' | 'b' | 'l';

export interface FieldSpec {
  tag: number;
  key: string;
  type: FieldType;
  /** Largest value in bytes (text/bytes); for 'list', the spec table of each item. */
  max: number;
}

/** A decoded message: text fields are byte strings (one char per byte; see wire-protocol.md). */
export type Fields = { [key: string]: number | string | Uint8Array | Fields[] | undefined };

export function findByKey(specs: FieldSpec[], key: string): FieldSpec | null {
  for (let i = 0; i < specs.length; i++) if (specs[i].key === key) return specs[i];
  return null;
}

function findByTag(specs: FieldSpec[], tag: number): FieldSpec | null {
  for (let i = 0; i < specs.length; i++) if (specs[i].tag === tag) return specs[i];
  return null;
}

/**
 * Every codec error names the field by its tag: "tlv: field 7 <problem>"
 * (wire-protocol.md lists the tags). Not by key: the Espruino build shortens
 * the keys, and its messages must mean the same as everyone else's.
 */
function badField(tag: number, problem: string): never {
  return fail('TLV', say('tlv: field % %', tag, problem));
}

function zero(arr: number[]): void {
  for (let i = 0; i < arr.length; i++) arr[i] = 0;
}

/** Unsigned big-endian in the fewest bytes; exact up to 2^53 (no 32-bit shifts). */
function uintBytes(n: number): number[] {
  if (!(n >= 0 && n <= 9007199254740991 && Math.floor(n) === n)) fail('TLV', say('tlv: not a whole number: %', n)); // NaN and non-numbers fail too
  const out: number[] = [];
  let v = n;
  do {
    out.unshift(v % 256);
    v = Math.floor(v / 256);
  } while (v > 0);
  return out;
}

function valueBytes(spec: FieldSpec, value: unknown, itemSpecs: FieldSpec[]): number[] {
  if (spec.type === 'u') return uintBytes(value as number);
  // Signed integers are zigzag-coded (0, -1, 1, -2 ... -> 0, 1, 2, 3 ...) into a uint.
  if (spec.type === 's') {
    const n = value as number;
    return uintBytes(n >= 0 ? n * 2 : -n * 2 - 1);
  }
  if (spec.type === 't' || spec.type === 'b') {
    // Text is a byte string (one char per byte), bytes a Uint8Array.
    const isText = spec.type === 't';
    if (isText ? typeof value !== 'string' : !(value instanceof Uint8Array)) badField(spec.tag, say('has a value of the wrong type'));
    const v = value as string & Uint8Array;
    const out: number[] = [];
    for (let i = 0; i < v.length; i++) out.push(isText ? v.charCodeAt(i) & 255 : v[i]);
    return out;
  }
  return encodeToArray(value as Fields, itemSpecs);
}

function encodeToArray(fields: Fields, specs: FieldSpec[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i];
    const value = fields[spec.key];
    if (value === undefined) continue;
    const items = spec.type === 'l' ? (value as Fields[]) : [value];
    for (let k = 0; k < items.length; k++) {
      const v = valueBytes(spec, items[k], spec.type === 'l' ? LIST_ITEMS[spec.key] : specs);
      if (v.length > 255 || ((spec.type === 't' || spec.type === 'b') && v.length > spec.max)) {
        badField(spec.tag, say('is % bytes, more than %', v.length, Math.min(spec.max, 255)));
      }
      out.push(spec.tag, v.length);
      for (let j = 0; j < v.length; j++) out.push(v[j]);
      if (spec.type === 'b') zero(v);
    }
  }
  return out;
}

/** Item tables for list fields, registered by the message table (messages.ts). */
export const LIST_ITEMS: { [key: string]: FieldSpec[] } = {};

export function encodeFields(fields: Fields, specs: FieldSpec[]): Uint8Array {
  const arr = encodeToArray(fields, specs);
  const out = new Uint8Array(arr);
  zero(arr);
  return out;
}

export function decodeFields(bytes: Uint8Array, start: number, specs: FieldSpec[]): Fields {
  const out: Fields = {};
  let i = start;
  while (i < bytes.length) {
    if (i + 2 > bytes.length) fail('TLV', say('tlv: truncated field header at byte %', i));
    const tag = bytes[i];
    const len = bytes[i + 1];
    i += 2;
    if (i + len > bytes.length) badField(tag, say('runs past the end of the message'));
    const spec = findByTag(specs, tag);
    if (spec) {
      if (spec.type !== 'l' && out[spec.key] !== undefined) badField(spec.tag, say('appears twice'));
      if (spec.type === 'u' || spec.type === 's') {
        if (len < 1 || len > 7) badField(spec.tag, say('has a bad length %', len));
        let n = 0;
        for (let k = 0; k < len; k++) n = n * 256 + bytes[i + k];
        if (n > 9007199254740991) badField(spec.tag, say('is too large'));
        out[spec.key] = spec.type === 'u' ? n : n % 2 === 0 ? n / 2 : -(n + 1) / 2;
      } else if (spec.type === 'l') {
        const list = (out[spec.key] as Fields[]) || [];
        list.push(decodeFields(bytes.subarray(i, i + len), 0, LIST_ITEMS[spec.key]));
        out[spec.key] = list;
      } else {
        if (len > spec.max) badField(spec.tag, say('is % bytes, more than %', len, spec.max));
        if (spec.type === 'b') {
          out[spec.key] = new Uint8Array(bytes.subarray(i, i + len));
        } else {
          let s = '';
          for (let k = 0; k < len; k++) s += String.fromCharCode(bytes[i + k]);
          out[spec.key] = s;
        }
      }
    }
    i += len;
  }
  return out;
}
