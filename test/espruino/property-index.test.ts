// The Espruino build's rewrite through wrapper parameters (host/lib/build/property-index.ts):
// `.length` -> `[L]`, a repeated string or number -> a name, only where it
// pays, never with a name the bundle binds or reads anywhere else, never
// inside a string, template or regular expression, never an object key or
// atob's argument, and the result computes what the input did.
// The shipped bundle itself runs on the real interpreter in token-on-espruino.
import { minify } from 'terser';
import { describe, expect, it } from 'vitest';
import { indexProperties, skipNames } from '../../host/lib/build/property-index.ts';

// A wrapper as terser's enclose writes it, with enough `.length` reads to pay.
const reads = (n: number) => Array.from({ length: n }, (_, i) => `a${i % 3}.length`).join('+');
const bundle = (body: string) => `((t,u)=>{var a0="abc",a1=[1,2],a2=new t(5);${body}})(Uint8Array);`;
/** What the bundle pushes to `out`. */
const run = (code: string) => {
  const out: unknown[] = [];
  new Function('out', code)(out);
  return out;
};

describe('property-index', () => {
  it('reads a property through a one-letter parameter where that saves bytes, and the code computes the same', () => {
    const code = bundle(`out.push(${reads(12)},a1.slice(1).length);`);
    const r = indexProperties(code, ['Q']);
    expect(r.names).toEqual([['Q', 'length']]);
    expect(r.code).toContain('a0[Q]+a1[Q]');
    expect(r.code).not.toContain('.length');
    expect(r.code.startsWith('((t,Q,u)=>{')).toBe(true); // after the parameters that get an argument, before `undefined`'s
    expect(r.code.endsWith('})(Uint8Array,"length");')).toBe(true);
    expect(r.code.length).toBeLessThan(code.length);
    expect(run(r.code)).toEqual(run(code));
    expect(run(code)).toEqual([4 * 3 + 4 * 2 + 4 * 5, 1]);
  });

  it('leaves a property alone where its reads would not pay for the parameter and argument', () => {
    const code = bundle(`out.push(${reads(2)});`);
    expect(indexProperties(code, ['Q']).code).toBe(code);
  });

  it('never takes a name the bundle binds or reads as a variable (it would shadow or be shadowed)', () => {
    // Q is free in the wrapper, but an inner function binds it: `[Q]` inside would read the local.
    const shadowed = bundle(`let f=Q=>Q+a0.length;out.push(${reads(12)},f(1));`);
    const r = indexProperties(shadowed, ['Q', 'W']);
    expect(r.names).toEqual([['W', 'length']]);
    expect(r.code).toContain('f=Q=>Q+a0[W]');
    // A global read (Espruino's `E`, say) is a variable too.
    const global = indexProperties(bundle(`out.push(${reads(12)},typeof Q);`), ['Q']);
    expect(global.names.map(([p]) => p)).not.toContain('Q');
    expect(global.code).toContain('typeof Q');
  });

  it('may take a name used only as a property name or object key', () => {
    const code = bundle(`let o={Q:1,b:2};out.push(${reads(12)},o.Q);`);
    expect(indexProperties(code, ['Q']).names).toEqual([['Q', 'length']]);
  });

  it('never rewrites inside strings, templates or regular expressions, nor a reserved word after a dot', () => {
    const code = bundle(`out.push(${reads(12)},"x.length",\`y.length\`,/z.length/.source,Promise.resolve().catch);`);
    const r = indexProperties(code, ['Q']);
    expect(r.code).toContain('"x.length",`y.length`,/z.length/.source');
    expect(r.code).toContain('.catch');
  });

  it('reads a repeated string or number through a parameter, keeping object keys, atob\'s argument and word boundaries', () => {
    const code = bundle(`let k={"string":1};out.push(typeof a0=="string",typeof a1=="string",typeof a2=="string",typeof 5=="string",1e3*a0.length,1e3+1,2e3-1e3,1e3,k.string,atob("QUJD"),atob("QUJD"),atob("QUJD"));let f=()=>{return"string"};out.push(f(),"string")`);
    const r = indexProperties(code, ['Q', 'W']);
    expect(Object.fromEntries(r.names.map(([p, v]) => [v, p]))).toEqual({ '"string"': 'Q', '1e3': 'W' });
    expect(r.code).toContain('{"string":1}');
    expect(r.code).toContain('atob("QUJD")');
    expect(r.code).toContain('return Q}');
    expect(r.code).toContain('W*a0.length');
    expect(run(r.code)).toEqual(run(code));
  });

  it('falls back to two-character names when the one-letter ones run out, while that still pays', () => {
    const code = bundle(`out.push(${reads(12)},${Array.from({ length: 12 }, () => 'a1.slice(0)').join(',')});`);
    const r = indexProperties(code, ['Q']);
    expect(r.names).toEqual([['Q', 'length'], ['Qa', 'slice']]);
    expect(run(r.code)).toEqual(run(code));
  });

  it('puts its arguments before one whose parameter terser dropped (reading a global may throw, so terser keeps it)', () => {
    const code = `((t)=>{var a0="abc",a1=[1,2],a2=new t(5);out.push(${reads(12)})})(Uint8Array,Math);`;
    const r = indexProperties(code, ['Q']);
    expect(r.code.startsWith('((t,Q)=>{')).toBe(true);
    expect(r.code.endsWith('})(Uint8Array,"length",Math);')).toBe(true);
    expect(run(r.code)).toEqual(run(code));
  });

  it('refuses a bundle that is not wrapped the way terser encloses it', () => {
    expect(() => indexProperties(`var a0="abc";${reads(12)};`, ['Q'])).toThrow(/not `\(\(params\)=>/);
  });

  it('maps every byte of the result back to the input, the new parameters and arguments to none', () => {
    const code = bundle(`out.push(${reads(12)});`);
    const r = indexProperties(code, ['Q']);
    expect(r.origin).toHaveLength(r.code.length);
    const mapped = r.origin.filter((o) => o >= 0);
    expect(mapped.every((o, i) => o < code.length && (i === 0 || o >= mapped[i - 1]))).toBe(true);
    expect(r.code.split('').filter((_, i) => r.origin[i] < 0).join('')).toBe('(t,Q,u),"length"');
  });
});

describe("skipNames (terser's mangler names without some)", () => {
  const source = 'export function f(alpha,beta,gamma){let delta=alpha+beta;return [delta*gamma,delta-gamma].map(epsilon=>epsilon+alpha)}';
  const mangled = async (nth?: ReturnType<typeof skipNames>) => (await minify(source, { module: true, mangle: nth ? { nth_identifier: nth } : true })).code!;

  it("gives terser's own names when it skips none", async () => {
    expect(await mangled(skipNames([]))).toBe(await mangled());
  });

  it('never gives a skipped name', async () => {
    const plain = await mangled();
    const names = (code: string) => new Set(code.match(/\b[a-zA-Z]\b/g));
    const skip = [...names(plain)].filter((n) => n !== 'f').slice(0, 2);
    const code = await mangled(skipNames(skip));
    for (const n of skip) expect(names(code).has(n), n).toBe(false);
    expect(code.length).toBe(plain.length);
  });
});
