import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RULES, checkSource, type Violation } from './rules.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const fixtures = join(here, 'fixtures');

/** How many violations each fixture must produce, all of the rule it is named after. */
const EXPECTED: Record<(typeof RULES)[number], number> = {
  destructuring: 8,
  'default-parameter': 2,
  spread: 4,
  rest: 2,
  'computed-key': 2,
  label: 1,
  generator: 5,
  'async-await': 7,
  exponent: 3,
  'optional-chaining': 5,
  'logical-assignment': 3,
  bigint: 2,
  'class-field': 5,
  'static-inheritance': 2,
  'extends-error': 3,
  'unsupported-global': 10,
  'unsupported-builtin': 8,
  'prototype-call': 3,
  'use-before-declaration': 6,
  'loop-closure': 3,
  'pow-constant': 2,
  'ts-emit': 4,
};

function checkFixture(name: string): Violation[] {
  return checkSource(readFileSync(join(fixtures, name), 'utf8'), name);
}

function check(text: string): string[] {
  return checkSource(text, 'inline.ts').map((v) => `${v.line}:${v.column} ${v.rule}`);
}

describe('fixtures', () => {
  it('has one fixture per rule, plus clean.ts', () => {
    expect(readdirSync(fixtures).sort()).toEqual([...RULES.map((r) => r + '.ts'), 'clean.ts'].sort());
  });

  for (const rule of RULES) {
    it(`${rule}.ts breaks only ${rule}, ${EXPECTED[rule]} times`, () => {
      const violations = checkFixture(rule + '.ts');
      expect(violations.map((v) => v.rule)).toEqual(Array(EXPECTED[rule]).fill(rule));
      for (const v of violations) expect(v.message.length).toBeGreaterThan(20);
    });
  }

  it('clean.ts uses only allowed forms', () => {
    expect(checkFixture('clean.ts')).toEqual([]);
  });
});

describe('positions and messages', () => {
  it('reports 1-based line and column of the offending syntax', () => {
    expect(checkFixture('label.ts')[0]).toMatchObject({ file: 'label.ts', line: 5, column: 3 });
    expect(checkFixture('optional-chaining.ts').map((v) => v.column)).toEqual([12, 18, 28, 35, 38]);
    expect(check('const a = 1;\nfunction f(x = 2) { return x; }')).toEqual(['2:12 default-parameter']);
    expect(check('let x = 2;\nx = x ** 3;')).toEqual(['2:7 exponent']);
  });

  it('names what to write instead', () => {
    const [pow] = checkFixture('pow-constant.ts');
    expect(pow).toMatchObject({ line: 3, column: 23 });
    expect(pow.message).toContain('4294967296');
    const [builtin] = checkFixture('unsupported-builtin.ts');
    expect(builtin.message).toMatch(/Math\.imul.*16-bit/);
  });

  it('names the later declaration a call depends on', () => {
    const calls = checkFixture('use-before-declaration.ts').filter((v) => v.message.startsWith('calling'));
    expect(calls.map((v) => [v.line, v.column])).toEqual([[18, 18], [30, 23]]);
    expect(calls[0].message).toContain('`base`, declared later at line 19');
    expect(calls[1].message).toContain('`SCALE`');
  });
});

describe('rule details', () => {
  it('treats rest elements in patterns as rest, not spread', () => {
    expect(check('const [a, ...r] = xs;')).toEqual(['1:7 destructuring', '1:11 rest']);
    expect(check('let p, q;\n[p, ...q] = xs;')).toEqual(['2:1 destructuring', '2:5 rest']);
  });

  it('ignores type positions, property names and shadowed globals', () => {
    expect(check('let v: Map<string, Set<number>> | undefined; const o = { Map: 1 }; const y = o.Map;')).toEqual([]);
    expect(check('function f(Set: any) { return new Set(); }')).toEqual([]);
    expect(check('const o = { Map };')).toEqual(['1:13 unsupported-global']);
  });

  it('follows calls only from code that runs immediately', () => {
    expect(check('function a() { return b(); }\nfunction b() { return 1; }\na();')).toEqual([]);
    expect(check('function a() { return b(); }\na();\nfunction b() { return 1; }')).toEqual(['2:1 use-before-declaration']);
    expect(check('if (ok) { f(); }\nfunction f() { return 1; }')).toEqual(['1:11 use-before-declaration']);
    expect(check('export function f() { return g(); }\nexport function g() { return 1; }')).toEqual([]);
  });

  it('allows closures over var loops and loop variables passed to a helper', () => {
    expect(check('const out = [];\nfor (var i = 0; i < 3; i++) out.push(() => i);')).toEqual([]);
    expect(check('for (let i = 0; i < 3; i++) { const f = (i: number) => i; f(i); }')).toEqual([]);
  });

  it('reads JavaScript bundles too', () => {
    const bundle = 'var __hasOwnProp = Object.prototype.hasOwnProperty;\nfor (let key of keys) __hasOwnProp.call(o, key) && def(o, key, { get: () => from[key] });';
    expect(checkSource(bundle, 'out.js').map((v) => `${v.line}:${v.column} ${v.rule}`)).toEqual([
      '2:23 prototype-call',
      '2:82 loop-closure',
    ]);
  });
});

describe('cli', () => {
  const cli = join(here, 'cli.ts');
  const run = (...args: string[]): { code: number; stdout: string } => {
    try {
      return { code: 0, stdout: execFileSync(process.execPath, ['--import', 'tsx', cli, ...args], { encoding: 'utf8' }) };
    } catch (e) {
      const err = e as { status: number; stdout: string };
      return { code: err.status, stdout: err.stdout };
    }
  };

  it('fails on the fixtures and prints one line per violation plus a summary', () => {
    const { code, stdout } = run(fixtures);
    const total = Object.values(EXPECTED).reduce((a, b) => a + b, 0);
    expect(code).toBe(1);
    const lines = stdout.trim().split('\n');
    expect(lines.at(-1)).toBe(`espruino-subset: ${RULES.length + 1} files checked, ${total} violations`);
    expect(lines).toHaveLength(total + 1);
    expect(lines).toContainEqual(expect.stringMatching(/fixtures[/\\]label\.ts:5:3 {2}label {2}labels are not supported/));
  }, 60_000); // a tsx process: 5-7 s on two loaded cores

  it('passes on clean code', () => {
    const { code, stdout } = run(join(fixtures, 'clean.ts'));
    expect(code).toBe(0);
    expect(stdout).toContain('espruino-subset: 1 files checked, 0 violations');
  }, 60_000);
});
