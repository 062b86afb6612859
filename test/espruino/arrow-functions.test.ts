// The Espruino build's rewrite of function declarations into const arrow
// functions (host/lib/build/arrow-functions.ts): what it rewrites, and what
// it must leave alone because an arrow function would behave differently.
import { describe, expect, it } from 'vitest';
import { arrowifySource } from '../../host/lib/build/arrow-functions.ts';

const run = (source: string): string => arrowifySource(source, 'x.ts');

describe('arrowifySource', () => {
  it('rewrites plain, exported, generic and nested declarations, and they still run', () => {
    const src = [
      'export function add(a: number, b: number): number { return a + b; }',
      'function id<T>(x: T): T { return x; }',
      'function outer(n: number): number { function inner(m: number) { return m * 2; } return inner(n); }',
    ].join('\n');
    const out = run(src);
    expect(out).not.toMatch(/\bfunction\b/);
    expect(out).toContain('export const add = (a: number, b: number): number => { return a + b; };');
    expect(out).toContain('const id = <T>(x: T): T => { return x; };');
    // The rewritten code computes what the original does (types stripped by hand: it is only JS below).
    const js = out.replace(/export /g, '').replace(/<T>/g, '').replace(/: (number|T)/g, '');
    expect(new Function(js + '; return [add(2, 3), id(7), outer(4)];')()).toEqual([5, 7, 8]);
  });

  it('leaves what an arrow would change: this, arguments, new, generators, async, overloads', () => {
    const keep = [
      'function usesThis() { return this; }',
      'function usesArgs() { return arguments.length; }',
      'function Made() { return 1; }\nconst m = new Made();',
      'function* gen() { yield 1; }',
      'async function later() { return 1; }',
      'function over(a: string): string;\nfunction over(a: number): number;\nfunction over(a: any): any { return a; }',
    ];
    for (const src of keep) expect(run(src)).toBe(src);
  });

  it('rewrites a function whose nested ordinary function uses this (that one keeps its own)', () => {
    const out = run('function f() { const o = { g: function () { return this; } }; return o.g(); }');
    expect(out.startsWith('const f = () => {')).toBe(true);
    expect(out).toContain('g: function () { return this; }');
  });
});
