// What Math.random is on each Moddable platform: xs/sources/xsMath.c
// fx_Math_random returns c_rand() / C_RAND_MAX, and c_rand() is
//  - ESP32: 0x7fffffff & esp_random() (xs/platforms/esp/xsHost.h): the hardware RNG;
//  - Pico: newlib's rand() (xs/platforms/pico/xsHost.h `#define c_rand rand`),
//    which nobody seeds: it starts from 1 at every boot and steps
//    next = next * 6364136223846793005 + 1, returning (next >> 32) & 0x7fffffff
//    (newlib/libc/stdlib/rand.c);
//  - Linux: glibc's rand() (xs/platforms/xsPlatform.h), likewise unseeded: its
//    TYPE_3 additive generator from seed 1 (glibc stdlib/random_r.c: r[i] =
//    16807 * r[i-1] % 2147483647 for i < 31, then r[i] = r[i-31] + r[i-3],
//    the first 310 outputs discarded, each output r >> 1). The SDK's x-cli-lin
//    build gave 0.8401877171547095 as the first Math.random() of every run.
// A firmware that takes salts or challenges from Math.random repeats them after
// every restart here, as it does on a Pico.
import { config, OUT, toHost } from './host.ts';

export function installMathRandom(): void {
  if (config.platform === 'esp32') {
    Math.random = () => {
      let r: number;
      do {
        const b = toHost(OUT.RANDOM, Uint8Array.of(3));
        r = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) & 0x7fffffff;
      } while (r === 0x7fffffff);
      return r / 0x7fffffff;
    };
    return;
  }
  if (config.platform === 'lin') {
    const r: number[] = [1];
    for (let i = 1; i < 31; i++) {
      const hi = Math.floor(r[i - 1]! / 127773);
      const lo = r[i - 1]! % 127773;
      let word = 16807 * lo - 2836 * hi;
      if (word < 0) word += 2147483647;
      r.push(word);
    }
    for (let i = 31; i < 34; i++) r.push(r[i - 31]!);
    let k = 34;
    const step = () => {
      const v = (r[k - 31]! + r[k - 3]!) >>> 0;
      r[k] = v;
      k++;
      return v >>> 1;
    };
    for (let i = 34; i < 344; i++) step();
    Math.random = () => {
      let v: number;
      do v = step();
      while (v === 0x7fffffff);
      return v / 0x7fffffff;
    };
    return;
  }
  let next = 1n;
  Math.random = () => {
    let r: number;
    do {
      next = (next * 6364136223846793005n + 1n) & 0xffffffffffffffffn;
      r = Number((next >> 32n) & 0x7fffffffn);
    } while (r === 0x7fffffff);
    return r / 0x7fffffff;
  };
}
