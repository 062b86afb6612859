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
