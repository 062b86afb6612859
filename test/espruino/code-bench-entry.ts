// Time per TOTP code on the Espruino interpreter: the app's code path
// (protocol/totp.ts's totpChecked over HMAC) with the native SHA and the pure
// one. Prints `BENCH <name> <ms per code> <last code>` lines. Espruino subset.
import { totpChecked } from '../../protocol/totp.ts';
import { pureHashes } from '../../protocol/hash-pure.ts';
import type { Hash } from '../../protocol/hash.ts';
import { espruinoNativeHashes } from '../../firmware/ports/espruino/hashes.ts';

declare function getTime(): number;
declare function print(text: string): void;

const secret = new Uint8Array(40);
for (let i = 0; i < 40; i++) secret[i] = (i * 37 + 11) & 255;

function bench(name: string, hash: Hash, n: number): void {
  const t0 = getTime();
  let last = '';
  for (let i = 0; i < n; i++) last = totpChecked(hash, secret, 1767225600 + i * 30, 30, 6);
  const ms = ((getTime() - t0) * 1000) / n;
  print('BENCH ' + name + ' ' + ms.toFixed(2) + ' ' + last);
}

const native = espruinoNativeHashes(['SHA1', 'SHA256', 'SHA512']);
const pure = pureHashes();
bench('native-SHA1', native.SHA1 as Hash, 100);
bench('native-SHA256', native.SHA256 as Hash, 100);
bench('pure-SHA1', pure.SHA1 as Hash, 10);
