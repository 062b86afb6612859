// Whether today's firmware calls a stored record one of older firmware, on
// the real Espruino interpreter (its Linux build, when ESPRUINO_BIN names
// one), built like the bundle: its regular expressions are not JavaScript's
// (2v29: /^a|b/ does not match "xb"), and the check leans on one.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { OLD_RECORDS } from '../../firmware/checked-storage.ts';
import { espruinoStoredForm } from '../../host/lib/build/esbuild-firmware.ts';
import { ESPRUINO_BIN, ESPRUINO_SKIP_REASON, runOnEspruino } from '../helpers/espruino-bin.ts';
import { bundleEntry } from '../espruino/harness.ts';
import { LAYOUT_CASES } from './layout-cases.ts';

if (!ESPRUINO_BIN) console.warn(ESPRUINO_SKIP_REASON);

describe.skipIf(!ESPRUINO_BIN)('old records on the real Espruino interpreter', () => {
  it('refuses exactly the layouts of older firmware', async () => {
    const code = await bundleEntry(fileURLToPath(new URL('./old-records-espruino-entry.ts', import.meta.url)));
    const path = join(mkdtempSync(join(tmpdir(), 'tt-old-records-')), 'old-records.js');
    const cases = JSON.stringify(LAYOUT_CASES.map(([what, files]) => [what, files]));
    writeFileSync(path, espruinoStoredForm('var CASES=' + cases + ';\n' + code), 'latin1'); // as a board stores it: pretokenised
    const { stdout } = runOnEspruino(path);
    const said = [...stdout.matchAll(/^CASE (\d+) (.*)$/gm)].map((m) => m[2].trim());
    expect(said, stdout.slice(-600)).toEqual(LAYOUT_CASES.map(([, , old]) => (old ? OLD_RECORDS : 'starts')));
  }, 120_000);
});
