// The Espruino build shortens the wire field key `message` (ESPRUINO_INTERNAL_PROPS),
// so the firmware reads an Error's message quoted; the build refuses a dotted read.
import { describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { espruinoBuildOptions, refuseDottedMessage } from '../../host/lib/build/esbuild-firmware.ts';

describe('the shortened message key', () => {
  it('refuses err.message in a firmware module, not err["message"], a comment or a string', () => {
    expect(() => refuseDottedMessage('try { f(); } catch (e) { g((e as Error).message); }', 'firmware/x.ts')).toThrow(/firmware\/x\.ts:1: .*\['message'\]/);
    expect(() => refuseDottedMessage("// e.message\nconst s = 'e.message';\ng((e as Error)['message']);\nconst m = { message: 1 };", 'firmware/x.ts')).not.toThrow();
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
