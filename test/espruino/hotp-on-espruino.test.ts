// HOTP on the real Espruino interpreter (its Linux build), when ESPRUINO_BIN
// names one: hotp-entry.ts runs the token app there (pretokenised, as a board
// stores it) with the interpreter's Storage and native SHA1, and prints each
// code CODE returned.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ESPRUINO_BIN, ESPRUINO_SKIP_REASON, runOnEspruino } from '../helpers/espruino-bin.ts';
import { otplibHotp } from '../helpers/providers.ts';
import { loadVectors } from '../helpers/vectors.ts';
import { bundleEntry } from './harness.ts';
import { espruinoStoredForm } from '../../host/lib/build/esbuild-firmware.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
if (!ESPRUINO_BIN) console.warn(ESPRUINO_SKIP_REASON);

describe.skipIf(!ESPRUINO_BIN)('HOTP on the real Espruino interpreter', () => {
  it("gives RFC 4226 appendix D codes through the app's CODE path with the native SHA1 (and otplib's), the counter stored", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tt-espruino-hotp-'));
    const bundle = join(dir, 'hotp.js');
    writeFileSync(bundle, espruinoStoredForm(await bundleEntry(join(here, 'hotp-entry.ts'))), 'latin1'); // as a board stores it: pretokenised
    const { stdout } = runOnEspruino(bundle);
    const rfc = loadVectors<{ secret_ascii: string; valid: { counter: number; code: string }[] }>('rfc4226-hotp.json');
    expect(stdout, stdout.slice(-500)).toMatch(/^ADD 0$/m);
    const got = [...stdout.matchAll(/^HOTP (\d+) (\d+)$/gm)].map((m) => ({ counter: Number(m[1]), code: m[2] }));
    expect(got).toEqual(rfc.valid);
    for (const g of got) expect(g.code).toBe(otplibHotp(Buffer.from(rfc.secret_ascii), g.counter, 6, 'SHA1'));
    expect(stdout).toMatch(/^PRESS 11$/m);
    expect(stdout).toMatch(/^RESTART 11$/m);
  }, 120_000);
});
