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
import type { Hash, HashSet } from '../../protocol/hash.ts';
import type { FigureSink } from './figures.ts';
import { formatSpread, spread } from './stats.ts';
import type { Spread } from './stats.ts';

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

/**
 * TOTP codes per second with each hash provider, SHA1/256/512 with a 40-byte
 * (AWS-sized) seed. Each provider and algorithm is warmed up first, then timed
 * in its own windows, round-robin over all of them (so a slow stretch of the
 * machine hits each alike), `rounds` windows each: the median and the spread.
 */
export function codeRates(rounds = 7, windowMs = 150): { provider: string; algorithm: string; perSecond: Spread }[] {
  const providers: [string, HashSet][] = [['pure-ts', pureHashes()], ['@noble/hashes', nobleHashes()], ['node:crypto', nodeHashes()]];
  const seed = new Uint8Array(40).fill(9);
  const cases = providers.flatMap(([name, hashes]) => (['SHA1', 'SHA256', 'SHA512'] as const).map((alg) => ({ provider: name, algorithm: alg, hash: hashes[alg]!, runs: [] as number[] })));
  const window = (hash: Hash, ms: number): number => {
    let n = 0;
    const start = performance.now();
    while (performance.now() - start < ms) {
      totp(hash, seed, 1767225600 + n * 30, { digits: 6 });
      n++;
    }
    return (n * 1000) / (performance.now() - start);
  };
  for (const c of cases) window(c.hash, 100); // warm-up: the JIT settles before any window counts
  for (let r = 0; r < rounds; r++) for (const c of cases) c.runs.push(window(c.hash, windowMs));
  return cases.map((c) => ({ provider: c.provider, algorithm: c.algorithm, perSecond: spread(c.runs) }));
}

export async function printFigures(section: (title: string) => void, figure: FigureSink): Promise<void> {
  section('shared core (protocol/), bundled for Espruino (esbuild, then terser)');
  const core = await coreSize();
  console.log(`core minified: ${core.minified} bytes (${core.gzip} gzipped)`);

  section('firmware bundles (minified, dist/ from the build that `npm run bench` runs first)');
  for (const f of firmwareSizes()) console.log(`${f.file}: ${f.bytes} bytes`);

  section('TOTP codes per second on Node, 40-byte seed (median of 7 windows of 150 ms after warm-up; spread)');
  for (const r of codeRates()) {
    console.log(`${r.provider.padEnd(14)} ${r.algorithm.padEnd(7)} ${formatSpread(r.perSecond, 0, '/s')}`);
    if (r.algorithm === 'SHA1') figure(`TOTP codes per second on Node, SHA1, ${r.provider}`, `${Math.round(r.perSecond.median).toLocaleString('en')}/s (${Math.round(r.perSecond.min).toLocaleString('en')}-${Math.round(r.perSecond.max).toLocaleString('en')})`);
  }
}
