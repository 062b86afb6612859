// RFC 4648 §4 base64, the armour that keeps frames printable: no control byte
// ever crosses the link (Espruino's console acts on 0x03, 0x04 and 0x10).
import { fail } from './errors.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function base64Encode(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] || 0) << 8) | (bytes[i + 2] || 0);
    s += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63];
    s += i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63] : '=';
    s += i + 2 < bytes.length ? ALPHABET[n & 63] : '=';
  }
  return s;
}

export function base64Decode(text: string): Uint8Array {
  if (text.length % 4 !== 0) fail('BASE64', 'base64: length ' + text.length + ' is not a multiple of 4');
  let pad = 0;
  if (text.length > 0 && text[text.length - 1] === '=') pad++;
  if (text.length > 1 && text[text.length - 2] === '=') pad++;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let n = 0;
    for (let k = 0; k < 4; k++) {
      const ch = text[i + k];
      const v = ch === '=' && i + k >= text.length - pad ? 0 : ALPHABET.indexOf(ch);
      if (v < 0) fail('BASE64', 'base64: invalid character at position ' + (i + k + 1));
      n = (n << 6) | v;
    }
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}
