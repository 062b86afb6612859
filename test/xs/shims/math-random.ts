// What Math.random is on each Moddable platform: xs/sources/xsMath.c
// fx_Math_random returns c_rand() / C_RAND_MAX, and c_rand() is
//  - ESP32: 0x7fffffff & esp_random() (xs/platforms/esp/xsHost.h): the hardware RNG;
//  - Pico: newlib's rand() (xs/platforms/pico/xsHost.h `#define c_rand rand`),
//    which nobody seeds: it starts from 1 at every boot and steps
//    next = next * 6364136223846793005 + 1, returning (next >> 32) & 0x7fffffff
//    (newlib/libc/stdlib/rand.c);
//  - Linux: glibc's rand(), likewise unseeded (modelled here as newlib's: what
//    matters is that every boot draws the same numbers).
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
