// Percent-encoding (RFC 3986 §2.1) over UTF-8, written out because Espruino's
// decodeURIComponent is not strict about malformed input.
import { utf8Decode, utf8Encode } from './bytes.ts';
import { fail } from './errors.ts';

const HEX_DIGITS = '0123456789ABCDEF';
const UNRESERVED = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~';

/** Decode %XX escapes; `what` names the URI part in errors; plus-as-space for query values. */
export function percentDecode(text: string, what: string, plusIsSpace: boolean): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '%') {
      const hi = HEX_DIGITS.indexOf((text[i + 1] || '').toUpperCase());
      const lo = HEX_DIGITS.indexOf((text[i + 2] || '').toUpperCase());
      if (hi < 0 || lo < 0) fail('OTPAUTH_ESCAPE', what + ': bad percent-escape at character ' + (i + 1));
      bytes.push(hi * 16 + lo);
      i += 2;
    } else if (ch === '+' && plusIsSpace) {
      bytes.push(32);
    } else {
      const enc = utf8Encode(ch);
      for (let k = 0; k < enc.length; k++) bytes.push(enc[k]);
    }
  }
  try {
    return utf8Decode(new Uint8Array(bytes));
  } catch (e) {
    return fail('OTPAUTH_ESCAPE', what + ': percent-escapes are not valid UTF-8');
  }
}

export function percentEncode(text: string): string {
  const bytes = utf8Encode(text);
  let s = '';
  for (let i = 0; i < bytes.length; i++) {
    const c = String.fromCharCode(bytes[i]);
    s += bytes[i] < 128 && UNRESERVED.indexOf(c) >= 0 ? c : '%' + HEX_DIGITS[bytes[i] >> 4] + HEX_DIGITS[bytes[i] & 15];
  }
  return s;
}
