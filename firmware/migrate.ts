// The one place that reads records older firmware stored, and rewrites them
// in today's layout with today's writer (checked-storage.ts). The firmware
// itself reads only today's layout (on Espruino its port refuses to start
// over an old record: checked-storage.ts hasOldRecords), so every token does not carry these
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
// (the flasher stops and says so; the checked storage loads it as damaged),
// except a clock record: to every firmware an unreadable one meant "time
// unknown", and so does none, so it goes. Secrets stay where they are: it
// returns counts only.
import { base64Decode } from '../protocol/base64.ts';
import { getWord } from '../protocol/bytes.ts';
import { crc32 } from '../protocol/crc32.ts';
import { latin1Bytes, latin1Text } from '../protocol/latin1.ts';
import { decodeRecord } from './accounts.ts';
import { readRecord as readAccess, PBKDF2_ITERATIONS } from './access.ts';
import { ACCESS_KEY, ACCOUNTS_KEY, CLOCK_KEY, hasOldRecords, putCopy, readCopy } from './checked-storage.ts';
import { readRecord as readClock, SYNC_BASE_MS, DEFAULT_RTT_MS } from './clock.ts';
import type { Storage } from './ports.ts';

/** Firmware 0.1's accounts copies ("TT1" + format 1). */
const MAGIC_V1 = 0x54543101;
/** A copy in firmware 0.1's layout, base64 of [magic 1][generation][crc32 of value][value]: [generation, value] if its CRC holds (throws if not base64). */
function readV1Copy(text: string): [number, Uint8Array] | null {
  const b = base64Decode(text);
  return getWord(b, 0) === MAGIC_V1 && crc32(b.subarray(12)) === getWord(b, 8) ? [getWord(b, 4), b.subarray(12)] : null;
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
      return value.slice(); // a copy: the reader wipes what it decoded
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

/** Convert `key` if it is stored in an old layout: 1 converted, 0 nothing old, -1 old but unreadable (left as it is). */
function migrateRecord(raw: Storage, key: string): number {
  if (!hasOldRecords(raw, [key])) return 0;
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
    let c = readCopy(text, (v) => upgrade(key, v));
    try {
      const v1 = c ? null : readV1Copy(text);
      if (v1) c = [v1[0], upgrade(key, v1[1])];
    } catch (e) {
      // not base64 or too short: a damaged copy
    }
    if (c && c[1] && (c[0] as number) > gen) {
      keep = c[1] as Uint8Array;
      slot = i;
      gen = c[0] as number;
    }
  }
  const bare = raw.read(key);
  if (!keep && bare !== undefined) keep = upgrade(key, latin1Bytes(bare));
  if (!keep && key === CLOCK_KEY && bare !== undefined) {
    // A clock record no firmware could read meant "time unknown" to all of them; without it, the same.
    raw.erase(key);
    return hasOldRecords(raw, [key]) ? -1 : 1;
  }
  if (!keep) return -1;
  // Two fresh copies, as checked-storage.ts writes a record with no good copy
  // beside it: the first into the slot not holding the kept one, read back
  // (putCopy throws otherwise), then the second over the kept one; if that
  // one is not kept, the first is safe and what is left old is counted below.
  putCopy(raw, key, 1 - slot, 1, keep);
  try {
    putCopy(raw, key, slot, 2, keep);
  } catch (e) {
    // the new copy is safe
  }
  // Only now does the bare record go.
  if (bare !== undefined) raw.erase(key);
  return hasOldRecords(raw, [key]) ? -1 : 1;
}

/** Convert every record stored in an old layout: [records converted, records left old because unreadable]. */
export function migrateStorage(raw: Storage): number[] {
  const counts = [0, 0];
  for (const key of [ACCOUNTS_KEY, ACCESS_KEY, CLOCK_KEY]) { // the records kept (hasOldRecords checks the same three)
    const r = migrateRecord(raw, key);
    if (r > 0) counts[0]++;
    if (r < 0) counts[1]++;
  }
  return counts;
}
