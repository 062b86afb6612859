// One record in each layout, alone in storage, and whether today's firmware
// must call it a record of older firmware (refuse to start; firmware/migrate.ts
// converts it). Used by migrate.test.ts (the simulator's firmware) and
// old-records-on-espruino.test.ts (the same check, built like the bundle, on
// the real interpreter, whose regular expressions differ: see checked-storage.ts).
import { recordSlot } from '../attack/storage-records.ts';

/** Firmware 0.1's accounts copy (test/upgrade/fixtures/espruino.json's) and the same accounts in today's layout. */
const V1_COPY = 'VFQxAQAAAAL71yVMAS4BCHJvb3RAYXdzAgNBV1MDAQEEAQYFAR4GFDEyMzQ1Njc4OTAxMjM0NTY3ODkwATUBBmRlcGxveQIAAwECBAEIBQE8BiAAAQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHw==';
const TODAY_COPY = recordSlot(Buffer.from(V1_COPY, 'base64').subarray(12));

export const LAYOUT_CASES: [string, Record<string, string>, boolean][] = [
  ["firmware 0.1's accounts copy in slot 0", { 'tt.acc.0': V1_COPY }, true],
  ["firmware 0.1's accounts copy in slot 1", { 'tt.acc.1': V1_COPY }, true],
  ["firmware 0.1's copy beside today's", { 'tt.acc.0': TODAY_COPY, 'tt.acc.1': V1_COPY }, true],
  ['a bare clock record', { 'tt.clock': '{"ra":1}' }, true],
  ['a bare password record cut to nothing', { 'tt.access': '' }, true],
  ["today's copies", { 'tt.acc.0': TODAY_COPY, 'tt.acc.1': TODAY_COPY }, false],
  ["today's copy in slot 1 only", { 'tt.acc.1': TODAY_COPY }, false],
  ["a damaged copy (today's magic changed to another)", { 'tt.acc.0': 'VFQxAw' + TODAY_COPY.slice(6) }, false],
  ['nothing stored', {}, false],
];
