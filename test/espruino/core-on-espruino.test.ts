import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleCoreVectors } from '../helpers/core-bundle.ts';
import { ESPRUINO_BIN, ESPRUINO_SKIP_REASON, runOnEspruino } from '../helpers/espruino-bin.ts';
import { expectedCoreChecks } from '../helpers/core-check-count.ts';

const entry = fileURLToPath(new URL('./core-espruino-entry.ts', import.meta.url));

if (!ESPRUINO_BIN) console.warn(ESPRUINO_SKIP_REASON);

describe.skipIf(!ESPRUINO_BIN)('core vectors on the real Espruino interpreter', () => {
  // `espruino`: the shipped pipeline (twins, tokenized text, shortened
  // property names, terser, pretokenised as stored) - the code a board runs; `plain`: esbuild alone,
  // with the host-side otpauth parser's vectors too.
  it.each([
    ['espruino', false],
    ['plain', true],
  ] as const)('passes every vector with pure and native hashes, built by the %s pipeline', async (pipeline, otpauth) => {
    const bundle = await bundleCoreVectors(entry, pipeline);
    // The shipped pipeline ends pretokenised, as the flasher stores it: token bytes, so not run as text.
    if (pipeline === 'espruino') expect(readFileSync(bundle, 'latin1')).toMatch(/[\x8a-\xd5]/);
    const { stdout } = runOnEspruino(bundle);
    const lines = stdout.split(/\r?\n/);
    const result = /RESULT (\d+) (\d+)/.exec(stdout);
    expect(result, 'no RESULT line; output was:\n' + stdout.slice(-2000)).not.toBeNull();
    expect(lines.filter((l) => l.startsWith('FAIL'))).toEqual([]);
    const skipped = lines.filter((l) => l.startsWith('SKIP'));
    // Only the Unicode-label vector may be skipped (Espruino strings hold bytes).
    expect(skipped.length).toBeLessThanOrEqual(otpauth ? 1 : 0);
    expect(Number(result![1]) + skipped.length).toBe(expectedCoreChecks(2, otpauth));
  }, 180000);
});
