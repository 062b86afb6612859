// Independent models of the wire format, written from protocol/wire-protocol.md
// for the fuzz tests to judge the device and host against. They share no code
// with protocol/ (own CRC, own base64 check, own TLV walk); only the field table
// and the size constants are imported, because those are the spec's data.
import { MAX_BODY } from '../../protocol/frame.ts';
import { FIELDS } from '../../protocol/messages.ts';
import { BYTES, LIST, LIST_ITEMS, SIGNED, UNSIGNED } from '../../protocol/tlv.ts';
import type { FieldSpec } from '../../protocol/tlv.ts';

/** wire-protocol.md "Framing": a line (marker included, newline not) is at most this long. */
export const SPEC_MAX_LINE = 1 + Math.ceil((MAX_BODY + 4) / 3) * 4;

const CRC_TABLE = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  CRC_TABLE[n] = c >>> 0;
}

/** CRC-32, IEEE/zlib polynomial (reflected 0xEDB88320). */
export function crc32Model(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// RFC 4648 §4 with padding. Non-zero bits under the padding are accepted
// (RFC 4648 §3.5 lets a decoder choose), so "AB==" and "AA==" both decode.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The body a frame's text carries, or null if it fails base64 or CRC. */
export function frameBodyModel(text: string): Uint8Array | null {
  if (!BASE64.test(text)) return null;
  const buf = Buffer.from(text, 'base64');
  if (buf.length < 5) return null; // a body of at least one byte, then its CRC
  const body = new Uint8Array(buf.subarray(0, buf.length - 4));
  return crc32Model(body) === buf.readUInt32BE(buf.length - 4) ? body : null;
}

/** What one line on the link amounts to; each event deserves exactly one final reply. */
export type WireEvent = { kind: 'fault'; fault: 'corrupt' | 'too-long' } | { kind: 'frame'; body: Uint8Array };

export interface WireModel {
  /** Feed characters in any chunking; returns the events they complete, in order. */
  push(text: string): WireEvent[];
}

/**
 * The framing rules as a stream model: a marker starts a frame wherever it is
 * seen (one cut short by it is corrupt); '\n' ends it; '\r' is ignored; a line
 * over SPEC_MAX_LINE is answered once, as too long, and dropped to its newline.
 */
export function createWireModel(marker: string): WireModel {
  let inFrame = false;
  let dropped = false;
  let text = '';
  return {
    push(chunk) {
      const out: WireEvent[] = [];
      for (let i = 0; i < chunk.length; i++) {
        const ch = chunk[i]; // UTF-16 units, as the device's reader counts them
        if (ch === marker) {
          if (inFrame && !dropped && text.length > 0) out.push({ kind: 'fault', fault: 'corrupt' });
          inFrame = true;
          dropped = false;
          text = '';
        } else if (ch === '\n') {
          if (inFrame && !dropped) {
            const body = frameBodyModel(text);
            // "a body is at most 600 bytes": base64's rounding lets a line of 601-602 fit MAX_LINE.
            out.push(body && body.length > MAX_BODY ? { kind: 'fault', fault: 'too-long' } : body ? { kind: 'frame', body } : { kind: 'fault', fault: 'corrupt' });
          }
          inFrame = false;
          text = '';
        } else if (inFrame && !dropped && ch !== '\r') {
          if (1 + text.length + 1 > SPEC_MAX_LINE) {
            dropped = true;
            text = '';
            out.push({ kind: 'fault', fault: 'too-long' });
          } else {
            text += ch;
          }
        }
      }
      return out;
    },
  };
}

export type ModelFields = { [key: string]: number | string | Uint8Array | ModelFields[] };
export type TlvModelResult = { ok: true; fields: ModelFields } | { ok: false; why: string };

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * wire-protocol.md "Bodies": [tag][length][value] fields; unknown tags are
 * skipped; a known tag with a bad length, a duplicate or an over-limit value
 * rejects the whole message.
 */
export function decodeTlvModel(bytes: Uint8Array, specs: FieldSpec[] = FIELDS): TlvModelResult {
  const fields: ModelFields = {};
  let at = 0;
  while (at < bytes.length) {
    if (bytes.length - at < 2) return { ok: false, why: 'truncated header at ' + at };
    const tag = bytes[at];
    const len = bytes[at + 1];
    const value = bytes.subarray(at + 2, at + 2 + len);
    if (value.length < len) return { ok: false, why: 'field ' + tag + ' runs past the end' };
    at += 2 + len;
    const spec = specs.find((s) => s.tag === tag);
    if (!spec) continue;
    if (spec.type !== LIST && spec.key in fields) return { ok: false, why: spec.key + ' twice' };
    if (spec.type === UNSIGNED || spec.type === SIGNED) {
      if (len < 1 || len > 7) return { ok: false, why: spec.key + ' has length ' + len };
      const big = value.reduce((n, b) => n * 256n + BigInt(b), 0n);
      if (big > MAX_SAFE) return { ok: false, why: spec.key + ' over 2^53' };
      const n = Number(big);
      fields[spec.key] = spec.type === UNSIGNED ? n : n % 2 === 0 ? n / 2 : -(n + 1) / 2; // zigzag
    } else if (spec.type === LIST) {
      const item = decodeTlvModel(value, LIST_ITEMS[spec.key]);
      if (!item.ok) return item;
      fields[spec.key] = ((fields[spec.key] as ModelFields[] | undefined) ?? []).concat([item.fields]);
    } else {
      if (len > spec.maxLen) return { ok: false, why: spec.key + ' is ' + len + ' bytes, over ' + spec.maxLen };
      fields[spec.key] = spec.type === BYTES ? new Uint8Array(value) : Buffer.from(value).toString('latin1');
    }
  }
  return { ok: true, fields };
}
