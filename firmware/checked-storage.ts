// Records that survive one bad copy. Each record (accounts, clock, password)
// is kept as its last two generations, in slots `key.0` and `key.1`, each
// base64 of [magic][crc32 of what follows][generation][value] (readCopy and
// putCopy, which firmware/migrate.ts shares). Records older firmware stored
// otherwise are not read here: firmware/migrate.ts converts them (at start on
// the simulator and Moddable; `totp-token flash` runs it on Espruino, whose
// port refuses to start over one until then, rather than take it for damaged
// or missing). One that is still there after the conversion is unreadable and
// loads as damaged.
// A read takes the newest copy whose CRC holds and whose content the record's
// own parser accepts (every field checked like a wire field), so a flipped
// bit, a torn write or a lost file falls back to the generation before. A
// write goes to the slot NOT holding that copy (never over the only good
// one) and is read back; the other slot keeps the generation before.
//
// health() (HELLO field storageHealth): 0 both copies good, 1 a copy was damaged or missing and a good one was
// used, 2 damaged with nothing to recover; it holds until a write of that
// record leaves two good copies again.
import { base64Decode, base64Encode } from '../protocol/base64.ts';
import { getWord, putWord, wipe } from '../protocol/bytes.ts';
import { crc32 } from '../protocol/crc32.ts';
import { say } from '../protocol/say.ts';
import { latin1Bytes, latin1Text } from '../protocol/latin1.ts';
import type { Storage } from './ports.ts';

/** This layout: two good generations kept, the CRC over the generation too. */
export const MAGIC = 0x54543102;
/** The records' keys (access.ts, accounts.ts, clock.ts): one string each in the Espruino bundle for every use. */
export const ACCESS_KEY = 'tt.access';
export const ACCOUNTS_KEY = 'tt.acc';
export const CLOCK_KEY = 'tt.clock';
/** What the display says (under "Cannot start:") when a record of older firmware is stored. */
export const OLD_RECORDS = 'run totp-token flash';

/**
 * Whether any of `keys` (all the records' if none given) is stored in a
 * layout of older firmware: firmware 0.1 kept the clock and the password
 * bare under the key itself, and its accounts copies in the slots with magic
 * "TT1" + 1 (base64 "VFQxAQ"; today's "VFQxAg"). No firmware wrote another
 * layout; firmware/migrate.ts converts these.
 */
export function hasOldRecords(raw: Storage, keys?: string[]): boolean {
  // The slots joined as ",copy 0,copy 1" (a missing one is empty): base64 has no comma, so ",VFQxAQ" is only ever a copy's start.
  return (keys || [ACCOUNTS_KEY, ACCESS_KEY, CLOCK_KEY]).some((key) => raw.read(key) !== undefined || /,VFQxAQ/.test(['', raw.read(key + '.0'), raw.read(key + '.1')] as unknown as string));
}

/**
 * A stored copy's [generation, what `parse` makes of its value] if it is in
 * this layout and its CRC holds; undefined otherwise, or if `parse` throws.
 * The decoded bytes are wiped after `parse`: what it returns must not be a
 * view of them.
 */
export function readCopy(text: string, parse: (value: Uint8Array) => unknown): unknown[] | undefined {
  try {
    const b = base64Decode(text);
    const c = getWord(b, 0) === MAGIC && crc32(b.subarray(8)) === getWord(b, 4) ? [getWord(b, 8), parse(b.subarray(12))] : undefined;
    wipe(b);
    return c;
  } catch (e) {
    // too short, not base64, or its content refused
  }
}

/** Store `value` as generation `gen` in slot `i` of `key` and read it back: only a copy that reads as written counts (throws otherwise). */
export function putCopy(raw: Storage, key: string, i: number, gen: number, value: Uint8Array): void {
  const out = new Uint8Array(12 + value.length);
  putWord(out, 0, MAGIC);
  putWord(out, 8, gen);
  out.set(value, 12);
  // Over the generation too: a flipped bit there must not make an old copy the newest.
  putWord(out, 4, crc32(out.subarray(8)));
  const text = base64Encode(out);
  wipe(out);
  const slot = key + '.' + i;
  raw.write(slot, text);
  if (raw.read(slot) !== text) throw new Error(say('storage did not keep %', key));
}

