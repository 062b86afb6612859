// The USB password's primitives in both builds: the web page's
// (host/lib/access-crypto-web.ts: WebCrypto's PBKDF2, or @noble/hashes'
// without a secure context) and the CLI's (access-crypto.ts, node:crypto's
// thread pool), against node:crypto's synchronous PBKDF2 and RFC 7914 §11's
// PBKDF2-HMAC-SHA256 vector. And the reason they are asynchronous: the
// derivation must leave the event loop free for the link's keep-alive pings.
import { createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as nodeForm from '../../host/lib/access-crypto.ts';
import * as webForm from '../../host/lib/access-crypto-web.ts';
import { deriveAccessKey } from '../../host/lib/access.ts';
import { PBKDF2_ITERATIONS } from '../../firmware/access.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
/** PBKDF2-SHA256 of a password's UTF-8, as deriveAccessKey asks each form for it. */
const sha256Key = (form: typeof nodeForm, password: string, salt: Uint8Array, iterations: number, bytes: number) => form.pbkdf2('sha256', new TextEncoder().encode(password), salt, iterations, bytes);

describe('USB password primitives', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('RFC 7914 §11: PBKDF2-HMAC-SHA256 ("passwd", "salt", c = 1, 64 bytes), in every form', async () => {
    const want = '55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783';
    const salt = new TextEncoder().encode('salt');
    expect(hex(await sha256Key(nodeForm, 'passwd', salt, 1, 64))).toBe(want);
    expect(hex(await sha256Key(webForm, 'passwd', salt, 1, 64))).toBe(want);
    vi.stubGlobal('crypto', {}); // a page served over plain http: no crypto.subtle
    expect(hex(await sha256Key(webForm, 'passwd', salt, 1, 64))).toBe(want);
  });

  it('PBKDF2-SHA256 and HMAC-SHA1 match node:crypto for non-ASCII passwords (UTF-8), with and without WebCrypto', async () => {
    for (const noSubtle of [false, true]) {
      if (noSubtle) vi.stubGlobal('crypto', {});
      for (const password of ['correct horse', 'pässwörd', '\u00e9', '🔑 key']) {
        const salt = new Uint8Array(randomBytes(16));
        const want = hex(pbkdf2Sync(password, salt, 2000, 32, 'sha256'));
        expect(hex(await sha256Key(webForm, password, salt, 2000, 32)), `web, no subtle: ${noSubtle}`).toBe(want);
        expect(hex(await sha256Key(nodeForm, password, salt, 2000, 32))).toBe(want);
        const challenge = new Uint8Array(randomBytes(20));
        const mac = hex(createHmac('sha1', Buffer.from(want, 'hex')).update(challenge).digest());
        expect(hex(webForm.hmacSha1(Buffer.from(want, 'hex'), challenge))).toBe(mac);
        expect(hex(nodeForm.hmacSha1(Buffer.from(want, 'hex'), challenge))).toBe(mac);
      }
    }
  });

  it('the page’s JavaScript PBKDF2 (no subtle, or SHA-224) matches node:crypto for every PRF, over several blocks and a cut last one', async () => {
    const { pbkdf2 } = await import('../../host/lib/hashes/pbkdf2-web.ts');
    vi.stubGlobal('crypto', {});
    for (const hash of ['sha1', 'sha224', 'sha256', 'sha384', 'sha512'] as const) {
      for (const [iterations, length] of [[1, 20], [2, 32], [1000, 70], [3, 1]]) {
        const password = new Uint8Array(randomBytes(13));
        const salt = new Uint8Array(randomBytes(16));
        expect(hex(await pbkdf2(hash, password, salt, iterations, length)), `${hash} c=${iterations} ${length} B`).toBe(pbkdf2Sync(password, salt, iterations, length, hash).toString('hex'));
      }
    }
  });

  it('the token’s 600,000 iterations leave the event loop free (the link pings the token every second meanwhile)', async () => {
    const salt = new Uint8Array(randomBytes(16));
    for (const form of ['cli', 'web'] as const) {
      let ticks = 0;
      const timer = setInterval(() => ticks++, 5);
      try {
        const key = form === 'cli' ? await deriveAccessKey('open sesame', salt, PBKDF2_ITERATIONS) : await sha256Key(webForm, 'open sesame', salt, PBKDF2_ITERATIONS, 32);
        expect(key.length).toBe(32);
      } finally {
        clearInterval(timer);
      }
      // A synchronous derivation (pbkdf2Sync, or @noble/hashes' pbkdf2 in the page) lets no timer run until it returns.
      expect(ticks, form).toBeGreaterThan(0);
    }
  });
});
