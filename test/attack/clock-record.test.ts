// Issue 14 point 5 (the clock's part) and issue 15: a clock record crafted in
// storage (valid JSON, any checksum the storage layer wants) must never make
// HELLO or TIME_GET fail: every field is range-checked on load, and one that
// is not right reads as "clock not set", so the token stays reachable (WIPE,
// time sync). Records go in through the fake token's storage, HELLO goes out
// as a real frame.
import { describe, expect, it } from 'vitest';
import { COMMANDS, STATUS_OK } from '../../protocol/messages.ts';
import { fakeToken, SteppedStorage } from '../helpers/fake-ports.ts';
import { recordSlot } from './storage-records.ts';
import { readRecord } from '../../firmware/clock.ts';

const T = 1767225600000;
const CRAFTED: [string, unknown][] = [
  // The first format's fields (aa03bcd) in today's layout: not a record today's reader takes (firmware/migrate.ts converts real ones).
  ['old format, huge drift', { ra: T, ta: T, pp: 1e300, wt: 604800000, ns: 2, tr: T, tt: T }],
  ['old format, NaN-like drift', { ra: T, ta: T, pp: '1e999', wt: 604800000, ns: 2 }],
  ['anchors giving a huge rate', { ra: T, ua: T, ta: T, ea: 100, ns: 2, an: [[T - 1000, T - 1e12, 100], [T, T, 100]] }],
  ['an anchor with zero error', { ra: T, ua: T, ta: T, ea: 100, ns: 2, an: [[T - 1000, T - 1000, 0], [T, T, 1e-300]] }],
  ['a huge stated error', { ra: T, ua: T, ta: T, ea: 1e300, ns: 2, an: [[T, T, 100]] }],
  ['a suspect offset beyond the wire field', { ra: T, ua: T, ta: T, ea: 100, ns: 2, an: [[T, T, 100]], sx: [T, 1e300] }],
  ['a suspect sync before 1970', { ra: T, ua: T, ta: T, ea: 100, ns: 2, an: [[T, T, 100]], sx: [-5, 10] }],
  ['time far in the future', { ra: T, ua: T, ta: 1e300, ea: 100, ns: 2, an: [[T, T, 100]] }],
];

describe('attack: crafted clock records', () => {
  for (const [what, record] of CRAFTED) {
    it(`HELLO and TIME_GET still answer: ${what}`, () => {
      const storage = new SteppedStorage();
      storage.data.set('tt.clock.0', recordSlot(JSON.stringify(record)));
      const t = fakeToken({ storage, clockSet: false });
      t.clock.set = true; // the raw clock kept running
      t.clock.now = T;
      for (const command of [COMMANDS.HELLO, COMMANDS.TIME_GET]) {
        const [r] = t.send(command, {});
        expect(r.status, what).toBe(STATUS_OK);
      }
      // ...and a sync repairs it.
      const [s] = t.send(COMMANDS.TIME_SET, { timeMs: T + 1000 });
      expect([STATUS_OK, 0x80]).toContain(s.status);
    });
  }
});

// On Espruino 2v29 an index into a number throws where Node reads undefined ((7)[0]): a
// field that must be an array is refused when it is a number, or the real token, reading
// it while drawing, could not start (test/attack/records-on-espruino.test.ts runs that on
// the interpreter; here Node checks the reader itself, with no interpreter needed).
describe('attack: crafted clock records with a number where a list belongs', () => {
  const good = { ra: T, ua: T, ta: T, ea: 100, ns: 2, an: [[T, T, 100]] };
  it('reads the record without them', () => expect(readRecord(JSON.stringify(good))).not.toBeNull());
  for (const [field, value] of [['sx', 7], ['sp', 7], ['an', [7]], ['an', 7]] as const) {
    it(`refuses ${field}: ${JSON.stringify(value)}`, () => expect(readRecord(JSON.stringify({ ...good, [field]: value }))).toBeNull());
  }
});
