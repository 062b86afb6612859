// Runs every core vector inside a firmware runtime (the Espruino interpreter,
// XS) and prints one line per failure, then `RESULT <passed> <failed>`.
// Written in the Espruino subset: it is bundled and checked like firmware.
import { base32Decode, base32Encode } from '../../protocol/base32.ts';
import { toHex } from '../../protocol/bytes.ts';
import { hotp } from '../../protocol/hotp.ts';
import { totp } from '../../protocol/totp.ts';
import { hmac } from '../../protocol/hmac.ts';
import { parseOtpauth } from '../../protocol/otpauth.ts';
import { pureHashes } from '../../protocol/hash-pure.ts';
import type { Algorithm, HashSet } from '../../protocol/hash.ts';
import base32Vectors from '../../protocol/vectors/base32.json' with { type: 'json' };
import otpauthVectors from '../../protocol/vectors/otpauth.json' with { type: 'json' };
import hotpVectors from '../../protocol/vectors/rfc4226-hotp.json' with { type: 'json' };
import totpVectors from '../../protocol/vectors/rfc6238-totp.json' with { type: 'json' };

declare const print: (text: string) => void;

function ascii(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

export function runCoreVectors(providers: { name: string; hashes: HashSet }[], log: (line: string) => void): number[] {
  let passed = 0;
  let failed = 0;
  const check = (ok: boolean, what: string) => {
    if (ok) passed++;
    else {
      failed++;
      log('FAIL ' + what);
    }
  };
  for (const v of base32Vectors.valid) {
    let got = '';
    try { got = toHex(base32Decode(v.input)); } catch (e) { got = 'threw ' + (e as Error).message; }
    check(got === v.hex, 'base32 ' + v.note + ': ' + got);
    if (v.canonical) check(base32Encode(base32Decode(v.input)) === v.canonical, 'base32 encode ' + v.note);
  }
  for (const v of base32Vectors.invalid) {
    let code = 'none';
    try { base32Decode(v.input); } catch (e) { code = (e as { code: string }).code; }
    check(code === v.error, 'base32 invalid ' + v.note + ': ' + code);
  }
  // Espruino strings hold bytes: String.fromCharCode truncates to 8 bits, so
  // Unicode labels cannot be decoded there (the device keeps names as UTF-8
  // byte strings and never needs to). Such vectors are reported as skipped.
  // (Number() keeps esbuild's minifier from folding the probe to `true` at build time.)
  const wide = Number('30000');
  const unicodeStrings = String.fromCharCode(wide).charCodeAt(0) === wide;
  for (const v of otpauthVectors.valid) {
    if (!unicodeStrings && /%[89a-fA-F][0-9a-fA-F]/.test(v.uri)) {
      log('SKIP otpauth ' + v.note + ' (runtime has no Unicode strings)');
      continue;
    }
    let got = '';
    try {
      const p = parseOtpauth(v.uri);
      got = [p.type, p.issuer, p.account, toHex(p.secret), p.algorithm, p.digits, p.period, p.counter].join('|');
    } catch (e) { got = 'threw ' + (e as Error).message; }
    const x = v.expect;
    check(got === [x.type, x.issuer, x.account, x.secret_hex, x.algorithm, x.digits, x.period, x.counter].join('|'), 'otpauth ' + v.note + ': ' + got);
  }
  for (const v of otpauthVectors.invalid) {
    let code = 'none';
    try { parseOtpauth(v.uri); } catch (e) { code = (e as { code: string }).code; }
    check(code === v.error, 'otpauth invalid ' + v.note + ': ' + code);
  }
  for (const p of providers) {
    for (const v of hotpVectors.valid) {
      const got = hotp(p.hashes.SHA1!, ascii(hotpVectors.secret_ascii), v.counter, 6);
      check(got === v.code, p.name + ' hotp c=' + v.counter + ': ' + got);
    }
    for (const v of totpVectors.valid) {
      const h = p.hashes[v.algorithm as Algorithm];
      if (!h) continue;
      const got = totp(h, ascii(v.secret_ascii), v.time, { period: v.period, t0: v.t0, digits: v.digits });
      check(got === v.code, p.name + ' totp ' + v.algorithm + ' t=' + v.time + ': ' + got);
    }
    // Counters past 2^32 and 10 digits: the value below is RFC 4226's key at
    // counter 2^32+1, computed independently with node:crypto.
    const big = hotp(p.hashes.SHA1!, ascii(hotpVectors.secret_ascii), 4294967297, 10);
    check(big === BIG_COUNTER_CODE, p.name + ' hotp c=2^32+1: ' + big);
    // HMAC with a key longer than the block (hashed first, RFC 2104 §2).
    const longKey = new Uint8Array(200);
    for (let i = 0; i < 200; i++) longKey[i] = i;
    check(toHex(hmac(p.hashes.SHA1!, longKey, ascii('abc'))) === LONG_KEY_HMAC_SHA1, p.name + ' hmac long key');
  }
  return [passed, failed];
}

// Filled in by the bundler from node:crypto (see test/espruino/bundle-core.ts).
declare const BIG_COUNTER_CODE: string;
declare const LONG_KEY_HMAC_SHA1: string;

export function mainWithPureHashes(extra: { name: string; hashes: HashSet }[]): void {
  const providers = [{ name: 'pure', hashes: pureHashes() }];
  for (let i = 0; i < extra.length; i++) providers.push(extra[i]);
  const r = runCoreVectors(providers, print);
  print('RESULT ' + r[0] + ' ' + r[1]);
}
