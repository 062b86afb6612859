import { createHash, createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { counterBytes, dynamicTruncate, hotp, MAX_COUNTER } from '../../protocol/hotp.ts';
import { hmac } from '../../protocol/hmac.ts';
import { secondsLeft, totp, totpChecked, totpCounter } from '../../protocol/totp.ts';
import { ALGORITHMS } from '../../protocol/hash.ts';
import type { Algorithm } from '../../protocol/hash.ts';
import { keyCheckValue } from '../../protocol/keycheck.ts';
import { PROVIDERS, ascii, otplibHotp, otplibTotp } from '../helpers/providers.ts';
import { loadVectors } from '../helpers/vectors.ts';

const rfc4226 = loadVectors<{ secret_ascii: string; valid: { counter: number; code: string }[] }>('rfc4226-hotp.json');
const rfc6238 = loadVectors<{
  valid: { algorithm: Algorithm; secret_ascii: string; time: number; period: number; t0: number; digits: number; code: string }[];
}>('rfc6238-totp.json');

const nodeName = { SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512' } as const;

describe.each(PROVIDERS)('core with $name hashes', ({ hashes }) => {
  it('HMAC matches node:crypto for keys shorter than, equal to and longer than the block', () => {
    for (const alg of ALGORITHMS) {
      for (const keyLen of [0, 1, 20, 63, 64, 65, 127, 128, 129, 200]) {
        const key = randomBytes(keyLen);
        const msg = randomBytes(keyLen % 7 === 0 ? 0 : 100 + keyLen);
        const want = createHmac(nodeName[alg], key).update(msg).digest('hex');
        expect(Buffer.from(hmac(hashes[alg]!, key, msg)).toString('hex'), `${alg} key=${keyLen}`).toBe(want);
      }
    }
  });

  it('hash digests match node:crypto across the padding boundaries', () => {
    for (const alg of ALGORITHMS) {
      for (const len of [0, 1, 55, 56, 63, 64, 111, 112, 127, 128, 129, 1000]) {
        const msg = randomBytes(len);
        expect(Buffer.from(hashes[alg]!.digest(msg)).toString('hex'), `${alg} len=${len}`).toBe(createHash(nodeName[alg]).update(msg).digest('hex'));
      }
    }
  });

  it('HOTP: every RFC 4226 Appendix D vector', () => {
    for (const v of rfc4226.valid) {
      expect(hotp(hashes.SHA1!, ascii(rfc4226.secret_ascii), v.counter, 6)).toBe(v.code);
    }
  });

  it('TOTP: every RFC 6238 Appendix B vector (20/32/64-byte keys)', () => {
    for (const v of rfc6238.valid) {
      const code = totp(hashes[v.algorithm]!, ascii(v.secret_ascii), v.time, { period: v.period, t0: v.t0, digits: v.digits });
      expect(code, `${v.algorithm} t=${v.time}`).toBe(v.code);
      expect(code).toBe(otplibTotp(ascii(v.secret_ascii), v.time, v.digits, v.period, v.algorithm));
      // The firmware's path (arguments checked once, at ADD) computes the same code.
      if (v.t0 === 0) expect(totpChecked(hashes[v.algorithm]!, ascii(v.secret_ascii), v.time, v.period, v.digits)).toBe(v.code);
    }
  });

  it('agrees with otplib on random secrets, counters past 2^32 and 6..10 digits', () => {
    const counters = [0, 1, 2147483647, 2147483648, 4294967295, 4294967296, 4294967297, 1099511627776, MAX_COUNTER];
    for (let i = 0; i < 60; i++) {
      const alg = ALGORITHMS[i % 3];
      const secret = randomBytes(1 + ((i * 7) % 64));
      const counter = i < counters.length ? counters[i] : Math.floor(Math.random() * MAX_COUNTER);
      const digits = 6 + (i % 5);
      expect(hotp(hashes[alg]!, secret, counter, digits), `${alg} c=${counter} d=${digits}`).toBe(otplibHotp(secret, counter, digits, alg));
    }
  });

  it('agrees with otplib for times past 2038 and 2106, with periods and T0', () => {
    const times = [0, 59, 2147483647, 2147483648, 4102444800, 4294967296, 4294967296 * 30 + 17, 253402300799];
    for (const t of times) {
      for (const alg of ALGORITHMS) {
        for (const [period, t0] of [[30, 0], [60, 0], [30, 1000]] as const) {
          if (t < t0) continue;
          const secret = randomBytes(40);
          const want = otplibTotp(secret, t, 6, period, alg, t0);
          expect(totp(hashes[alg]!, secret, t, { period, t0, digits: 6 })).toBe(want);
          if (t0 === 0) expect(totpChecked(hashes[alg]!, secret, t, period, 6)).toBe(want);
        }
      }
    }
  });

  it('key check value is deterministic per seed, differs between seeds, and is not a code', () => {
    const a = keyCheckValue(hashes.SHA1!, ascii('12345678901234567890'));
    expect(a).toHaveLength(8);
    expect(keyCheckValue(hashes.SHA1!, ascii('12345678901234567890'))).toEqual(a);
    expect(keyCheckValue(hashes.SHA1!, ascii('12345678901234567891'))).not.toEqual(a);
  });
});

describe('HOTP/TOTP argument checks', () => {
  const h = PROVIDERS[0].hashes.SHA1!;
  it('writes counters as exact 64-bit big-endian', () => {
    expect(Buffer.from(counterBytes(4294967297)).toString('hex')).toBe('0000000100000001');
    expect(Buffer.from(counterBytes(MAX_COUNTER)).toString('hex')).toBe('001fffffffffffff');
  });
  it('rejects bad counters, digits, secrets and times with named errors', () => {
    expect(() => hotp(h, ascii('k'), -1, 6)).toThrow(/counter/);
    expect(() => hotp(h, ascii('k'), 1.5, 6)).toThrow(/counter/);
    expect(() => hotp(h, ascii('k'), MAX_COUNTER + 2, 6)).toThrow(/counter/);
    expect(() => hotp(h, ascii('k'), 0, 5)).toThrow(/digits/);
    expect(() => hotp(h, ascii('k'), 0, 11)).toThrow(/digits/);
    expect(() => hotp(h, new Uint8Array(0), 0, 6)).toThrow(/secret/);
    expect(() => hotp(h, 'abc' as unknown as Uint8Array, 0, 6)).toThrow(/secret: expected Uint8Array/);
    expect(() => totp(h, ascii('k'), Number.NaN, {})).toThrow(/time/);
    expect(() => totp(h, ascii('k'), 10, { t0: 20 })).toThrow(/time/);
    expect(() => totp(h, ascii('k'), 10, { period: 0 })).toThrow(/period/);
  });
  it('truncates dynamically with the top bit cleared, whatever the byte at the offset (RFC 4226 section 5.3, by Buffer.readUInt32BE)', () => {
    for (const top of [0x00, 0x7f, 0x80, 0xde, 0xff]) {
      for (const offset of [0, 7, 15]) {
        const mac = new Uint8Array(randomBytes(20));
        mac[offset] = top;
        mac[19] = (mac[19] & 0xf0) | offset;
        const want = Buffer.from(mac).readUInt32BE(offset) % 2 ** 31;
        expect(dynamicTruncate(mac)).toBe(want);
      }
    }
  });
  it('counts periods and seconds left', () => {
    expect(totpCounter(59, 30, 0)).toBe(1);
    expect(totpCounter(60, 30, 0)).toBe(2);
    expect(secondsLeft(59, 30, 0)).toBe(1);
    expect(secondsLeft(60, 30, 0)).toBe(30);
    expect(secondsLeft(60.5, 30, 0)).toBe(30);
  });
});
