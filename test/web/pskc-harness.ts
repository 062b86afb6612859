// Built for the browser with the page's own build options (test/web/browser.ts
// startWebRig's `entries`) and loaded into the real page by pskc.test.ts: it
// runs the page's PSKC import code (host/web/pskc-panel.ts, which the page
// loads when a PSKC file is chosen) and returns what it read as digests,
// so no secret crosses into the test's output.
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '../../protocol/bytes.ts';
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

(globalThis as unknown as { pskcHarness: unknown }).pskcHarness = { run };
