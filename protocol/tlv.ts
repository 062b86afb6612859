// The body codec: a list of [tag u8][length u8][value] fields. One table says
// what each tag holds, so both ends decode exactly the same way and every
// field is length-checked before use. Unknown tags are skipped (a newer host
// may send more); a known tag that is malformed is an error naming it.
import { MAX_WHOLE, wipe } from './bytes.ts';
import { fail } from './errors.ts';
import { say } from './say.ts';
import { latin1Bytes, latin1Text } from './latin1.ts';

/**
 * A field's type, a number (the field table in messages.ts adds it to 8
 * times the max): 0 unsigned integer, 1 signed integer (zigzag), 2 text,
 * 3 bytes, 4 list of field lists. Numbers, not letters: the Espruino bundle
 * stores a digit in one byte where a quoted letter costs three.
 */
export type FieldType = 0 | 1 | 2 | 3 | 4;
export const UNSIGNED = 0;
export const SIGNED = 1;
export const TEXT = 2;
export const BYTES = 3;
export const LIST = 4;

export interface FieldSpec {
  tag: number;
  key: string;
  type: FieldType;
  /** Largest value in bytes (text/bytes; 0 for the other types). */
  maxLen: number;
}

/** A decoded message: text fields are byte strings (one char per byte; see wire-protocol.md). */
export type Fields = { [key: string]: number | string | Uint8Array | Fields[] | undefined };

export function findByKey(specs: FieldSpec[], key: string): FieldSpec | null {
  for (let i = 0; i < specs.length; i++) if (specs[i].key === key) return specs[i];
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

/**
 * Appends each field's [tag][length][value] to `out`, the value written in
 * place (no per-field array, so a secret is copied once, into `out`, which
 * encodeFields wipes). Integers are unsigned big-endian in the fewest bytes,
 * exact up to 2^53 (no 32-bit shifts); signed ones zigzag-coded first
 * (0, -1, 1, -2 ... -> 0, 1, 2, 3 ...). Text is a byte string (one char per
 * byte), bytes a Uint8Array.
 */
function encodeInto(out: number[], fields: Fields, specs: FieldSpec[]): void {
  for (const spec of specs) {
    const type = spec.type;
    const tag = spec.tag;
    const value = fields[spec.key];
    if (value === undefined) continue;
    for (const item of type === LIST ? (value as Fields[]) : [value]) {
      const at = out.length;
      out.push(tag, 0);
      if (type === LIST) {
        encodeInto(out, item as Fields, LIST_ITEMS[spec.key]);
      } else if (type === TEXT || type === BYTES) {
        if (type === TEXT ? typeof item !== 'string' : !(item instanceof Uint8Array)) badField(tag, say('has a value of the wrong type'));
        const v = type === TEXT ? latin1Bytes(item as string) : (item as Uint8Array);
        for (const byte of v) out.push(byte);
        if (v !== item) wipe(v);
      } else {
        const v = item as number;
        let n = type === SIGNED ? (v >= 0 ? v * 2 : -v * 2 - 1) : v;
        if (!(n >= 0 && n <= MAX_WHOLE && Math.floor(n) === n)) fail('TLV', say('tlv: not a whole number: %', n)); // NaN and non-numbers fail too
        do {
          out.splice(at + 2, 0, n % 256);
          n = Math.floor(n / 256);
        } while (n > 0);
      }
      const len = out.length - at - 2;
      const max = spec.maxLen || 255; // the length byte's own limit for types without a max
      if (len > max) badField(tag, say('is % bytes, more than %', len, max));
      out[at + 1] = len;
    }
  }
}

/** Item tables for list fields, registered by the message table (messages.ts). */
export const LIST_ITEMS: { [key: string]: FieldSpec[] } = {};

/** The fields' bytes, after `header` (bytes that start the result) when given. */
export function encodeFields(fields: Fields, specs: FieldSpec[], header?: number[]): Uint8Array {
  const arr = header || [];
  encodeInto(arr, fields, specs);
  const out = new Uint8Array(arr);
  wipe(arr); // it held any secret being sent or stored
  return out;
}

export function decodeFields(bytes: Uint8Array, start: number, specs: FieldSpec[]): Fields {
  const out: Fields = {};
  let i = start;
  while (i < bytes.length) {
    const tag = bytes[i];
    const len = bytes[i + 1];
    const end = i + 2 + len; // NaN when the message ends inside the header
    if (!(end <= bytes.length)) badField(tag, say('runs past the end of the message'));
    const value = bytes.subarray(i + 2, end);
    i = end;
    const spec = specs.filter((s) => s.tag === tag)[0];
    if (!spec) continue;
    const type = spec.type;
    const key = spec.key;
    if (type === LIST) {
      ((out[key] = out[key] || []) as Fields[]).push(decodeFields(value, 0, LIST_ITEMS[key]));
      continue;
    }
    if (out[key] !== undefined) badField(tag, say('appears twice'));
    if (type < TEXT) {
      // UNSIGNED or SIGNED
      if (len < 1 || len > 7) badField(tag, say('has a bad length %', len));
      let n = 0;
      for (const byte of value) n = n * 256 + byte;
      if (n > MAX_WHOLE) badField(tag, say('is too large'));
      out[key] = type === UNSIGNED ? n : n % 2 === 0 ? n / 2 : -(n + 1) / 2;
    } else {
      if (len > spec.maxLen) badField(tag, say('is % bytes, more than %', len, spec.maxLen));
      out[key] = type === BYTES ? new Uint8Array(value) : latin1Text(value);
    }
  }
  return out;
}
