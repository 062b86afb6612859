// Built like the bundle (test/upgrade/old-records-on-espruino.test.ts prepends
// `var CASES=[[name, files], ...];`): the Espruino port's old-record check
// (firmware/ports/espruino/token.ts) over each case's files, on the real
// interpreter; prints what it said.
import { hasOldRecords, OLD_RECORDS } from '../../firmware/checked-storage.ts';

declare const CASES: [string, { [key: string]: string }][];
declare function print(...args: unknown[]): void;

for (let i = 0; i < CASES.length; i++) {
  const files = CASES[i][1];
  print('CASE ' + i + ' ' + (hasOldRecords({ read: (k: string) => files[k], write: () => {}, erase: () => {} }) ? OLD_RECORDS : 'starts'));
}
