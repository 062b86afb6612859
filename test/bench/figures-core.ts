// Size and speed figures for the shared core and the firmware bundles.
import { readdirSync, statSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { buildFirmwareBundle } from '../../host/lib/build/esbuild-firmware.ts';
import { totp } from '../../protocol/totp.ts';
import { pureHashes } from '../../protocol/hash-pure.ts';
import { nodeHashes } from '../../host/lib/hashes/node-hashes.ts';
import { nobleHashes } from '../../host/lib/hashes/noble-hashes.ts';
import type { HashSet } from '../../protocol/hash.ts';

export async function coreSize(): Promise<{ minified: number; gzip: number }> {
  const out = join(mkdtempSync(join(tmpdir(), 'core-size-')), 'core.js');
  const minified = await buildFirmwareBundle('test/bench/core-size-entry.ts', out, true);
  return { minified, gzip: gzipSync(readFileSync(out)).length };
}

export function firmwareSizes(dist = 'dist'): { file: string; bytes: number }[] {
  const out: { file: string; bytes: number }[] = [];
  for (const runtime of ['espruino', 'xs', 'node']) {
    const dir = join(dist, runtime);
    try {
      for (const f of readdirSync(dir)) if (f.endsWith('.js')) out.push({ file: join(dir, f), bytes: statSync(join(dir, f)).size });
    } catch {
      // that runtime has no bundles
    }
  }
  return out;
}

/** TOTP codes per second with each hash provider, SHA1 with a 40-byte (AWS-sized) seed. */
export function codeRates(): { provider: string; algorithm: string; perSecond: number }[] {
  const providers: [string, HashSet][] = [['pure-ts', pureHashes()], ['@noble/hashes', nobleHashes()], ['node:crypto', nodeHashes()]];
  const rows: { provider: string; algorithm: string; perSecond: number }[] = [];
  const seed = new Uint8Array(40).fill(9);
  for (const [name, hashes] of providers) {
    for (const alg of ['SHA1', 'SHA256', 'SHA512'] as const) {
      const h = hashes[alg]!;
      let n = 0;
      const start = performance.now();
      while (performance.now() - start < 200) {
        totp(h, seed, 1767225600 + n * 30, { digits: 6 });
        n++;
      }
      rows.push({ provider: name, algorithm: alg, perSecond: Math.round((n * 1000) / (performance.now() - start)) });
    }
  }
  return rows;
}
