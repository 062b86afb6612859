// The account store: the list in RAM, persisted as one record through the
// checked storage (checked-storage.ts), which keeps its last two generations
// with a CRC each: a write cut off by power loss, a flipped bit or a lost
// copy leaves the generation before it loadable. Every field read back is
// checked as a wire field is, so no stored record can crash the app.
import { wipe } from '../protocol/bytes.ts';
import { badRequest, refuse } from './refuse.ts';
import { ALGORITHM_NAMES, ERRORS, FIELDS, fieldTable, LIST, MAX_SECRET, MIN_SECRET, TYPE_HOTP } from '../protocol/messages.ts';
import { decodeFields, encodeFields, LIST_ITEMS } from '../protocol/tlv.ts';
import type { FieldSpec, Fields } from '../protocol/tlv.ts';
import { ACCOUNTS_KEY } from './checked-storage.ts';
import type { CheckedStorage } from './checked-storage.ts';

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


/** A stored account: the wire's account fields and its secret (tags 1-6), type and counter (37, 38). */
const STORED_FIELDS: FieldSpec[] = FIELDS.slice(0, 6).concat(FIELDS.slice(36, 38));
/** The record: one list field (tag 1) of stored accounts. Its key is only a name in RAM (the Espruino build shortens it). */
const RECORD_FIELDS: FieldSpec[] = fieldTable({ accounts: LIST }, 0);
LIST_ITEMS.accounts = STORED_FIELDS;

/** A name or issuer: not empty (unless allowed), no control characters. Its length limit is the field's, checked by the codec. */
export function checkName(name: string, what: string, allowEmpty?: boolean): string {
  if (!allowEmpty && !name) badRequest('% is empty', what);
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 32 || c === 127) badRequest('% has a control character at byte %', what, i + 1);
  }
  return name;
}

/**
 * Refuses (BAD_REQUEST, naming what was wrong) an account ADD must not
 * store. Stored accounts go through it too (decodeRecord), with `minSecret`
 * 1: older firmware took seeds under 80 bits. Integer fields need no range
 * check beyond these: the codec (tlv.ts) gives every field decoded from the
 * wire or from storage its type and whole values within 2^53 - 1.
 */
export function checkAccount(a: Account, minSecret: number): void {
  checkName(a.name, 'name');
  checkName(a.issuer, 'issuer', true);
  if (!ALGORITHM_NAMES[a.algorithm]) badRequest('unknown algorithm number %', a.algorithm);
  if (!(a.digits >= 6 && a.digits <= 10)) badRequest('digits must be 6..10, got %', a.digits);
  if (!(a.period >= 1 && a.period <= 86400)) badRequest('period must be 1..86400 s, got %', a.period);
  // At least 80 bits: KEY_CHECK needs no button, so a short seed could be found from its check value.
  const n = a.secret ? a.secret.length : 0;
  if (n < minSecret) badRequest('secret is % bytes; it must be % to % (80 bits at least)', n, MIN_SECRET, MAX_SECRET);
  // HOTP has a counter (ADD gives it 0 when none was sent; a stored one without is refused alike).
  if (a.type !== undefined && (a.type !== TYPE_HOTP || a.counter === undefined)) badRequest('unknown account type %', a.type);
}

/**
 * A stored record's accounts; throws if any is not what ADD would accept (a
 * record with a valid CRC may still be crafted or from a bug), so the
 * generation before is loaded instead. (The checked storage catches the
 * throw and refuses the copy: its message is never sent.)
 */
export function decodeRecord(b: Uint8Array, maxAccounts: number): Account[] {
  const accounts = ((decodeFields(b, 0, RECORD_FIELDS).accounts as Fields[]) || []) as unknown as Account[];
  if (accounts.length > maxAccounts) throw new Error();
  const names = accounts.map((a) => a.name);
  accounts.forEach((a, i) => {
    a.issuer = a.issuer || ''; // the codec leaves an empty issuer out
    checkAccount(a, 1);
    if (names.indexOf(a.name) < i) throw new Error(); // an earlier account has this name
  });
  return accounts;
}

export interface AccountStore {
  list(): Account[];
  find(name: string): Account | null;
  /** Replace the whole set atomically; throws STORAGE_FAILED and keeps the old set if the write fails. */
  commit(next: Account[]): void;
}

/** maxAccounts: the board's slots; a stored record with more is not loaded. */
export function openAccountStore(storage: CheckedStorage, maxAccounts?: number): AccountStore {
  const max = maxAccounts || 1000;
  let accounts: Account[] = [];
  try {
    accounts = (storage.load(ACCOUNTS_KEY, (b) => decodeRecord(b, max)) as Account[]) || [];
  } catch (e) {
    // Every copy damaged: start empty (health() says so); the next write goes beside them.
  }
  // Loaded from the generation before (the newest copy was damaged after it was
  // written, or torn): its HOTP counters may be one code behind what was shown.
  // Skip one code rather than show a code twice.
  if (storage.health()) for (const a of accounts) if (a.type) a.counter = (a.counter as number) + 1;

  function find(name: string): Account | null {
    for (const a of accounts) if (a.name === name) return a;
    return null;
  }

  function commit(next: Account[]): void {
    // An Account has exactly the stored fields, so the list encodes as it is.
    const record = encodeFields({ accounts: next as never }, RECORD_FIELDS);
    const removing = next.length < accounts.length;
    try {
      storage.write(ACCOUNTS_KEY, record);
    } catch (e) {
      // The generation before is untouched.
      refuse(ERRORS.STORAGE_FAILED, 'storage write failed: %', (e as Error)['message']); // quoted: see ESPRUINO_INTERNAL_PROPS
    }
    accounts = next;
    // A removal (or wipe) also writes the new set over the older generation,
    // so removed seeds do not linger in flash: both copies are the new set.
    // (If that fails, the next write replaces the older copy.)
    if (removing) {
      try {
        storage.write(ACCOUNTS_KEY, record);
        storage.scrub();
      } catch (e) {
        // the new set is safe in the newest copy
      }
    }
    wipe(record);
  }

  return { list: () => accounts, find: find, commit: commit };
}
