// The layers only import downwards: protocol/ (platform-free) <- firmware/ <-
// boards/ <- host/. The device side must never reach up into host/ (the host
// library may change shape for the browser or the CLI without the firmware
// noticing), and protocol/ imports nothing outside itself.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** Every module specifier a TS/JS file names: import/export ... from, bare import, import(), require(). */
export function importSpecifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [/\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]/g, /\brequire\s*\(\s*['"]([^'"]+)['"]/g];
  for (const re of patterns) for (const m of source.matchAll(re)) found.push(m[1]);
  return found;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|mts|js|mjs)$/.test(name)) out.push(path);
  }
  return out;
}

/** Relative imports of the files under `layer` that resolve outside the folders it may use. */
function violations(layer: string, allowed: string[]): string[] {
  const bad: string[] = [];
  for (const file of sourceFiles(join(ROOT, layer))) {
    for (const spec of importSpecifiers(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue; // packages and node: builtins: the subset check and bundlers police those
      const target = relative(ROOT, resolve(dirname(file), spec));
      const top = target.split(/[\\/]/)[0];
      if (!allowed.includes(top)) bad.push(`${relative(ROOT, file)} imports ${spec} (${top}/)`);
    }
  }
  return bad;
}

/** Relative imports of the files under `layer` that resolve into the folder `into`. */
function violationsInto(layer: string, into: string): string[] {
  const bad: string[] = [];
  for (const file of sourceFiles(join(ROOT, layer))) {
    for (const spec of importSpecifiers(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const target = relative(join(ROOT, into), resolve(dirname(file), spec));
      if (!target.startsWith('..') && !target.startsWith('/')) bad.push(`${relative(ROOT, file)} imports ${spec}`);
    }
  }
  return bad;
}

describe('import direction between layers', () => {
  it('finds every kind of import (so the checks below can fail)', () => {
    const src = `import a from '../x.ts';\nimport type { B } from "../y.ts";\nexport { c } from '../z.ts';\nimport '../side.ts';\nconst d = await import('../lazy.ts');\nconst e = require('../cjs.js');\nimport {\n  f,\n} from '../multi.ts';`;
    expect(importSpecifiers(src).sort()).toEqual(['../cjs.js', '../lazy.ts', '../multi.ts', '../side.ts', '../x.ts', '../y.ts', '../z.ts']);
  });

  it('protocol/ imports only protocol/', () => {
    expect(violations('protocol', ['protocol'])).toEqual([]);
  });

  it('firmware/ never imports host/', () => {
    expect(violations('firmware', ['protocol', 'firmware', 'boards'])).toEqual([]);
  });

  it('boards/ never imports host/', () => {
    expect(violations('boards', ['protocol', 'firmware', 'boards'])).toEqual([]);
  });

  it('host/lib and host/web never import host/cli (the CLI sits on top; shared words live in host/lib)', () => {
    const intoCli = (layer: string) => violationsInto(layer, 'host/cli');
    expect(intoCli('host/lib')).toEqual([]);
    expect(intoCli('host/web')).toEqual([]);
  });
});
