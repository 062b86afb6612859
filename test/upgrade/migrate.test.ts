// The storage migration (firmware/migrate.ts): records firmware 0.1 stored
// (test/upgrade's fixtures, made by its own code) end up in today's layout,
// read by today's readers as the old firmware read them; a power cut at any
// write or erase of it loses nothing and a re-run finishes the job; over
// today's layout it changes nothing; and today's firmware meeting an old
// record refuses to start on Espruino (its port's check), storage untouched,
// rather than take it for damaged.
import { describe, expect, it } from 'vitest';
import { checkedStorage, hasOldRecords, OLD_RECORDS } from '../../firmware/checked-storage.ts';
import { decodeRecord } from '../../firmware/accounts.ts';
import { readRecord as readAccess } from '../../firmware/access.ts';
import { readRecord as readClock } from '../../firmware/clock.ts';
import { migrateStorage } from '../../firmware/migrate.ts';
import { latin1Text } from '../../firmware/../protocol/latin1.ts';
import { PowerCut, SteppedStorage } from '../helpers/fake-ports.ts';
import { FIXTURE, upgradeRecords as records } from './fixture-spec.ts';
import { LAYOUT_CASES } from './layout-cases.ts';


function storageWith(files: Record<string, string>): SteppedStorage {
  const s = new SteppedStorage();
  for (const [k, v] of Object.entries(files)) s.data.set(k, v);
  return s;
}

/** What today's Espruino bundle loads from `raw` (its port throws OLD_RECORDS over an old record: firmware/ports/espruino/token.ts). */
function loaded(raw: SteppedStorage) {
  if (hasOldRecords(raw)) throw new Error(OLD_RECORDS);
  const cs = checkedStorage(raw);
  const accounts = (cs.load('tt.acc', (b) => decodeRecord(b, 10)) || []) as { name: string; secret: Uint8Array }[];
  const access = cs.load('tt.access', (b) => readAccess(latin1Text(b)));
  const text = cs.read('tt.clock');
  const clock = text === undefined ? undefined : readClock(text);
  return { accounts: accounts.map((a) => [a.name, Buffer.from(a.secret).toString('hex')]), access, clock, health: cs.health() };
}

