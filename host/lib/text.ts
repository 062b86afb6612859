// Names, issuers and messages cross the wire as UTF-8 bytes, held in byte
// strings (one char per byte) by the protocol code. These convert at the
// client boundary, so everything above the client sees ordinary Unicode.
import { utf8Decode, utf8Encode } from '../../protocol/bytes.ts';

export function textToWire(text: string): string {
  const bytes = utf8Encode(text);
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

/** Decode device text; bytes that are not valid UTF-8 (a buggy or old device) show as U+FFFD, never throw. */
export function textFromWire(byteString: string): string {
  const bytes = new Uint8Array(byteString.length);
  for (let i = 0; i < byteString.length; i++) bytes[i] = byteString.charCodeAt(i) & 255;
  try {
    return utf8Decode(bytes);
  } catch {
    return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  }
}

/** Length in bytes once encoded, which is what the device's limits count. */
export function wireLength(text: string): number {
  return utf8Encode(text).length;
}

// Text from outside (names and issuers from URIs, exports and PSKC files,
// device messages) may carry terminal control sequences: ESC [ ... can move
// the cursor, rewrite earlier lines, set the window title or (on some
// terminals) answer back; BEL rings; CR overwrites a line; bidi overrides
// reorder what is shown. Everything printed for a person goes through one of
// these two functions, so such text is shown escaped, never obeyed.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const NAMED: { [c: string]: string } = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e', '\u0007': '\\a' };

function escapeChar(c: string): string {
  if (NAMED[c]) return NAMED[c];
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One piece of outside text (a name, an issuer) for a terminal: every control character shown escaped, line breaks too. */
export function escapeText(text: string): string {
  // Backslashes too, so a name cannot imitate an escape (a typed backslash-e shows doubled).
  return text.replace(/\\/g, '\\\\').replace(UNSAFE, escapeChar);
}

/**
 * A whole message for a terminal: its own line breaks and tabs (table columns) kept,
 * every other control character shown escaped. Outside text inside it should
 * already have gone through escapeText, so it cannot forge lines or columns.
 */
export function escapeForTerminal(message: string): string {
  return message
    .split('\n')
    .map((line) => line.replace(UNSAFE, (c) => (c === '\t' ? c : escapeChar(c))))
    .join('\n');
}
