// The account store: the list in RAM, persisted as one record written to two
// storage slots in turn. Each record carries a sequence number and a CRC, so
// a write cut off by power loss leaves the other slot (the previous set)
// intact and loadable: the store is always the old set or the new one.
import { base64Decode, base64Encode } from '../protocol/base64.ts';
import { getWord, putWord } from '../protocol/bytes.ts';
import { say } from '../protocol/say.ts';
import { crc32 } from '../protocol/crc32.ts';
import { refuse } from './refuse.ts';
import { ERRORS, FIELDS } from '../protocol/messages.ts';
import { decodeFields, encodeFields, LIST_ITEMS } from '../protocol/tlv.ts';
import type { FieldSpec, Fields } from '../protocol/tlv.ts';
import type { Storage } from './ports.ts';

export interface Account {
  name: string;
  issuer: string;
  algorithm: number;
  digits: number;
  period: number;
  secret: Uint8Array;
  /** TYPE_HOTP (1) for HOTP; absent for TOTP, so TOTP records stay as before. */
  type?: number;
  /** HOTP: the counter the next code uses; stored, and moved on before a code is made (commands.ts nextHotp). */
  counter?: number;
}

const SLOTS = ['tt.acc.0', 'tt.acc.1'];
const MAGIC = 0x54543101; // "TT1" + format 1

/** A stored account: the wire's account fields and its secret (tags 1-6), type and counter (37, 38). */
const STORED_FIELDS: FieldSpec[] = FIELDS.slice(0, 6).concat(FIELDS.slice(36, 38));
LIST_ITEMS.stored = STORED_FIELDS;
const RECORD_FIELDS: FieldSpec[] = [{ tag: 1, key: 'stored', type: 'l', max: 0 }];

/** [magic][seq][crc32 of payload][payload], base64 so any string storage holds it. */
function encodeRecord(seq: number, accounts: Account[]): string {
  // An Account has exactly the stored fields, so the list encodes as it is.
  const payload = encodeFields({ stored: accounts as never }, RECORD_FIELDS);
  const out = new Uint8Array(12 + payload.length);
  putWord(out, 0, MAGIC);
  putWord(out, 4, seq);
  putWord(out, 8, crc32(payload));
  out.set(payload, 12);
  payload.fill(0);
  const text = base64Encode(out);
  out.fill(0);
  return text;
}

/** The record's accounts and sequence number, or null if the slot is empty or damaged. */
function decodeRecord(text: string | undefined): { seq: number; accounts: Account[] } | null {
  if (!text) return null;
  try {
    const raw = base64Decode(text);
    if (raw.length < 12 || getWord(raw, 0) !== MAGIC) return null;
    const payload = raw.subarray(12);
    if (crc32(payload) !== getWord(raw, 8)) return null;
    // Decoded items have the Account's keys; only an empty issuer is left out on the wire.
    const accounts = ((decodeFields(payload, 0, RECORD_FIELDS).stored as Fields[]) || []) as unknown as Account[];
    for (let i = 0; i < accounts.length; i++) accounts[i].issuer = accounts[i].issuer || '';
    const seq = getWord(raw, 4);
    raw.fill(0);
    return { seq: seq, accounts: accounts };
  } catch (e) {
    return null;
  }
}

export interface AccountStore {
  list(): Account[];
  find(name: string): Account | null;
  /** Replace the whole set atomically; throws STORAGE_FAILED and keeps the old set if the write fails. */
  commit(next: Account[]): void;
}

export function openAccountStore(storage: Storage): AccountStore {
  const a = decodeRecord(storage.read(SLOTS[0]));
  const b = decodeRecord(storage.read(SLOTS[1]));
  let current = a && (!b || a.seq > b.seq) ? a : b;
  let seq = current ? current.seq : 0;
  let slot = current === a && a ? 0 : 1;
  let accounts: Account[] = current ? current.accounts : [];
  current = null;

  function find(name: string): Account | null {
    for (let i = 0; i < accounts.length; i++) if (accounts[i].name === name) return accounts[i];
    return null;
  }

  function commit(next: Account[]): void {
    const target = 1 - slot;
    const record = encodeRecord(seq + 1, next);
    try {
      storage.write(SLOTS[target], record);
    } catch (e) {
      refuse(ERRORS.STORAGE_FAILED, say('storage write failed: %', (e as Error).message));
    }
    // Read back: only a record that decodes counts as written.
    const check = decodeRecord(storage.read(SLOTS[target]));
    if (!check || check.seq !== seq + 1 || check.accounts.length !== next.length) {
      refuse(ERRORS.STORAGE_FAILED, say('storage did not keep the new account set'));
    }
    // The new set is safe in its slot; now erase the old one so removed or
    // wiped seeds do not linger in flash. A cut here leaves both valid slots,
    // and the higher sequence number wins on the next start.
    const old = slot;
    seq = seq + 1;
    slot = target;
    accounts = next;
    try {
      storage.erase(SLOTS[old]);
    } catch (e) {
      // The new set is committed; a stale slot is erased on the next commit.
    }
  }

  return { list: () => accounts, find: find, commit: commit };
}
