// PBKDF2 (RFC 8018 §5.2) for the web page: WebCrypto's deriveBits, native and
// off the page's thread, where it has the PRF and a secure context; else
// @noble/hashes' HMAC in a loop that gives the page's timers a turn every
// 50 ms. Either way the page's keep-alive pings go on while it works: a page
// that derived on its own thread for 20 s (a slow machine) lost its session
// to the token's 10 s silence limit before it could answer
// (test/web/web-serial.test.ts, test/web/pbkdf2-page.test.ts).
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha224, sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import type { HmacHash } from './hmac-hash.ts';

const HASHES = { sha1, sha224, sha256, sha384, sha512 };

/**
 * WebCrypto's names for the PBKDF2 PRFs it has (W3C Web Cryptography API,
 * §29 PBKDF2 and §30 SHA: "SHA-1", "SHA-256", "SHA-384", "SHA-512"); it has
 * no SHA-224, which RFC 6030 files may name (HMAC-SHA224 is in RFC 4231).
 */
const WEBCRYPTO_HASH: { [h in HmacHash]?: string } = { sha1: 'SHA-1', sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' };

/** Whether the page's PBKDF2 runs natively (WebCrypto) for this PRF: the page says how long it may take when it does not. */
export function nativePbkdf2(hash: HmacHash): boolean {
  return WEBCRYPTO_HASH[hash] !== undefined && globalThis.crypto?.subtle !== undefined;
}

/** A turn for the page's timers and I/O: a task (setTimeout), not a microtask, and not scheduler.yield(). */
const TIMERS_TURN_MS = 50; // setTimeout(0) waits >= 4 ms once nested: a turn per 50 ms costs under a tenth
const timersTurn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * RFC 8018 §5.2 over @noble/hashes' HMAC, yielding with setTimeout every 50 ms.
 * Not @noble/hashes' pbkdf2Async: it yields with scheduler.yield() where the
 * browser has it (utils.js nextTick), and Chromium runs that continuation
 * before any timer (a yield() continuation outranks tasks of its priority,
 * WICG Prioritized Task Scheduling), so no ping went out until it finished.
 */
async function pbkdf2Yielding(hash: HmacHash, password: Uint8Array, salt: Uint8Array, iterations: number, length: number): Promise<Uint8Array> {
  const prf = hmac.create(HASHES[hash], password); // keyed once; each round works on a copy of its state
  const hLen = HASHES[hash].outputLen;
  const dk = new Uint8Array(length);
  const saltBlock = new Uint8Array(salt.length + 4);
  saltBlock.set(salt);
  const u = new Uint8Array(hLen);
  let work = prf.clone();
  let turn = Date.now();
  try {
    for (let block = 1, pos = 0; pos < length; block++, pos += hLen) {
      // T_i = U_1 ^ ... ^ U_c, U_1 = PRF(P, S || INT(i)), U_j = PRF(P, U_{j-1}); the last T_i is cut to length.
      new DataView(saltBlock.buffer).setUint32(salt.length, block);
      const t = dk.subarray(pos, pos + hLen);
      work = prf._cloneInto(work);
      work.update(saltBlock).digestInto(u);
      t.set(u.subarray(0, t.length));
      for (let j = 1; j < iterations; j++) {
        work = prf._cloneInto(work);
        work.update(u).digestInto(u);
        for (let k = 0; k < t.length; k++) t[k] ^= u[k];
        if (Date.now() - turn >= TIMERS_TURN_MS) {
          await timersTurn();
          turn = Date.now();
        }
      }
    }
    return dk;
  } catch (e) {
    dk.fill(0);
    throw e;
  } finally {
    u.fill(0);
    work.destroy();
    prf.destroy();
  }
}

export async function pbkdf2(hash: HmacHash, password: Uint8Array, salt: Uint8Array, iterations: number, length: number): Promise<Uint8Array> {
  const name = WEBCRYPTO_HASH[hash];
  const s = globalThis.crypto?.subtle;
  // Without a secure context (a plain-http static host) there is no subtle: the JavaScript PBKDF2 gives the same bytes, slower.
  if (name === undefined || s === undefined) return pbkdf2Yielding(hash, password, salt, iterations, length);
  // A copy with an ArrayBuffer, as WebCrypto's BufferSource wants; importKey copies the bytes (the spec's "a copy of the bytes held by keyData"), so ours is wiped at once.
  const copy = new Uint8Array(password);
  let key: CryptoKey;
  try {
    key = await s.importKey('raw', copy, 'PBKDF2', false, ['deriveBits']);
  } finally {
    copy.fill(0);
  }
  return new Uint8Array(await s.deriveBits({ name: 'PBKDF2', hash: name, salt: new Uint8Array(salt), iterations }, key, length * 8));
}
