// The one fake `E` (test/helpers/fake-espruino-e.ts, used by the harness and the
// fake REPL) against the real thing: each case below is what Espruino 2v29's
// Linux interpreter printed for it (measured, errors included), and with
// ESPRUINO_BIN set the same program runs on the interpreter again, so the table
// cannot drift from it. Messages are compared with whitespace folded (Espruino's
// %j breaks some objects over lines; the fake prints them on one).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ESPRUINO_BIN, ESPRUINO_SKIP_REASON, runOnEspruino } from '../helpers/espruino-bin.ts';
import { EspruinoVm } from './harness.ts';

/** [expression, what 2v29 printed]. */
const CASES: [string, string][] = [
  ['E.toString(0, 1, 2, "Hi", 3, true, 256 + 65, -1)', 'string 0,1,2,72,105,3,1,65,255'],
  ['E.toString([65, [66, 67]], new Uint16Array([0x141, 2]), { data: [3, 4], count: 2 }, { callback: function () { return "cb"; } })', 'string 65,66,67,65,2,3,4,3,4,99,98'],
  ['E.toString(NaN, Infinity, -0.5, 65.9, new Int8Array([-1, 65]), new Float32Array([66.7]), new ArrayBuffer(2))', 'string 0,0,0,65,255,65,66,0,0'],
  ['E.toString({ data: [1, 2], count: -1 }, { data: "a", count: 2.7 }, { callback: function () { return 0; } }, { callback: function () {} })', 'string 97,97,0'],
  ['E.toString(new Uint8Array([1, 2, 3]).subarray(1))', 'string 2,3'],
  ['E.toString("abc")', 'string 97,98,99'],
  ['E.toString()', 'string'],
  ['E.toString(function () {})', 'string'],
  ['E.toString(undefined)', 'throw TypeError Expecting Number or iterable, got undefined'],
  ['E.toString(null)', 'throw TypeError Expecting Number or iterable, got null'],
  ['E.toString(1, { a: 1 }, 2)', 'throw TypeError If specifying an object, it must be of the form {data : ..., count : N} or {callback : fn} - got { "a": 1 }'],
  ['E.toString({ callback: 5 })', 'throw TypeError If specifying an object, it must be of the form {data : ..., count : N} or {callback : fn} - got { "callback": 5 }'],
  ['E.toString({ data: 1, count: "2" })', 'throw TypeError If specifying an object, it must be of the form {data : ..., count : N} or {callback : fn} - got { "data": 1, "count": "2" }'],
  ['E.toString({ callback: function () { return null; } })', 'throw TypeError Expecting Number or iterable, got null'],
  ['E.toString([1, , 3])', 'throw TypeError Expecting Number or iterable, got undefined'],
  ['E.toUint8Array(0, 1, "Hi", [300, -1], true)', 'Uint8Array 0,1,72,105,44,255,1'],
  ['E.toUint8Array({ data: "ab", count: 2 }, { callback: function () {} })', 'Uint8Array 97,98,97,98'],
  ['E.toUint8Array()', 'Uint8Array'],
  ['E.toUint8Array(undefined)', 'throw TypeError Expecting Number or iterable, got undefined'],
  ['E.toUint8Array({ x: 1 })', 'throw TypeError If specifying an object, it must be of the form {data : ..., count : N} or {callback : fn} - got { "x": 1 }'],
  ['E.CRC32("hello")', 'number 907060870'],
  ['E.CRC32([104, 101, 108, 108, 111 + 256])', 'number 907060870'],
  ['E.CRC32(new Uint8Array([104, 101, 108, 108, 111]))', 'number 907060870'],
  ['E.CRC32(new Int16Array([-1, 0x1ff]))', 'number 4294901760'],
  ['E.CRC32(new ArrayBuffer(1))', 'number 3523407757'],
  ['E.CRC32(["1.5", [7], [7, 8], null, undefined, true, "0x41", "x", 1.9])', 'number 1163180528'],
  ['E.CRC32({ a: 104 })', 'number 2439710439'],
  ['E.CRC32("")', 'number 0'],
  ['E.CRC32([])', 'number 0'],
  ['E.CRC32(5)', 'undefined undefined'],
  ['E.CRC32(true)', 'undefined undefined'],
  ['E.CRC32()', 'undefined undefined'],
  ['(function () { var a = new Uint8Array([1, 2, 3]); E.mapInPlace(a, a, [9, 8, 7, 6]); return a; })()', 'Uint8Array 8,7,6'],
  ['(function () { var a = new Uint8Array([1, 2, 3]); var b = new Uint8Array(5); E.mapInPlace(a, b); return b; })()', 'Uint8Array 1,2,3,0,0'],
  ['(function () { var a = new Uint8Array([1, 2, 3]); var b = new Uint8Array(2); E.mapInPlace(a, b, function (v, i) { return v * 10 + i; }); return b; })()', 'Uint8Array 10,21'],
  ['(function () { var a = new Uint8Array([1, 5]); var b = new Uint8Array(2); E.mapInPlace(a, b, new Uint8Array([9, 8])); return b; })()', 'Uint8Array 8,0'],
  ['(function () { var a = new Uint8Array([1, 7]); var b = new Uint8Array(2); E.mapInPlace(a, b, [5]); return b; })()', 'Uint8Array 0,0'],
  ['(function () { var a = new Uint8Array([1, 2]); var b = new Uint8Array(2); E.mapInPlace(a, b, function () { return "7"; }); return b; })()', 'Uint8Array 7,7'],
  ['(function () { var a = new Uint8Array([1, 2]); var b = new Uint8Array(2); E.mapInPlace(a, b, function () { return 300; }); return b; })()', 'Uint8Array 44,44'],
  ['(function () { var a = new Uint8Array([1, 2]); E.mapInPlace(a, new ArrayBuffer(2)); return a; })()', 'Uint8Array 1,2'],
  ['(function () { var a = new Uint8Array([0x12, 0x34, 0x56, 0x78]); var b = new Uint8Array(8); E.mapInPlace(a, b, undefined, 4); return b; })()', 'Uint8Array 1,2,3,4,5,6,7,8'],
  ['(function () { var a = new Uint8Array([0x12, 0x34, 0x56, 0x78]); var b = new Uint8Array(8); E.mapInPlace(a, b, undefined, -4); return b; })()', 'Uint8Array 2,1,4,3,6,5,8,7'],
  ['(function () { var a = new Uint8Array([0x12, 0x34, 0x56, 0x78]); var b = new Uint16Array(4); E.mapInPlace(a, b, undefined, 12); return b; })()', 'Uint16Array 291,1110,1920,0'],
  ['(function () { var a = new Uint8Array([0x12, 0x34, 0x56, 0x78]); var b = new Uint16Array(4); E.mapInPlace(a, b, undefined, -12); return b; })()', 'Uint16Array 1042,1379,120,0'],
  ['(function () { var a = new Uint8Array([0x12, 0x34, 0x56, 0x78]); var b = new Uint8Array(8); E.mapInPlace(a, b, function (v, i) { return v + 2 + 16 * i; }, 4); return b; })()', 'Uint8Array 3,20,21,38,39,56,57,74'],
  ['E.mapInPlace([1], new Uint8Array(1))', 'throw Error First 2 arguments should be array buffers'],
  ['E.mapInPlace(new Uint8Array(1), new Uint8Array(1), 5)', 'throw Error Third argument should be a function or array'],
  ['E.mapInPlace(new Uint8Array(1), new Uint8Array(1), null)', 'throw Error Third argument should be a function or array'],
  ['E.mapInPlace(new Uint8Array(1), new Uint8Array(1), "ab")', 'throw Error Third argument should be a function or array'],
];

