// Built for the browser with the page's own build options (test/web/browser.ts
// startWebRig's `entries`) and loaded into the real page by pskc.test.ts: it
// runs the page's PSKC import code (host/web/pskc-panel.ts, which the page
// loads when a PSKC file is chosen), or the codec's raw read over the page's
// crypto provider, and returns what it read as digests, so no secret crosses
// into the test's output.
import { sha1 } from '@noble/hashes/legacy.js';
import { pbkdf2Async } from '@noble/hashes/pbkdf2.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { fromHex, toHex } from '../../protocol/bytes.ts';
import type { HmacHash } from '../../host/lib/import/pskc-crypto.ts';
import { keyFromFile } from '../../host/lib/import/key-file.ts';
import { readPskcRawWith } from '../../host/lib/import/pskc.ts';
import { webPskcCrypto } from '../../host/lib/import/pskc-crypto-web.ts';
import { pskcNeeds, readPskcInPage } from '../../host/web/pskc-panel.ts';
import type { PskcReadSummary } from './pskc-summary.ts';

async function run(text: string, source: string, kind: 'password' | 'key' | 'private-key' | null, value: string | null): Promise<PskcReadSummary> {
  try {
    const need = pskcNeeds(text, source);
    const set = await readPskcInPage(text, source, {
      password: kind === 'password' ? (value as string) : undefined,
      keyFile: kind === 'key' ? new TextEncoder().encode(value as string) : undefined,
      privateKeyPem: kind === 'private-key' ? (value as string) : undefined,
    });
    const accounts = set.accounts.map((a) => {
      const { secret, ...rest } = a.otp;
      const digest = toHex(sha256(secret));
      secret.fill(0);
      return { ...rest, from: a.from, secretSha256: digest };
    });
    return { need, accounts, notes: set.notes };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e), code: (e as { code?: string }).code ?? '' };
  }
}

/** Every key's value as the file states it, decrypted in this browser: a SHA-256 of each secret (null for none), or the error. */
async function raw(text: string, source: string, kind: 'password' | 'key', value: string): Promise<(string | null)[] | string> {
  try {
    const keys = await readPskcRawWith(webPskcCrypto, text, kind === 'password' ? { password: value, source } : { preSharedKey: keyFromFile(new TextEncoder().encode(value)), source });
    return keys.map((k) => {
      if (!k.secret) return null;
      const digest = toHex(sha256(k.secret));
      k.secret.fill(0);
      return digest;
    });
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** The page's PBKDF2 (WebCrypto's, or @noble/hashes' for SHA-224) in this browser, in hex: test inputs only, never a user's. */
async function pbkdf2(hash: HmacHash, password: string, salt: string, iterations: number, length: number): Promise<string> {
  return toHex(await webPskcCrypto.pbkdf2(hash, fromHex(password), fromHex(salt), iterations, length));
}

/**
 * Milliseconds this browser takes for one PBKDF2 (a 32-byte key, a fixed test password and salt), for
 * `npm run bench`: the page's ('page': WebCrypto) or @noble/hashes' pbkdf2Async ('javascript': what the page used before).
 */
async function timePbkdf2(impl: 'page' | 'javascript', hash: 'sha1' | 'sha512', iterations: number): Promise<number> {
  const [password, salt] = [new TextEncoder().encode('bench password'), new Uint8Array(16).fill(7)];
  const t0 = performance.now();
  if (impl === 'page') await webPskcCrypto.pbkdf2(hash, password, salt, iterations, 32);
  else await pbkdf2Async(hash === 'sha1' ? sha1 : sha512, password, salt, { c: iterations, dkLen: 32 });
  return performance.now() - t0;
}

(globalThis as unknown as { pskcHarness: unknown }).pskcHarness = { run, raw, pbkdf2, timePbkdf2 };
