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

/**
 * A vector's field, read by name: the shipped Espruino pipeline shortens
 * property names it owns (code, digits, period, algorithm ...) but not the
 * keys of imported JSON, so vectors are read with string keys.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function at(v: unknown, key: string): any {
  return (v as { [key: string]: unknown })[key];
}

function ascii(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

// Espruino strings hold bytes: String.fromCharCode truncates to 8 bits, so
// Unicode labels cannot be decoded there (the device keeps names as UTF-8
// byte strings and never needs to). Such vectors are reported as skipped.
function otpauthChecks(check: (ok: boolean, what: string) => void, log: (line: string) => void): void {
  const wide = 30000 + ascii('').length; // a call's result: the minifier cannot fold the probe at build time
  const unicodeStrings = String.fromCharCode(wide).charCodeAt(0) === wide;
  for (const v of at(otpauthVectors, 'valid')) {
    if (!unicodeStrings && /%[89a-fA-F][0-9a-fA-F]/.test(at(v, 'uri'))) {
      log('SKIP otpauth ' + at(v, 'note') + ' (runtime has no Unicode strings)');
      continue;
    }
    let got = '';
    try {
      const p = parseOtpauth(at(v, 'uri'));
      got = [p.type, p.issuer, p.account, toHex(p.secret), p.algorithm, p.digits, p.period, p.counter].join('|');
    } catch (e) { got = 'threw ' + (e as Error)['message']; }
    const x = at(v, 'expect');
    check(got === [at(x, 'type'), at(x, 'issuer'), at(x, 'account'), at(x, 'secret_hex'), at(x, 'algorithm'), at(x, 'digits'), at(x, 'period'), at(x, 'counter')].join('|'), 'otpauth ' + at(v, 'note') + ': ' + got);
  }
  for (const v of at(otpauthVectors, 'invalid')) {
    let code = 'none';
    try { parseOtpauth(at(v, 'uri')); } catch (e) { code = (e as { code: string }).code; }
    check(code === at(v, 'error'), 'otpauth invalid ' + at(v, 'note') + ': ' + code);
  }
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
  for (const v of at(base32Vectors, 'valid')) {
    let got = '';
    try { got = toHex(base32Decode(at(v, 'input'))); } catch (e) { got = 'threw ' + (e as Error)['message']; }
    check(got === at(v, 'hex'), 'base32 ' + at(v, 'note') + ': ' + got);
    if (at(v, 'canonical')) check(base32Encode(base32Decode(at(v, 'input'))) === at(v, 'canonical'), 'base32 encode ' + at(v, 'note'));
  }
  for (const v of at(base32Vectors, 'invalid')) {
    let code = 'none';
    try { base32Decode(at(v, 'input')); } catch (e) { code = (e as { code: string }).code; }
    check(code === at(v, 'error'), 'base32 invalid ' + at(v, 'note') + ': ' + code);
  }
  // otpauth.ts is host-side (the firmware never parses a URI) and names its
  // query parameters by string, which the shipped pipeline's property
  // shortening would break: its vectors run in the plain build only.
  if (!SHIPPED_PIPELINE) otpauthChecks(check, log);
  for (const p of providers) {
    for (const v of at(hotpVectors, 'valid')) {
      const got = hotp(p.hashes.SHA1!, ascii(at(hotpVectors, 'secret_ascii')), at(v, 'counter'), 6);
      check(got === at(v, 'code'), p.name + ' hotp c=' + at(v, 'counter') + ': ' + got);
    }
    for (const v of at(totpVectors, 'valid')) {
      const h = p.hashes[at(v, 'algorithm') as Algorithm];
      if (!h) continue;
      const got = totp(h, ascii(at(v, 'secret_ascii')), at(v, 'time'), { period: at(v, 'period'), t0: at(v, 't0'), digits: at(v, 'digits') });
      check(got === at(v, 'code'), p.name + ' totp ' + at(v, 'algorithm') + ' t=' + at(v, 'time') + ': ' + got);
    }
    // Counters past 2^32 and 10 digits: the value below is RFC 4226's key at
    // counter 2^32+1, computed independently with node:crypto.
    const big = hotp(p.hashes.SHA1!, ascii(at(hotpVectors, 'secret_ascii')), 4294967297, 10);
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
declare const SHIPPED_PIPELINE: boolean;
declare const LONG_KEY_HMAC_SHA1: string;

export function mainWithPureHashes(extra: { name: string; hashes: HashSet }[]): void {
  const providers = [{ name: 'pure', hashes: pureHashes() }];
  for (let i = 0; i < extra.length; i++) providers.push(extra[i]);
  const r = runCoreVectors(providers, print);
  print('RESULT ' + r[0] + ' ' + r[1]);
}
