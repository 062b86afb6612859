// The per-module size report (host/lib/build/size-report.ts) accounts for
// every byte of the shipped bundle, as text and as stored, and the bundle it
// measures is the shipped one.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { espruinoBuildOptions, espruinoBundle, espruinoBundleReport, espruinoStoredForm, minifiedEspruinoBuildOptions } from '../../host/lib/build/esbuild-firmware.ts';
import { unshortenedNames } from '../../host/lib/build/size-report.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const entry = join(root, 'firmware/ports/espruino/esp32-ssd1306.ts');

describe('Espruino size report', () => {
  it('charges every byte of the shipped bundle to a source module', async () => {
    const code = await espruinoBundle(entry, true);
    const shipped = Buffer.byteLength(code);
    const r = await espruinoBundleReport(entry);
    expect(r.bytes).toBe(shipped);
    expect(r.modules.reduce((s, m) => s + m.bytes, 0)).toBe(shipped);
    for (const m of r.modules) if (m.module !== '(glue)') expect(existsSync(join(root, m.module)), m.module).toBe(true);
    const glue = r.modules.find((m) => m.module === '(glue)')?.bytes ?? 0;
    expect(glue).toBeLessThan(shipped / 50);
    expect(r.modules.map((m) => m.module)).toContain('firmware/ports/espruino/native-hmac.ts');
    // As stored (pretokenised): every stored byte charged too, and the total is what the flasher writes.
    const stored = espruinoStoredForm(Buffer.from(code, 'utf8').toString('latin1')).length;
    expect(r.storedBytes).toBe(stored);
    expect(r.storedModules!.reduce((s, m) => s + m.bytes, 0)).toBe(stored);
    const hmac = (rows: { module: string; bytes: number }[]) => rows.find((m) => m.module === 'firmware/ports/espruino/native-hmac.ts')!.bytes;
    expect(hmac(r.storedModules!)).toBeLessThan(hmac(r.modules));
  }, 60_000); // two builds; slower under load

  it('names the property names a bundle keeps whole that no built-in has', () => {
    const code = 'a.fooBar=1;let y={bazQux:2,length:3},z=a.fooBar(q.length,"c.hidden",E.mapInPlace,JSON.stringify(y));';
    expect(unshortenedNames(code)).toEqual([
      { name: 'fooBar', uses: 2 },
      { name: 'bazQux', uses: 1 },
    ]);
  });

  it('places refuse.ts first only in a bundle that holds it anyway', async () => {
    const inputs = async (options: Parameters<typeof build>[0]) => Object.keys((await build({ ...options, write: false, metafile: true })).metafile!.inputs);
    const bench = join(root, 'test/espruino/hmac-bench-entry.ts');
    expect(await inputs(await minifiedEspruinoBuildOptions(bench, 'x.js'))).toEqual(await inputs(espruinoBuildOptions(bench, 'x.js', true)));
    const early = (await minifiedEspruinoBuildOptions(entry, 'x.js')).inject!;
    expect(early.map((p) => p.replace(root, ''))).toEqual(['firmware/ports/espruino/short-builtins.ts', 'firmware/refuse.ts']);
  });
});
