// The one place that reads records older firmware stored, and rewrites them
// in today's layout with today's writer (checked-storage.ts). The firmware
// itself reads only today's layout and refuses to start over an old record
// (checked-storage.ts refuseOldRecords), so every token does not carry these
// readers forever. Who runs it: on Espruino, `totp-token flash`, as a
// one-shot script over the REPL before the new bundle starts
// (host/lib/flash/espruino-migrate.ts); the simulator and the Moddable
// ports at every start (they have no REPL and room to spare).
//
// What older firmware stored (test/upgrade's fixtures were made by firmware
// 0.1, commit aa03bcd):
// - accounts: firmware 0.1's copies in tt.acc.0/1, base64 of [magic 1]
//   [generation][crc32 of value][value] (today: [magic 2][crc32 of what
//   follows][generation][value]); it erased the older copy after each write.
// - clock and password: bare JSON under the key itself (tt.clock, tt.access);
//   the clock in its first shape (ra ta pp wt ns tr tt: one anchor and a rate
//   learned over a baseline of wt ms), the password record of firmware 0.1.0
//   with long keys (key salt failures, keys derived with 10,000 iterations),
//   or without an iteration count (600,000 assumed, as the firmware did).
//
// Safe against a cut at any point: nothing old is removed before the new
// copies are written and read back. A record is converted by writing both of
// today's copies (the first into the slot NOT holding the copy being kept,
// so never over it), then erasing the bare record. Run again after a cut, it
// finds what is left old and finishes; over today's layout it changes
// nothing. A record it cannot read (damaged) is left as it is and counted
// (the flasher stops and says so), except a clock record: to every firmware
// an unreadable one meant "time unknown", and so does none, so it goes.
// Secrets stay where they are: it returns counts only.
import { base64Decode, base64Encode } from '../protocol/base64.ts';
import { getWord, putWord } from '../protocol/bytes.ts';
import { crc32 } from '../protocol/crc32.ts';
import { latin1Bytes, latin1Text } from '../protocol/latin1.ts';
import { decodeRecord } from './accounts.ts';
import { readRecord as readAccess, PBKDF2_ITERATIONS } from './access.ts';
import { ACCESS_KEY, ACCOUNTS_KEY, CLOCK_KEY, checkedStorage, MAGIC } from './checked-storage.ts';
import { readRecord as readClock, SYNC_BASE_MS, DEFAULT_RTT_MS } from './clock.ts';
import type { Storage } from './ports.ts';

/** Firmware 0.1's accounts copies ("TT1" + format 1). */
const MAGIC_V1 = 0x54543101;
/** The records kept: accounts, password, clock. */
const RECORDS = [ACCOUNTS_KEY, ACCESS_KEY, CLOCK_KEY];

/**
 * Whether `key` is stored in a layout of older firmware: bare under the key
 * itself, or a copy in firmware 0.1's layout (base64 "VFQxAQ"). Wider than
 * checked-storage.ts hasOldRecords (which checks only where firmware 0.1 put
 * them), so whatever that one refuses, this one converts.
 */
function isOldRecord(raw: Storage, key: string): boolean {
  const old = (i: number) => (raw.read(key + '.' + i) || '').indexOf('VFQxAQ') === 0;
  return raw.read(key) !== undefined || old(0) || old(1);
}

/** A clock record of the first shape (no anchors) as today's: that anchor plus a virtual one wt ms earlier. */
function upgradeClock(r: { [k: string]: unknown }): void {
  const ra = r.ra as number;
  const ta = r.ta as number;
  const pp = r.pp as number;
  const wt = r.wt as number;
  if (r.an || [ra, ta, pp, wt].some((v) => typeof v !== 'number' || !(v > -1e15 && v < 1e15))) return; // today's, or junk the clock's reader refuses
  const e = SYNC_BASE_MS + DEFAULT_RTT_MS / 2;
  r.an = wt > 0 ? [[ta - wt, ra - wt * (1 + pp / 1e6), e], [ta, ra, e]] : [[ta, ra, e]];
  r.ua = ra;
  r.ea = e;
  r.tu = r.tr;
  delete r.pp;
  delete r.wt;
  delete r.tr;
}

/** A password record of firmware 0.1.0 (long keys, 10,000 iterations) or without an iteration count, as today's. */
function upgradeAccess(o: { [k: string]: unknown }): { [k: string]: unknown } {
  // Read by string: the Espruino build shortens the property names key and salt, never a quoted one.
  if (typeof o['key'] === 'string') return { k: o['key'], s: o['salt'], f: o['failures'], i: 10000 };
  if (o.i === undefined) o.i = PBKDF2_ITERATIONS;
  return o;
}

