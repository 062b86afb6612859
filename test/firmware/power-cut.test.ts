// Crash consistency: run a sequence of account changes, cutting power at every
// single storage step in turn, then "reboot" (open the store again) and check
// the account set is exactly the one before or the one after the cut change.
import { describe, expect, it } from 'vitest';
import { openAccountStore } from '../../firmware/accounts.ts';
import type { Account } from '../../firmware/accounts.ts';
import { PowerCut, SteppedStorage } from '../helpers/fake-ports.ts';

const acct = (name: string, fill: number, len = 40): Account => ({ name, issuer: 'Iss', algorithm: 1, digits: 6, period: 30, secret: new Uint8Array(len).fill(fill) });
const view = (list: Account[]) => list.map((a) => `${a.name}/${a.issuer}/${Buffer.from(a.secret).toString('hex')}`);

// Each step turns the current list into the next one.
const CHANGES: ((l: Account[]) => Account[])[] = [
  (l) => l.concat([acct('aws', 1)]),
  (l) => l.concat([acct('github', 2, 20)]),
  (l) => l.concat([acct('big', 3, 64)]),
  (l) => l.map((a) => (a.name === 'github' ? { ...a, name: 'gh' } : a)),
  (l) => l.filter((a) => a.name !== 'aws'),
  () => [],
  (l) => l.concat([acct('after-wipe', 4)]),
];

function runAll(storage: SteppedStorage): string[][] {
  const states: string[][] = [[]];
  let list: Account[] = [];
  const store = openAccountStore(storage);
  for (const change of CHANGES) {
    list = change(list);
    store.commit(list);
    states.push(view(list));
  }
  return states;
}

describe('power cut at every storage step', () => {
  for (const tear of ['overwrite', 'truncate'] as const) {
    it(`always leaves the old or the new account set (${tear} tearing)`, () => {
      const full = new SteppedStorage();
      const states = runAll(full);
      const totalSteps = full.steps;
      expect(totalSteps).toBeGreaterThan(CHANGES.length * 3);
      let cuts = 0;
      for (let cut = 0; cut < totalSteps; cut++) {
        const storage = new SteppedStorage();
        storage.tear = tear;
        storage.cutAfter = cut;
        let completed = 0;
        try {
          let list: Account[] = [];
          const store = openAccountStore(storage);
          for (const change of CHANGES) {
            list = change(list);
            store.commit(list);
            completed++;
          }
        } catch (e) {
          if (!(e instanceof PowerCut) && !String((e as Error).message).includes('power cut')) throw e;
        }
        // (A cut during the final erase of the old slot is swallowed by commit: the new set is already safe.)
        if (storage.steps > cut) cuts++;
        storage.cutAfter = Infinity;
        const after = view(openAccountStore(storage).list());
        // Either the change in progress landed or it did not: never anything else.
        expect([states[completed], states[completed + 1]], `cut after step ${cut}`).toContainEqual(after);
      }
      expect(cuts).toBe(totalSteps);
      console.log(`power-cut (${tear}): ${totalSteps} cut points over ${CHANGES.length} changes, all consistent`);
    });
  }

  it('never loads a damaged record: its CRC fails and it counts as empty', () => {
    const storage = new SteppedStorage();
    const store = openAccountStore(storage);
    store.commit([acct('a', 1)]);
    store.commit([acct('a', 1), acct('b', 2)]);
    // After a commit only the newest slot is kept (the old one is erased so removed seeds do not linger).
    for (const [k, v] of storage.data) storage.data.set(k, v.slice(0, 20) + (v[20] === 'A' ? 'B' : 'A') + v.slice(21));
    expect(openAccountStore(storage).list()).toEqual([]);
  });
});