/** Prints a result the same way on both sides: bytes as numbers, errors by kind and message. ES5, as Espruino reads it. */
const SHOW = `function show(f) {
  try {
    var r = f();
    if (r instanceof Uint8Array || r instanceof Uint16Array) { var o = []; for (var i = 0; i < r.length; i++) o.push(r[i]); return (r instanceof Uint8Array ? 'Uint8Array ' : 'Uint16Array ') + o.join(','); }
    if (typeof r === 'string') { var h = []; for (var j = 0; j < r.length; j++) h.push(r.charCodeAt(j)); return 'string ' + h.join(','); }
    return typeof r + ' ' + r;
  } catch (e) { return 'throw ' + (e instanceof TypeError ? 'TypeError' : e instanceof Error ? 'Error' : '?') + ' ' + e.message; }
}`;

const fold = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('the fake E (fake-espruino-e.ts) answers as Espruino 2v29 does', () => {
  it.each(CASES)('%s', (expr, measured) => {
    const vm = new EspruinoVm();
    vm.evaluate(SHOW);
    expect(fold(String(vm.evaluate(`show(function () { return ${expr}; })`)))).toBe(measured);
  });
});

if (!ESPRUINO_BIN) console.warn(ESPRUINO_SKIP_REASON);

describe.skipIf(!ESPRUINO_BIN)('the same cases on the real interpreter', () => {
  it('prints what the table says', () => {
    const script = join(mkdtempSync(join(tmpdir(), 'tt-fake-e-')), 'cases.js');
    writeFileSync(script, SHOW + '\n' + CASES.map(([expr], i) => `print('CASE ${i} ' + show(function () { return ${expr}; }));`).join('\n') + '\n', 'latin1');
    const { stdout } = runOnEspruino(script, 30_000);
    const got = stdout.split(/(?=CASE \d+ )/).filter((s) => s.startsWith('CASE ')).map((s) => fold(s.replace(/^CASE \d+ /, '').replace(/\s*>\s*$/, '')));
    expect(got).toEqual(CASES.map(([, measured]) => measured));
  }, 60_000);
});
