// Time per HOTP on the Espruino interpreter, bundled through the shipped
// pipeline (so with the Espruino HMAC twin, native SHA1): ours
// (protocol/hotp.ts's hotpChecked: counter bytes, HMAC, truncation, the
// 6-digit string) against authentiwatch's hmac() (HMAC and truncation only,
// its message built beforehand), when the bench defined
// `authentiwatchHmac` before this bundle (test/bench/figures-espruino.ts).
// Warm-up first, then rounds that alternate the two, each timing one of them
// only. Prints `CHECK <who> <code>` and `HMACBENCH <who> <ms per HOTP>` lines.
// Espruino subset.
import { hotpChecked } from '../../protocol/hotp.ts';
import type { Hash } from '../../protocol/hash.ts';
import { espruinoNativeHashes } from '../../firmware/ports/espruino/hashes.ts';

declare function getTime(): number;
declare function print(text: string): void;
declare const global: { authentiwatchHmac?: (key: Uint8Array, message: Uint8Array, algorithm: string) => number };

const sha1 = espruinoNativeHashes(['SHA1']).SHA1 as Hash;
const key = new Uint8Array(20); // RFC 4226's key, "12345678901234567890"
for (let i = 0; i < 20; i++) key[i] = 48 + ((i + 1) % 10);
const message = new Uint8Array(8);
message[7] = 1;
const theirs = global.authentiwatchHmac;
const N = 200;

function ours(i: number): void {
  hotpChecked(sha1, key, i, 6);
}

function authentiwatch(): void {
  (theirs as (key: Uint8Array, message: Uint8Array, algorithm: string) => number)(key, message, 'SHA1');
}

function msPer(fn: (i: number) => void): number {
  const t0 = getTime();
  for (let i = 0; i < N; i++) fn(i);
  return ((getTime() - t0) * 1000) / N;
}

print('CHECK ours ' + hotpChecked(sha1, key, 1, 6));
if (theirs) print('CHECK authentiwatch ' + (theirs(key, message, 'SHA1') % 1000000));
msPer(ours);
if (theirs) msPer(authentiwatch);
for (let r = 0; r < 7; r++) {
  print('HMACBENCH ours ' + msPer(ours).toFixed(4));
  if (theirs) print('HMACBENCH authentiwatch ' + msPer(authentiwatch).toFixed(4));
}
print('HMACBENCH done');
