// Attack, on the real Espruino interpreter (its Linux build, when ESPRUINO_BIN
// names one): stored records with a valid CRC but crafted content must not
// stop the token from starting or make HELLO fail there either. Node reads a
// missing index of a number as undefined; Espruino 2v29 throws ("Field or
// method "0" does not already exist ... on Number", measured), so a record the
// fake token in Node survives can still stop the real one. Each case runs
// today's app (built like the bundle, stored pretokenised as a board stores
// it) over the records in the interpreter's Storage and feeds it a HELLO.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createFrameReader, encodeFrame } from '../../protocol/frame.ts';
import { COMMANDS, decodeReply, encodeRequest, STATUS_OK } from '../../protocol/messages.ts';
import type { Reply } from '../../protocol/messages.ts';
import { espruinoStoredForm } from '../../host/lib/build/esbuild-firmware.ts';
import { ESPRUINO_BIN, ESPRUINO_SKIP_REASON, runOnEspruino } from '../helpers/espruino-bin.ts';
import { bundleEntry } from '../espruino/harness.ts';
import { accountsPayload, good, recordSlot } from './storage-records.ts';

if (!ESPRUINO_BIN) console.warn(ESPRUINO_SKIP_REASON);

const T = 1767225600000; // 2026-01-01: the interpreter's clock is set to it through tt.rtcoff below
const clock = (r: object) => recordSlot(JSON.stringify(r));
const KEY = Buffer.alloc(32, 5).toString('base64');
const SALT = Buffer.alloc(16, 6).toString('base64');
const CASES: [string, Record<string, string>][] = [
  ['a good clock record (control)', { 'tt.clock.0': clock({ ra: T, ua: T, ta: T, ea: 100, ns: 1, an: [[T, T, 100]] }) }],
  ['a suspect sync stored as a number, not [true ms, offset]', { 'tt.clock.0': clock({ ra: T, ua: T, ta: T, ea: 100, ns: 2, an: [[T, T, 100]], sx: 7 }) }],
  ['a suspect anchor stored as a number', { 'tt.clock.0': clock({ ra: T, ua: T, ta: T, ea: 100, ns: 2, an: [[T, T, 100]], sp: 7 }) }],
  ['an anchor stored as a number', { 'tt.clock.0': clock({ ra: T, ua: T, ta: T, ea: 100, ns: 2, an: [7] }) }],
  ['the first clock format (migrate.ts converts real ones)', { 'tt.clock.0': clock({ ra: T, ta: T, pp: 1e300, wt: 604800000, ns: 2, tr: T, tt: T }) }],
  ['a clock record that is a number', { 'tt.clock.0': recordSlot('5') }],
  ['a clock record that is a string', { 'tt.clock.0': recordSlot('"an"') }],
  ['a suspect sync of the wrong length', { 'tt.clock.0': clock({ ra: T, ua: T, ta: T, ea: 100, ns: 2, an: [[T, T, 100]], sx: [T] }) }],
  // Password records: every field of the wrong type (the build reads .length of them as [L]: a throw on a number).
  ['a password key that is a number', { 'tt.access.0': recordSlot(JSON.stringify({ k: 5, s: SALT, f: 0, i: 600000 })) }],
  ['a password salt that is a number', { 'tt.access.0': recordSlot(JSON.stringify({ k: KEY, s: 5, f: 0, i: 600000 })) }],
  ['a password salt that is an array', { 'tt.access.0': recordSlot(JSON.stringify({ k: KEY, s: [1, 2], f: 0, i: 600000 })) }],
  ['a password key that is true', { 'tt.access.0': recordSlot(JSON.stringify({ k: true, s: SALT, f: 0, i: 600000 })) }],
  ['a failure count that is text', { 'tt.access.0': recordSlot(JSON.stringify({ k: KEY, s: SALT, f: '9', i: 600000 })) }],
  ['a password record that is a number', { 'tt.access.0': recordSlot('5') }],
  ['a password record that is null', { 'tt.access.0': recordSlot('null') }],
  // Accounts records with a valid CRC but crafted items.
  ['an account without a name', { 'tt.acc.0': recordSlot(accountsPayload([good('ok'), { ...good('x'), name: undefined }])) }],
  ['an account without a secret', { 'tt.acc.0': recordSlot(accountsPayload([{ ...good('x'), secret: undefined }])) }],
  ['an accounts record that is not TLV', { 'tt.acc.0': recordSlot('\x01\xff') }],
];

describe.skipIf(!ESPRUINO_BIN)('attack: crafted records on the real Espruino interpreter', () => {
  it('the token starts and HELLO answers OK over each record, with an account shown (the display reads the clock)', async () => {
    const code = await bundleEntry(fileURLToPath(new URL('./records-espruino-entry.ts', import.meta.url)));
    const hello = encodeFrame('>', encodeRequest({ id: 9, command: COMMANDS.HELLO, fields: {} }));
    const cases = CASES.map(([, files]) => [
      // One account, so the display shows a code and reads the clock's status; the RTC offset puts the interpreter's clock at T + a minute.
      { 'tt.acc.0': recordSlot(accountsPayload([good('kept')])), ...files, 'tt.rtcoff': `${T + 60000}-getTime()*1000` },
      hello,
    ]);
    // tt.rtcoff is read with unary +: write the number itself, computed on the interpreter.
    const prelude = 'var CASES=' + JSON.stringify(cases).replace(/"(\d+)-getTime\(\)\*1000"/g, '""+($1-getTime()*1000)') + ';\n';
    const path = join(mkdtempSync(join(tmpdir(), 'tt-records-')), 'records.js');
    writeFileSync(path, espruinoStoredForm(prelude + code), 'latin1');
    const { stdout } = runOnEspruino(path);
    const results = [...stdout.matchAll(/^CASE (\d+) (started|threw .*?) (\S*)\s*$/gm)].map((m) => {
      let reply: Reply | null = null;
      createFrameReader('<', (b) => (reply = decodeReply(b)), () => {}).push(Buffer.from(m[3], 'base64').toString('latin1'));
      const r = reply as Reply | null;
      return [CASES[Number(m[1])][0], m[2], r ? r.status : 'no reply', r && r.status !== STATUS_OK ? String(r.fields.message) : ''];
    });
    expect(results, stdout.slice(-1500)).toEqual(CASES.map(([what]) => [what, 'started', STATUS_OK, '']));
  }, 120_000);
});
