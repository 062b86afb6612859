// RFC 4648 section 6 base32. Decoding accepts what people paste from a setup
// page (any case, spaces, hyphens, with or without '=' padding) and rejects
// everything else, naming the first bad character and its 1-based position.
// No silent skipping and no guessing (a '0' is not an 'O').
import { fail } from './errors.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

// Unpadded lengths mod 8 that leave whole bytes: 2->1, 4->2, 5->3, 7->4 bytes.
const BYTES_FOR_TAIL = [0, -1, 1, -1, 2, 3, -1, 4];

function isSeparator(ch: string): boolean {
  return ch === ' ' || ch === '-' || ch === '\t' || ch === '\n' || ch === '\r';
}

function describeChar(ch: string): string {
  const code = ch.charCodeAt(0);
  return code < 32 || code > 126 ? 'U+' + ('000' + code.toString(16).toUpperCase()).slice(-4) : "'" + ch + "'";
}

export function base32Decode(input: string): Uint8Array {
  if (typeof input !== 'string') fail('BASE32_TYPE', 'base32: expected a string, got ' + typeof input);
  const values: number[] = [];
  const positions: number[] = [];
  let padding = 0;
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (isSeparator(ch)) continue;
    if (ch === '=') { padding++; continue; }
    const v = ALPHABET.indexOf(ch.toUpperCase());
    if (v < 0) fail('BASE32_CHAR', 'base32: invalid character ' + describeChar(ch) + ' at position ' + (i + 1) + ' (not in the base32 alphabet A-Z 2-7)');
    // Position only: a valid character is part of the key.
    if (padding > 0) fail('BASE32_CHAR', 'base32: the character at position ' + (i + 1) + ' comes after padding');
    values.push(v);
    positions.push(i);
  }
  if (values.length === 0) fail('BASE32_EMPTY', 'base32: empty input (no key characters)');
  const tail = values.length % 8;
  if (BYTES_FOR_TAIL[tail] < 0) {
    fail('BASE32_LENGTH', 'base32: ' + values.length + ' characters cannot be whole bytes (a truncated key?)');
  }
  if (padding > 0 && padding !== (8 - tail) % 8) {
    fail('BASE32_PADDING', 'base32: ' + padding + " '=' padding characters do not fit " + values.length + ' characters');
  }
  // RFC 4648 §3.5: the bits after the last whole byte must be zero. A key cut
  // short by one character usually leaves them set, so this catches it.
  const spare = (values.length * 5) % 8;
  if (spare > 0 && (values[values.length - 1] & ((1 << spare) - 1)) !== 0) {
    const last = positions[positions.length - 1];
    // Position only: the character itself is part of the key.
    fail('BASE32_TRAILING_BITS', 'base32: the character at position ' + (last + 1) +
      ' leaves non-zero bits past the last byte (a truncated or mistyped key?)');
  }
  const out = new Uint8Array(Math.floor(values.length / 8) * 5 + BYTES_FOR_TAIL[tail]);
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < values.length; i++) {
    acc = ((acc << 5) | values[i]) & 0xfff; // at most 12 live bits
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

/** Encode to upper-case base32; padded as RFC 4648 says unless pad is false. */
export function base32Encode(bytes: Uint8Array, pad?: boolean): string {
  if (!(bytes instanceof Uint8Array)) fail('BASE32_TYPE', 'base32: expected Uint8Array, got ' + typeof bytes);
  let s = '';
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < bytes.length; i++) {
    acc = ((acc << 8) | bytes[i]) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      s += ALPHABET[(acc >> bits) & 31];
    }
  }
  if (bits > 0) s += ALPHABET[(acc << (5 - bits)) & 31];
  if (pad !== false) while (s.length % 8 !== 0) s += '=';
  return s;
}
