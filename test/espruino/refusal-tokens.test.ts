// A refusal is written refuse(status, 'template', values) or
// badRequest('template', values) (firmware/refuse.ts), on every port. The
// Espruino bundle must carry each such template as its token, never as words
// (host/lib/device-text.ts finds the templates, the build swaps them). Here
// the sources are read a second, independent way - TypeScript's own parser,
// not the finder's regular expressions - and the shipped bundle is checked
// for every refusal template the parser finds.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { espruinoEsp32Ssd1306 } from '../../boards/espruino-esp32-ssd1306.ts';
import { espruinoPicoSsd1306 } from '../../boards/espruino-pico-ssd1306.ts';
import { badRequest, refuse } from '../../firmware/refuse.ts';
import type { Refusal } from '../../firmware/refuse.ts';
import { espruinoBuildOptions, espruinoBundle } from '../../host/lib/build/esbuild-firmware.ts';
import { deviceText, templatesIn, templateTable, tokenOf } from '../../host/lib/device-text.ts';
import { ERRORS } from '../../protocol/messages.ts';
import { say } from '../../protocol/say.ts';
import { say as sayTokens } from '../../firmware/ports/espruino/say.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Where each template argument sits: say and badRequest take it first, refuse second (after the status). */
const TEMPLATE_ARG: { [callee: string]: number } = { say: 0, badRequest: 0, refuse: 1 };

interface Call {
  file: string;
  callee: string;
  /** The template's runtime text, or null when the argument is not a string literal. */
  template: string | null;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/** Every call of say, refuse or badRequest by that name, from TypeScript's syntax tree. */
function callsIn(file: string): Call[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const calls: Call[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text in TEMPLATE_ARG) {
      const arg = node.arguments[TEMPLATE_ARG[node.expression.text]];
      calls.push({ file, callee: node.expression.text, template: arg && ts.isStringLiteral(arg) ? arg.text : null });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return calls;
}

const files = [...sourceFiles(join(root, 'protocol')), ...sourceFiles(join(root, 'firmware'))];
const calls = files.flatMap(callsIn);
const refusals = calls.filter((c) => c.callee !== 'say');

describe('refuse() and badRequest()', () => {
  it('throw the status and the text say() makes of the template and up to three values', () => {
    const thrown = (f: () => void): Refusal => {
      try {
        f();
      } catch (e) {
        return e as Refusal;
      }
      throw new Error('did not throw');
    };
    const r = thrown(() => refuse(ERRORS.LOCKED, '% then % then %', 'a', 7));
    expect([r.status, r.message]).toEqual([ERRORS.LOCKED, 'a then 7 then undefined']);
    expect(r).toBeInstanceOf(Error);
    // badRequest is refuse with the status bound: the call's arguments follow it in order.
    const b = thrown(() => badRequest('% / % / %', 1, 'two', 3));
    expect([b.status, b.message]).toEqual([ERRORS.BAD_REQUEST, say('% / % / %', 1, 'two', 3)]);
  });

  it('the firmware writes each refusal with a literal template, and the finder finds exactly the templates the parser does', () => {
    expect(refusals.length).toBeGreaterThan(25);
    // Not a variable, not say('...') around it (refuse calls say itself): a literal.
    expect(refusals.filter((c) => c.template === null).map((c) => c.file)).toEqual([]);
    for (const file of files) {
      const parsed = calls.filter((c) => c.file === file).map((c) => c.template);
      expect(templatesIn(readFileSync(file, 'utf8'), file).map((s) => s.template), file).toEqual(parsed);
    }
  });

  it('the host reads every refusal template back from its token', () => {
    const table = templateTable(root);
    for (const { template } of refusals) expect(deviceText(sayTokens(tokenOf(template!), 'A', 2, 'C'), table)).toBe(say(template!, 'A', 2, 'C'));
  });
});

for (const board of [espruinoEsp32Ssd1306, espruinoPicoSsd1306]) {
  describe(`${board.id}: the shipped Espruino bundle`, () => {
    let bundle = '';
    let inBundle: Set<string>;

    beforeAll(async () => {
      const entry = join(root, board.firmwareEntry!);
      bundle = await espruinoBundle(entry, true);
      const meta = (await build({ ...espruinoBuildOptions(entry, 'x.js', true), write: false, metafile: true })).metafile!;
      inBundle = new Set(Object.keys(meta.inputs).map((p) => join(root, p)));
    }, 60_000);

    it("carries each refusal's template as its token, not its words", () => {
      const mine = refusals.filter((c) => inBundle.has(c.file));
      expect(mine.map((c) => c.file)).toContain(join(root, 'firmware/commands.ts'));
      for (const { file, template } of mine) {
        const token = tokenOf(template!).replace(/[.]/g, '\\.');
        expect(bundle, `${file}: '${template}' as a token`).toMatch(new RegExp(`"\\x1e?${token}\\x1d?"`));
        // The longest run of words between the holes stays out of the bundle.
        const words = template!.split('%').sort((a, b) => b.length - a.length)[0];
        expect(bundle.includes(words), `${file}: '${template}' in words`).toBe(false);
      }
    });
  });
}
