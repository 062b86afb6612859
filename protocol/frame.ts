// Wire framing (see wire-protocol.md): one frame per line,
//   marker  base64(body || crc32(body) big-endian)  "\n"
// with marker '>' for host-to-device requests and '<' for replies. A marker
// starts a new frame wherever it appears, so garbage before a frame is
// skipped and the link resynchronises on the next marker.
import { base64Decode, base64Encode } from './base64.ts';
import { getWord, putWord, wipe } from './bytes.ts';
import { crc32 } from './crc32.ts';

export const REQUEST_MARKER = '>';
export const REPLY_MARKER = '<';
/** Largest body (before CRC and base64) either side accepts. */
export const MAX_BODY = 600;
export const MAX_LINE = 1 + Math.ceil((MAX_BODY + 4) / 3) * 4;

export function encodeFrame(marker: string, body: Uint8Array): string {
  const buf = new Uint8Array(body.length + 4);
  buf.set(body, 0);
  putWord(buf, body.length, crc32(body));
  const line = marker + base64Encode(buf) + '\n';
  wipe(buf);
  return line;
}

/** What a reader reports for a line that is not a good frame: numbers, so the firmware carries no names. */
export const CORRUPT_FRAME = 0;
export const LINE_TOO_LONG = 1;
export type FrameFault = typeof CORRUPT_FRAME | typeof LINE_TOO_LONG;

export interface FrameReader {
  /** Feed received characters (a string of byte values, as serial ports deliver them). */
  push(chunk: string): void;
}

/**
 * Collects characters into frames. `onFrame` gets each good body; `onFault`
 * gets each frame that failed its check or overflowed. Lines without our
 * marker (noise, a REPL banner, our own echo) are ignored.
 */
export function createFrameReader(
  marker: string,
  onFrame: (body: Uint8Array) => void,
  onFault: (fault: FrameFault) => void,
): FrameReader {
  // The frame being read, or null outside one (before the first marker,
  // after its line ended, or once it overflowed: the rest of that line is
  // dropped).
  let line: string | null = null;

  function finish(text: string): void {
    let body: Uint8Array | null = null;
    let n = 0;
    try {
      const buf = base64Decode(text);
      n = buf.length - 4;
      if (n > 0) {
        body = new Uint8Array(buf.subarray(0, n));
        if (crc32(body) !== getWord(buf, n)) body = null;
      }
      wipe(buf);
    } catch (e) {
      // not base64
    }
    if (!body) onFault(CORRUPT_FRAME);
    else if (n > MAX_BODY) onFault(LINE_TOO_LONG); // MAX_LINE's base64 rounding lets bodies of 601-602 bytes through
    else onFrame(body);
  }

  function push(chunk: string): void {
    for (const ch of chunk) {
      if (ch === marker) {
        if (line) onFault(CORRUPT_FRAME); // the previous frame was cut short
        line = '';
      } else if (ch === '\n') {
        if (line !== null) finish(line);
        line = null;
      } else if (line !== null && ch !== '\r') {
        if (line.length >= MAX_LINE - 1) { // MAX_LINE counts the marker
          line = null;
          onFault(LINE_TOO_LONG);
        } else {
          line += ch;
        }
      }
    }
  }

  return { push: push };
}