describe('storage migration: firmware 0.1 records into today\'s layout', () => {
  for (const name of ['espruino', 'sim'] as const) {
    it(`${name}: accounts, password and clock read as before, in two checked copies each`, () => {
      const old = records(name);
      const raw = storageWith(old);
      expect(() => loaded(raw)).toThrow(OLD_RECORDS); // today's bundle alone refuses it
      expect(migrateStorage(raw)).toEqual([3, 0]);
      expect([...raw.data.keys()].sort()).toEqual(['tt.acc.0', 'tt.acc.1', 'tt.access.0', 'tt.access.1', 'tt.clock.0', 'tt.clock.1']);
      const got = loaded(raw);
      expect(got.health).toBe(0);
      expect(got.accounts).toEqual(FIXTURE.accounts.map((a) => [a.name, a.secretHex]));
      expect(got.access).toEqual(JSON.parse(old['tt.access'])); // already today's shape: byte for byte the same JSON
      const clock = got.clock!;
      const t = FIXTURE.madeAtMs;
      expect([clock.ra, clock.ua, clock.ta, clock.ns, clock.an, clock.tu, clock.tt]).toEqual([t, t, t, 1, [[t, t, 140]], t, t]);
    });
  }

  it('running it again over today\'s layout changes nothing (not a single write)', () => {
    const raw = storageWith(records('espruino'));
    migrateStorage(raw);
    const before = new Map(raw.data);
    const steps = raw.steps;
    expect(migrateStorage(raw)).toEqual([0, 0]);
    expect(raw.steps).toBe(steps);
    expect(raw.data).toEqual(before);
  });

  it('a password of firmware 0.1.0 (long keys) keeps its key and its 10,000 iterations', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const salt = Buffer.alloc(16, 1).toString('base64');
    const raw = storageWith({ 'tt.access': JSON.stringify({ key, salt, failures: 2 }) });
    expect(migrateStorage(raw)).toEqual([1, 0]);
    expect(loaded(raw).access).toEqual({ k: key, s: salt, f: 2, i: 10000 });
  });

  it('a password record without an iteration count gets the 600,000 the firmware assumed', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const salt = Buffer.alloc(16, 1).toString('base64');
    const raw = storageWith({ 'tt.access': JSON.stringify({ k: key, s: salt, f: 0 }) });
    expect(migrateStorage(raw)).toEqual([1, 0]);
    expect(loaded(raw).access).toEqual({ k: key, s: salt, f: 0, i: 600000 });
  });

  it('a clock record of the first format (aa03bcd) keeps its rate and trusted anchor', () => {
    // Written by aa03bcd's firmware/clock.ts: syncs at 2026-01-01 and a week later on a 25 ppm raw clock.
    const raw = storageWith({ 'tt.clock': '{"ra":1767830400000,"ta":1767830400000,"pp":24.999999999941735,"wt":604800000,"ns":2,"tr":1767225584880,"tt":1767225600000}' });
    expect(migrateStorage(raw)).toEqual([1, 0]);
    const c = loaded(raw).clock!;
    const an = c.an;
    expect(an.length).toBe(2);
    expect(an[1]).toEqual([1767830400000, 1767830400000, 140]);
    expect(an[0][0]).toBe(1767830400000 - 604800000);
    // The rate over the virtual anchor a week before: 25 ppm.
    expect(((an[1][1] - an[0][1]) / (an[1][0] - an[0][0]) - 1) * 1e6).toBeCloseTo(25, 3);
    expect([c.tu, c.tt]).toEqual([1767225584880, 1767225600000]);
  });

  it('a damaged bare clock record goes: it meant "time unknown" before, and no record means the same now', () => {
    const raw = storageWith({ 'tt.clock': '{"ra":17723592' });
    expect(migrateStorage(raw)).toEqual([1, 0]);
    expect(raw.data.size).toBe(0);
    expect(loaded(raw).clock).toBeUndefined();
  });

  it('a damaged old record is left exactly as it is and counted, never taken for empty', () => {
    const raw = storageWith({ 'tt.access': '{"k":5', 'tt.acc.1': records('espruino')['tt.acc.1'].replace('eQIAAwEC', 'eQIAAwED') }); // a bit of the value flipped: its CRC fails
    const before = new Map(raw.data);
    expect(migrateStorage(raw)).toEqual([0, 2]);
    expect(raw.data).toEqual(before);
    expect(() => loaded(raw)).toThrow(OLD_RECORDS);
  });

  it('a power cut at every write and erase of it loses nothing: the firmware reads all or refuses, and a re-run finishes', () => {
    const old = records('espruino');
    const done = storageWith(old);
    migrateStorage(done);
    const want = loaded(done);
    const total = done.steps;
    let cuts = 0;
    for (const tear of ['overwrite', 'truncate'] as const) {
      for (let cut = 0; cut < total; cut++) {
        const raw = storageWith(old);
        raw.tear = tear;
        raw.cutAfter = cut;
        expect(() => migrateStorage(raw), `cut after step ${cut}`).toThrow(PowerCut);
        cuts++;
        raw.cutAfter = Infinity;
        // What today's firmware would make of it: everything, or a refusal to start (never less, never a wipe-able "damaged").
        let now: ReturnType<typeof loaded> | null = null;
        try {
          now = loaded(raw);
        } catch (e) {
          expect((e as Error).message, `cut after step ${cut} (${tear})`).toBe(OLD_RECORDS);
        }
        if (now) expect([now.accounts, now.access, now.clock], `cut after step ${cut} (${tear})`).toEqual([want.accounts, want.access, want.clock]);
        // `totp-token flash` again: it finishes.
        const again = migrateStorage(raw);
        expect(again[1], `cut after step ${cut} (${tear})`).toBe(0);
        const end = loaded(raw);
        expect([end.accounts, end.access, end.clock], `cut after step ${cut} (${tear})`).toEqual([want.accounts, want.access, want.clock]);
      }
    }
    expect(cuts).toBeGreaterThan(20);
  });
});

describe('the old-record check the Espruino port runs before the app (another tool flashed the bundle)', () => {
  for (const [what, files, old] of LAYOUT_CASES) {
    it(`${what}: ${old ? 'refuses to start' : 'starts'}`, () => {
      expect(hasOldRecords(storageWith(files))).toBe(old);
    });
  }

  it('reads only: every record stays as it was', () => {
    const storage = storageWith(records('espruino'));
    const before = new Map(storage.data);
    expect(hasOldRecords(storage)).toBe(true);
    expect(storage.steps).toBe(0);
    expect(storage.data).toEqual(before);
  });
});
