// The page's PBKDF2 must leave its thread free for its timers (the link's
// keep-alive pings) in real Chromium, on each of its paths: WebCrypto's
// deriveBits, and the JavaScript one where WebCrypto cannot (a page
// without a secure context, which has no crypto.subtle: W3C Web Cryptography
// API, `[SecureContext] readonly attribute SubtleCrypto subtle`; and HMAC-SHA224,
// which WebCrypto lacks). @noble/hashes' pbkdf2Async, used there first, yields with scheduler.yield() where the
// browser has it (@noble/hashes utils.js nextTick), and Chromium runs a yield's
// continuation before its timers (WICG Prioritized Task Scheduling: yield()
// continuations have a higher effective priority): no timer ran at all, so a
// page on a slow machine lost its session to the token while it derived,
// the failure 9da30c0 fixed for the WebCrypto path only.
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, startWebRig } from './browser.ts';
import type { WebRig } from './browser.ts';

describe.skipIf(!hasChromium)('the page’s PBKDF2 leaves its timers running (real Chromium)', () => {
  let rig: WebRig;
  let page: Page;

  beforeAll(async () => {
    rig = await startWebRig([], [join(import.meta.dirname, 'pbkdf2-harness.ts')]);
    page = await rig.newPage(1024);
    await page.goto(rig.web.url);
    // A string, not a function: vitest would rewrite a function's import() for Node.
    await page.evaluate(`import(${JSON.stringify(`${rig.web.url}test/pbkdf2-harness.js`)}).then(() => true)`);
  }, 60000);

  afterAll(async () => {
    await rig?.close();
  });

  const harness = (call: string) => page.evaluate(`globalThis.pbkdf2Harness.${call}`) as Promise<number>;

  it('the USB password with WebCrypto (a secure context, as `totp-token web` serves the page)', async () => {
    expect(await page.evaluate(() => isSecureContext && crypto.subtle !== undefined)).toBe(true);
    expect(await harness('duringAccessKey()')).toBeGreaterThan(0);
  }, 60000);

  it('the USB password in a page without crypto.subtle (plain http): the JavaScript PBKDF2', async () => {
    // Chromium leaves `subtle` off Crypto in an insecure context; here its getter answers undefined as there.
    await page.evaluate(() => Object.defineProperty(Crypto.prototype, 'subtle', { configurable: true, get: () => undefined }));
    expect(await page.evaluate(() => crypto.subtle)).toBeUndefined();
    try {
      expect(await harness('duringAccessKey()')).toBeGreaterThan(0);
    } finally {
      await page.reload();
      await page.evaluate(`import(${JSON.stringify(`${rig.web.url}test/pbkdf2-harness.js`)}).then(() => true)`);
    }
  }, 120000);

  it('a PSKC file’s PBKDF2 with HMAC-SHA224 (no WebCrypto PRF), in a secure context', async () => {
    expect(await harness("duringPbkdf2('sha224')")).toBeGreaterThan(0);
  }, 120000);
});