/** A record's value (bytes as stored) in today's shape, or null if its reader refuses it. */
function upgrade(key: string, value: Uint8Array): Uint8Array | null {
  try {
    if (key === ACCOUNTS_KEY) {
      decodeRecord(value, 1000);
      return value;
    }
    let o = JSON.parse(latin1Text(value));
    if (key === ACCESS_KEY) o = upgradeAccess(o);
    else upgradeClock(o);
    const text = JSON.stringify(o);
    const r = key === ACCESS_KEY ? readAccess(text) : readClock(text);
    return r ? latin1Bytes(text) : null;
  } catch (e) {
    return null;
  }
}

/**
 * Raw storage as checked-storage's write should see it for one record: both
 * slots empty until written (so its write puts two fresh copies), its slot 0
 * being `first`, and nothing else stored.
 */
function slotsView(raw: Storage, key: string, first: number): Storage {
  const written: { [k: string]: boolean } = {};
  const real = (k: string) => (k === key + '.0' ? key + '.' + first : k === key + '.1' ? key + '.' + (1 - first) : '');
  return {
    read: (k: string) => (written[k] ? raw.read(real(k)) : undefined),
    write: (k: string, v: string) => {
      if (!real(k)) throw new Error('migration writes only ' + key);
      written[k] = true;
      raw.write(real(k), v);
    },
    erase: () => {
      throw new Error('migration erases nothing through the checked storage');
    },
  };
}

/**
 * Convert `key` if it is stored in an old layout: 1 converted, 0 nothing old,
 * -1 old but unreadable (left as it is, unless `damagedAsCopies`: see migrateStorage).
 */
function migrateRecord(raw: Storage, key: string, damagedAsCopies?: boolean): number {
  if (!isOldRecord(raw, key)) return 0;
  // The value the firmware before this one loaded: the newest copy (either
  // layout) whose CRC holds and whose content its reader accepts; else the
  // bare record (that firmware read it only with no copy stored: a copy
  // beside it that is not good was cut short by this migration, or damaged).
  let keep: Uint8Array | null = null;
  let slot = 1; // the kept copy's slot: the first new copy goes to the other
  let gen = -1;
  for (let i = 0; i < 2; i++) {
    const text = raw.read(key + '.' + i);
    if (text === undefined) continue;
    try {
      const b = base64Decode(text);
      const v1 = getWord(b, 0) === MAGIC_V1;
      const x = v1 ? 4 : 0;
      if ((v1 || getWord(b, 0) === MAGIC) && crc32(b.subarray(8 + x)) === getWord(b, 4 + x) && getWord(b, 8 - x) > gen) {
        const v = upgrade(key, b.subarray(12));
        if (v) {
          keep = v;
          slot = i;
          gen = getWord(b, 8 - x);
        }
      }
    } catch (e) {
      // not base64 or too short: a damaged copy
    }
  }
  const bare = raw.read(key);
  if (!keep && bare !== undefined) keep = upgrade(key, latin1Bytes(bare));
  if (!keep && key === CLOCK_KEY && bare !== undefined) {
    // A clock record no firmware could read meant "time unknown" to all of them; without it, the same.
    raw.erase(key);
    return isOldRecord(raw, key) ? -1 : 1;
  }
  if (!keep && !damagedAsCopies) return -1;
  if (!keep) {
    // Its bytes as both of today's copies, each with a CRC that fails: the
    // firmware takes the record for damaged, as firmware before it took the
    // old one (a password: locked, WIPE on the device; accounts: none, health
    // 2), never for empty.
    const old = latin1Bytes(bare !== undefined ? bare : raw.read(key + '.' + slot) || raw.read(key + '.' + (1 - slot)) || '');
    const out = new Uint8Array(12 + old.length);
    putWord(out, 0, MAGIC);
    out.set(old, 12);
    putWord(out, 4, ~crc32(out.subarray(8)) >>> 0);
    raw.write(key + '.' + (1 - slot), base64Encode(out));
    raw.write(key + '.' + slot, base64Encode(out));
    if (bare !== undefined) raw.erase(key);
    return isOldRecord(raw, key) ? -1 : 1;
  }
  checkedStorage(slotsView(raw, key, 1 - slot)).write(key, keep);
  // A new copy is written and read back (checked-storage.ts throws otherwise; the second is too unless it failed): only now does the bare record go.
  if (bare !== undefined) raw.erase(key);
  return isOldRecord(raw, key) ? -1 : 1;
}

/**
 * Convert every record stored in an old layout: [records converted, records
 * left old because unreadable]. `damagedAsCopies` (the simulator and Moddable,
 * which run this at start with no flasher to stop and no REPL to wipe from):
 * an unreadable one becomes today's layout holding its bytes under a failing
 * CRC, so the token starts and says it is damaged instead of refusing to start.
 */
export function migrateStorage(raw: Storage, damagedAsCopies?: boolean): number[] {
  const counts = [0, 0];
  for (const key of RECORDS) {
    const r = migrateRecord(raw, key, damagedAsCopies);
    if (r > 0) counts[0]++;
    if (r < 0) counts[1]++;
  }
  return counts;
}
