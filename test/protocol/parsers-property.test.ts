// Whatever people paste, the parsers answer with a result or a coded error
// that names the problem: never a TypeError or RangeError from deep inside.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode } from '../../protocol/base32.ts';
import { parseOtpauth } from '../../protocol/otpauth.ts';

function outcome(fn: () => unknown): 'ok' | string {
  try {
    fn();
    return 'ok';
  } catch (e) {
    const err = e as { code?: unknown; message?: unknown };
    expect(typeof err.code, String(e)).toBe('string');
    expect(typeof err.message).toBe('string');
    return err.code as string;
  }
}

const uriChars = fc.constantFrom(...'abcAZ27=&?:%/+-_. #@'.split(''), 'secret=', 'otpauth://', 'totp/', 'hotp/', 'issuer=', 'digits=', 'period=', 'counter=', 'algorithm=', '%C3%A9', '%', '%G');

describe('parsers on arbitrary input', () => {
  it('base32: any string gives bytes or a coded error', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (s) => void outcome(() => base32Decode(s))), { numRuns: 3000 });
  });

  it('base32: any bytes round-trip', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 80 }), (b) => {
      expect(base32Decode(base32Encode(b))).toEqual(b);
      expect(base32Decode(base32Encode(b, false).toLowerCase())).toEqual(b);
    }), { numRuns: 1000 });
  });

  it('otpauth: any URI-shaped string gives a result or a coded error', () => {
    const uri = fc.array(uriChars, { maxLength: 30 }).map((parts) => 'otpauth://' + parts.join(''));
    fc.assert(fc.property(fc.oneof(uri, fc.string({ unit: 'binary', maxLength: 120 })), (s) => void outcome(() => parseOtpauth(s))), { numRuns: 3000 });
  });
});
