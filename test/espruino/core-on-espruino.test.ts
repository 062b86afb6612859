import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleCoreVectors } from '../helpers/core-bundle.ts';
import { ESPRUINO_BIN, ESPRUINO_SKIP_REASON, runOnEspruino } from '../helpers/espruino-bin.ts';
import { expectedCoreChecks } from '../helpers/core-check-count.ts';

const entry = fileURLToPath(new URL('./core-espruino-entry.ts', import.meta.url));

if (!ESPRUINO_BIN) console.warn(ESPRUINO_SKIP_REASON);

describe.skipIf(!ESPRUINO_BIN)('core vectors on the real Espruino interpreter', () => {
  it('passes every vector with pure and native hashes', async () => {
    const bundle = await bundleCoreVectors(entry);
    const { stdout } = runOnEspruino(bundle);
    const lines = stdout.split(/\r?\n/);
    const result = /RESULT (\d+) (\d+)/.exec(stdout);
    expect(result, 'no RESULT line; output was:\n' + stdout.slice(-2000)).not.toBeNull();
    expect(lines.filter((l) => l.startsWith('FAIL'))).toEqual([]);
    const skipped = lines.filter((l) => l.startsWith('SKIP'));
    // Only the Unicode-label vector may be skipped (Espruino strings hold bytes).
    expect(skipped.length).toBeLessThanOrEqual(1);
    expect(Number(result![1]) + skipped.length).toBe(expectedCoreChecks(2));
  }, 180000);
});
