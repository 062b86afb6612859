// The Espruino build shortens names the firmware shares with built-ins (the wire
// field key `message`, Canvas's clear and fillRect: SHARED_WITH_BUILTINS), so the
// firmware reads the built-ins' quoted; the build refuses a dotted read.
import { describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { espruinoBuildOptions, refuseDottedBuiltins } from '../../host/lib/build/esbuild-firmware.ts';

describe('names shared with built-ins', () => {
  it('refuses err.message in a firmware module, not err["message"], a comment or a string', () => {
    expect(() => refuseDottedBuiltins('try { f(); } catch (e) { g((e as Error).message); }', '/r/firmware/x.ts')).toThrow(/firmware\/x\.ts:1: .*\['message'\]/);
    expect(() => refuseDottedBuiltins("// e.message\nconst s = 'e.message';\ng((e as Error)['message']);\nconst m = { message: 1 };", '/r/firmware/x.ts')).not.toThrow();
  });

  it('refuses a dotted message or total read in any module of the bundle (a test entry too)', () => {
    expect(() => refuseDottedBuiltins("print('threw ' + (e as Error).message);", '/r/test/espruino/x-entry.ts')).toThrow(/\['message'\]/);
    expect(() => refuseDottedBuiltins('print(process.memory().total);', '/r/test/espruino/x-entry.ts')).toThrow(/\['total'\]/);
    expect(() => refuseDottedBuiltins("print(process.memory()['total'], { total: 1 });", '/r/test/espruino/x-entry.ts')).not.toThrow();
  });

  it('refuses g.clear() and g.fillRect() in the Espruino port, not canvas.clear() in the shared UI', () => {
    expect(() => refuseDottedBuiltins('g.clear();', '/r/firmware/ports/espruino/ssd1306.ts')).toThrow(/\['clear'\]/);
    expect(() => refuseDottedBuiltins('g.fillRect(0, 0, 1, 1);', '/r/firmware/ports/espruino/ssd1306.ts')).toThrow(/\['fillRect'\]/);
    expect(() => refuseDottedBuiltins("g['clear'](); g['fillRect'](0, 0, 1, 1);", '/r/firmware/ports/espruino/ssd1306.ts')).not.toThrow();
    expect(() => refuseDottedBuiltins('canvas.clear(); canvas.fillRect(0, 48, 9, 4);', '/r/firmware/ui/screen.ts')).not.toThrow();
  });

  it("shortens the wire key and keeps an Error's quoted read whole, in a minified Espruino build", async () => {
    const r = await build({
      ...espruinoBuildOptions('entry.ts', 'out.js', true),
      stdin: { contents: "declare function print(...a: unknown[]): void; try { throw new Error('x'); } catch (e) { print({ message: (e as Error)['message'] }); }", loader: 'ts' },
      entryPoints: undefined,
      inject: [],
      write: false,
    });
    const code = r.outputFiles[0].text;
    expect(code).toMatch(/\.message\b|\["message"\]/); // the Error's read
    expect(code).not.toMatch(/[{,]message:/); // the wire key, shortened
  });
});