/** The records' storage as the app uses it: no erase (a record is overwritten, never removed: WIPE writes an empty one). */
export interface CheckedStorage {
  /** A record stored as text, as load with latin1Text. */
  read(key: string): string | undefined;
  /** The newest copy of `key` that `parse` accepts (it throws on a bad one), parsed; undefined if none is stored; throws if every copy is damaged. */
  load(key: string, parse: (value: Uint8Array) => unknown): unknown;
  /** Store bytes (or text, one char per byte). */
  write(key: string, value: string | Uint8Array): void;
  /** Drop older copies the raw medium keeps (see Storage.scrub). */
  scrub(): void;
  /** 0 ok, 1 recovered from an older generation, 2 lost: the worst over records not rewritten since. */
  health(): number;
}

/**
 * Over `raw` as the port left it: converted by firmware/migrate.ts at start
 * (the simulator, Moddable), or refused with hasOldRecords (Espruino:
 * ports/espruino/token.ts). A
 * record of older firmware still stored then is one no reader could take:
 * it loads as damaged.
 */
export function checkedStorage(raw: Storage): CheckedStorage {
  // Per record: [slot of the newest good copy or -1, its generation, health].
  const state: { [key: string]: number[] } = {};

  function load(key: string, parse: (value: Uint8Array) => unknown): unknown {
    const s = (state[key] = [-1, 0, 0]);
    let found: unknown;
    // A record of older firmware bare under the key counts as a copy that is not good (its slots' copies in an old layout fail the magic).
    let present = raw.read(key) !== undefined;
    let good = 0;
    for (let i = 0; i < 2; i++) {
      const text = raw.read(key + '.' + i);
      if (text === undefined) continue;
      present = true;
      const c = readCopy(text, parse);
      const v = c && c[1];
      if (v === null || v === undefined) continue; // damaged, or its content refused
      good++;
      if (s[0] < 0 || (c as number[])[0] > s[1]) {
        s[0] = i;
        s[1] = (c as number[])[0];
        found = v;
      }
    }
    if (!present) return undefined;
    // Two good copies: 0; one where two are kept (the other damaged or lost): 1; none: 2.
    s[2] = 2 - good;
    if (!good) throw new Error(); // every caller takes it as: damaged, nothing to recover
    return found;
  }

  function write(key: string, value: string | Uint8Array): void {
    if (!state[key]) {
      try {
        load(key, (b) => b);
      } catch (e) {
        // every copy damaged: the write below goes beside them
      }
    }
    const s = state[key];
    const v = typeof value === 'string' ? latin1Bytes(value) : value;
    const to = +!s[0]; // the slot not holding the newest good copy (slot 0 when there is none: -1)
    putCopy(raw, key, to, ++s[1], v);
    const alone = s[0] < 0;
    s[0] = to;
    s[2] = 0;
    // No good copy beside the new one (in slot 0, as `to` is then): write it into slot 1 too, so the next write has one to keep.
    if (alone) {
      try {
        putCopy(raw, key, 1, ++s[1], v);
        s[0] = 1;
      } catch (e) {
        // the new copy is safe; the next write goes beside it
      }
    }
    if (v !== value) wipe(v); // our copy of a text record (the password's holds its key)
  }

  return {
    load: load,
    read: (key: string) => load(key, latin1Text) as string | undefined,
    write: write,
    scrub: () => {
      if (raw.scrub) raw.scrub();
    },
    health: () => {
      let worst = 0;
      for (const key in state) worst = Math.max(worst, state[key][2]);
      return worst;
    },
  };
}
