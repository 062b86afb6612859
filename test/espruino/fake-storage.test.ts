// The one fake Storage (test/helpers/fake-espruino-storage.ts, used by the harness
// and the fake REPL) against the real thing: each write below, in this order on one
// flash, with what Espruino 2v29's Linux interpreter returned (or threw) and then
// read back (measured); with ESPRUINO_BIN set the same program runs on it again.
// The fake REPL used to store String(data) - "65,0,200,255" for a Uint8Array -
// and the harness its JSON; Espruino stores the array's bytes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hasSocat } from '../../firmware/ports/node/serial-links.ts';
import { createTransport } from '../../host/lib/transport/index.ts';
import { ESPRUINO_BIN, runOnEspruino } from '../helpers/espruino-bin.ts';
import { startFakeEspruinoRepl } from '../helpers/fake-espruino-repl.ts';
import { EspruinoVm } from './harness.ts';

/** [Storage.write's arguments, what 2v29 did]. */
const CASES: [string, string][] = [
  [`'u8', new Uint8Array([65, 0, 200, 255])`, 'returned true, stored [65,0,200,255]'],
  [`'u8sub', new Uint8Array([1, 2, 3, 4, 5]).subarray(2, 4)`, 'returned true, stored [3,4]'],
  [`'u16', new Uint16Array([0x4142, 0x4344])`, 'returned true, stored [66,65]'],
  [`'i8', new Int8Array([-1, 65])`, 'returned true, stored [255,65]'],
  [`'f32', new Float32Array([65.5])`, 'returned true, stored [0]'],
  [`'ab', new Uint8Array([7, 8]).buffer`, 'returned true, stored [7,8]'],
  [`'arr', [65, 300, -1]`, 'returned true, stored [65,44,255]'],
  [`'num', 65`, 'returned true, stored [65]'],
  [`'bool', true`, 'returned true, stored [1]'],
  [`'obj', { a: 1 }`, 'returned true, stored [123,34,97,34,58,49,125]'],
  [`'obj', { a: 1 }, 5, 100`, 'returned true, stored [123,34,97,34,58,49,125]'],
  [`'str', 'A\\xff'`, 'returned true, stored [65,255]'],
  [`'empty', ''`, 'throw Error Can\'t create zero length file, stored none'],
  [`'emptyu8', new Uint8Array(0)`, 'throw Error Can\'t create zero length file, stored none'],
  [`'undef', undefined`, 'throw Error Can\'t get pointer to data to write, stored none'],
  [`'nul', null`, 'throw TypeError Expecting Number or iterable, got null, stored none'],
  [`'part', new Uint8Array([1, 2]), 0, 4`, 'returned true, stored [1,2,255,255]'],
  [`'part', new Uint8Array([3, 4]), 2`, 'returned true, stored [1,2,3,4]'],
  [`'part', new Uint8Array([5]), 3`, 'throw Error File already written with different data, stored [1,2,3,4]'],
  [`'part', 'xyz', 2`, 'throw Error Too much data for file size, stored [1,2,3,4]'],
  [`'part', new Uint8Array([1, 2, 3, 4])`, 'returned true, stored [1,2,3,4]'],
  [`'part', 'ab', 0, 3`, 'returned true, stored [97,98,255]'],
  [`'part', 'cd', 1`, 'throw Error File already written with different data, stored [97,98,255]'],
  [`'neg', 'a', -1`, 'returned false, stored none'],
  [`'again', 'same'`, 'returned true, stored [115,97,109,101]'],
  [`'again', 'same'`, 'returned true, stored [115,97,109,101]'],
  [`'again', 'diff'`, 'returned true, stored [100,105,102,102]'],
  [`'over', 'abcdef', 0, 4`, 'throw Error Too much data for file size, stored [255,255,255,255]'],
  [`'nofile', 'a', 2`, 'throw Error Unable to find or create file, stored none'],
];

/** One line each (the REPL evaluates line by line); ES5, as Espruino reads it. */
const PRELUDE = [
  'var S = require("Storage");',
  "function bytes(s) { if (s === undefined) return 'none'; var h = []; for (var i = 0; i < s.length; i++) h.push(s.charCodeAt(i)); return '[' + h.join(',') + ']'; }",
  "function w(name, a) { var r; try { r = 'returned ' + S.write.apply(S, [name].concat(a)); } catch (e) { r = 'throw ' + (e instanceof TypeError ? 'TypeError' : 'Error') + ' ' + e.message; } return r + ', stored ' + bytes(S.read(name)); }",
];
const call = ([args]: [string, string]) => `w(${args.replace(/^('[^']*'), /, '$1, [')}])`;
const program = () => PRELUDE.concat(CASES.map((c, i) => `print('CASE ${i} ' + ${call(c)});`));
const results = (out: string) => [...out.matchAll(/CASE (\d+) ([^\r\n]*)/g)].map((m) => m[2].trim());
const measured = CASES.map(([, m]) => m);

describe('Storage.write in the harness (fake-espruino-storage.ts) does what Espruino 2v29 does', () => {
  it('stores each write as the real interpreter did, errors included', () => {
    const vm = new EspruinoVm();
    for (const line of PRELUDE) vm.evaluate(line);
    expect(CASES.map((c) => vm.evaluate(call(c)))).toEqual(measured);
  });
});

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

describe.skipIf(!hasSocat())('Storage.write in the fake REPL', () => {
  it('stores a Uint8Array as its bytes, and every other case as the real interpreter did', async () => {
    const repl = await startFakeEspruinoRepl({ linkPath: join(mkdtempSync(join(tmpdir(), 'tt-fake-storage-')), 'tty') });
    const t = createTransport(repl.address);
    let got = '';
    t.onData((d) => (got += d));
    await t.open();
    closers.push(async () => {
      await t.close();
      await repl.close();
    });
    for (const line of program()) await t.write('\x10' + line + '\n');
    for (let i = 0; i < 300 && results(got).length < CASES.length; i++) await new Promise((r) => setTimeout(r, 10));
    expect(results(got)).toEqual(measured);
    expect(repl.files.get('u8')).toBe('A\0\xc8\xff');
  }, 30_000);
});

describe.skipIf(!ESPRUINO_BIN)('the same writes on the real interpreter', () => {
  it('does what the table says', () => {
    const script = join(mkdtempSync(join(tmpdir(), 'tt-storage-')), 'writes.js');
    writeFileSync(script, program().join('\n') + '\n', 'latin1');
    expect(results(runOnEspruino(script, 30_000).stdout)).toEqual(measured);
  }, 60_000);
});
