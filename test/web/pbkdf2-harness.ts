// Built for the browser with the page's own build options (startWebRig's
// `entries`) and loaded into the real page by pbkdf2-page.test.ts: the page's
// USB-password derivation (host/lib/access.ts over its browser form,
// access-crypto-web.ts) and its PBKDF2 (hashes/pbkdf2-web.ts), each run while
// a page timer counts how often it got to run. The link's keep-alive pings
// (host/lib/link.ts) are such a timer: one that cannot run while the page
// derives lets the token end the session (firmware/presence.ts).
import { deriveAccessKey } from '../../host/lib/access.ts';
import { pbkdf2 } from '../../host/lib/hashes/pbkdf2-web.ts';
import type { HmacHash } from '../../host/lib/hashes/hmac-hash.ts';
import { PBKDF2_ITERATIONS } from '../../firmware/access.ts';

async function timerRunsDuring(work: () => Promise<Uint8Array>): Promise<number> {
  let runs = 0;
  const timer = setInterval(() => runs++, 10);
  try {
    (await work()).fill(0);
  } finally {
    clearInterval(timer);
  }
  return runs;
}

/** How often a 10 ms page timer ran while the page derived the USB password's key (the token's 600,000 iterations). */
function duringAccessKey(): Promise<number> {
  return timerRunsDuring(() => deriveAccessKey('open sesame', new Uint8Array(16).fill(5), PBKDF2_ITERATIONS));
}

/** The same for the page's PBKDF2 with another PRF (PSKC files may name HMAC-SHA224, which WebCrypto lacks). */
function duringPbkdf2(hash: HmacHash): Promise<number> {
  return timerRunsDuring(() => pbkdf2(hash, new TextEncoder().encode('a file password'), new Uint8Array(16).fill(6), PBKDF2_ITERATIONS, 32));
}

(globalThis as unknown as { pbkdf2Harness: unknown }).pbkdf2Harness = { duringAccessKey, duringPbkdf2 };
