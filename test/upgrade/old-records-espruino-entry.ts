// Built like the bundle (test/upgrade/old-records-on-espruino.test.ts prepends
// `var CASES=[[name, files], ...];`): today's checked storage over each case's
// files, on the real interpreter; prints what it said.
import { checkedStorage } from '../../firmware/checked-storage.ts';

declare const CASES: [string, { [key: string]: string }][];
declare function print(...args: unknown[]): void;

for (let i = 0; i < CASES.length; i++) {
  const files = CASES[i][1];
  let said = 'starts';
  try {
    checkedStorage({ read: (k: string) => files[k], write: () => {}, erase: () => {} });
  } catch (e) {
    said = (e as Error).message;
  }
  print('CASE ' + i + ' ' + said);
}
