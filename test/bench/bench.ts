// `npm run bench`: prints the project's performance and size figures.
// Figures only; no test asserts a time.
import { coreSize, codeRates, firmwareSizes } from './figures-core.ts';
import { driftFigures } from './figures-clock.ts';

function section(title: string): void {
  console.log(`\n== ${title}`);
}

section('shared core (protocol/), bundled for Espruino (esbuild, then terser)');
const core = await coreSize();
console.log(`core minified: ${core.minified} bytes (${core.gzip} gzipped)`);

section('firmware bundles (minified)');
for (const f of firmwareSizes()) console.log(`${f.file}: ${f.bytes} bytes`);

section('TOTP codes per second on Node, 40-byte seed');
for (const r of codeRates()) console.log(`${r.provider.padEnd(14)} ${r.algorithm.padEnd(7)} ${r.perSecond}/s`);

section('clock: two syncs a week apart, then');
for (const d of driftFigures()) {
  console.log(`${String(d.ppm).padStart(6)} ppm (noise ±${d.noisePpm}) over ${d.days} days: corrected worst ${(d.correctedWorstMs / 1000).toFixed(3)} s, uncorrected ${(d.uncorrectedWorstMs / 1000).toFixed(1)} s`);
}

for (const extra of ['./figures-link.ts', './xs-figures.ts', './figures-web.ts']) {
  try {
    const mod = await import(extra);
    if (typeof mod.printFigures === 'function') await mod.printFigures(section);
  } catch (e) {
    if ((e as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw e;
  }
}
