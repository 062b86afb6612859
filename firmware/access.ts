// Optional access password for the USB interface, challenge-response like
// YubiKey OATH: the host derives a key with PBKDF2 from the password and the
// token's salt; the token stores only that key and, per session, sends a
// fresh challenge that the host answers with HMAC-SHA1(key, challenge).
// Wrong answers count (persistently) and back off exponentially. Without a
// password set, everything is open; with one, only HELLO and UNLOCK answer
// until the session is unlocked, and every new HELLO locks it again.
import { base64Decode, base64Encode } from '../protocol/base64.ts';
import { equalBytes, wipe } from '../protocol/bytes.ts';
import { ERRORS } from '../protocol/messages.ts';
import { refuse } from './refuse.ts';
import type { Hash } from '../protocol/hash.ts';
import { hmac } from '../protocol/hmac.ts';
import { latin1Text } from '../protocol/latin1.ts';
import { ACCESS_KEY as KEY } from './checked-storage.ts';
import type { CheckedStorage } from './checked-storage.ts';
import type { Fields } from '../protocol/tlv.ts';

/**
 * PBKDF2-SHA256 iterations the host must use (OWASP's 2023 figure). The host
 * does the work, about 0.1 s; it is what an offline guess at the password
 * costs someone who recorded a challenge and its answer.
 */
export const PBKDF2_ITERATIONS = 600000;
/** Failures allowed before each further attempt must wait (2, 4, 8 ... s, capped at an hour). */
export const FREE_ATTEMPTS = 3;

/**
 * The access record, kept in Storage as JSON. One-letter keys: they are its
 * format on every board and ship as text in the Espruino bundle, which
 * cannot shorten them itself (a reflash must read what the last firmware
 * wrote). A record that does not parse, or lacks these, keeps the token locked.
 */
interface AccessRecord {
  /** Base64 of the derived access key; '' when no password is set. */
  k: string;
  /** Base64 of the PBKDF2 salt the host derives with. */
  s: string;
  /** Wrong answers since the last right one. */
  f: number;
  /** PBKDF2 iterations the key was (or a new one will be) derived with. */
  i: number;
}

/** Whether base64 text holds from..to bytes. */
function sized(text: unknown, from: number, to: number): boolean {
  try {
    const n = base64Decode(text as string).length;
    return n >= from && n <= to;
  } catch (e) {
    return false;
  }
}

function whole(n: number, min: number, max: number): boolean {
  return n >= min && n <= max && n % 1 === 0;
}

/**
 * A stored record, its fields checked as HELLO and UNLOCK will use them
 * (checked-storage.ts falls back to the generation before on a throw).
 * Older firmware's records (firmware 0.1.0's long keys, no iteration count)
 * are converted by firmware/migrate.ts, not read here.
 */
export function readRecord(text: string): AccessRecord {
  const r = JSON.parse(text) as AccessRecord;
  if (!(r.k === '' || sized(r.k, 16, 64)) || !sized(r.s, 16, 32) || !whole(r.f, 0, 1e9 - 1) || !whole(r.i, 10000, 10000000)) {
    throw new Error(); // the checked storage refuses this copy
  }
  return r;
}

export interface AccessControl {
  unlocked(): boolean;
  /** The host went away (link closed): lock until the next session unlocks. */
  lock(): void;
  /** Start a session: lock, and add HELLO's access fields (salt, iterations, locked, challenge) to `reply`. */
  hello(reply: Fields): void;
  unlock(response: Uint8Array, nowMs: number): void;
  /** A new key: 16..64 bytes (SET_PASSWORD checks it before it asks for the button). */
  setKey(key: Uint8Array): void;
  clear(): void;
}

export function createAccessControl(storage: CheckedStorage, sha1: Hash, random: (n: number) => Uint8Array): AccessControl {
  let rec: AccessRecord = { k: '', s: '', f: 0, i: PBKDF2_ITERATIONS };
  try {
    rec = (storage.load(KEY, (b) => readRecord(latin1Text(b))) as AccessRecord) || rec;
  } catch (e) {
    // Every copy damaged: that must not open the token. Keep a key that
    // nothing matches; WIPE (with the button) still makes it fresh.
    rec = { k: base64Encode(random(20)), s: '', f: FREE_ATTEMPTS, i: PBKDF2_ITERATIONS };
  }
  if (!rec.s) rec.s = base64Encode(random(16)); // a fresh token's salt (or a damaged one's)
  let challenge: Uint8Array | null = null;
  let open = false;
  // After a restart with failures on record, the back-off starts at the first
  // attempt, so unplugging the token does not reset it (-1: not yet computed).
  let waitUntil = rec.f >= FREE_ATTEMPTS ? -1 : 0;
  const backoffMs = () => Math.min(3600, Math.pow(2, rec.f - (FREE_ATTEMPTS - 1))) * 1000;

  function save(): void {
    storage.write(KEY, JSON.stringify(rec));
  }

  /** Whether a password is set. */
  function enabled(): boolean {
    return rec.k !== '';
  }

  return {
    unlocked: () => !enabled() || open,
    lock: () => {
      open = false;
      challenge = null;
    },
    hello: (reply: Fields) => {
      open = false;
      challenge = enabled() ? random(16) : null;
      reply.salt = base64Decode(rec.s);
      reply.iterations = rec.i; // a key set by older firmware keeps its count until the password is removed
      reply.locked = +enabled(); // 1 or 0
      if (challenge) reply.challenge = challenge;
    },
    unlock: (response: Uint8Array, nowMs: number) => {
      if (!enabled()) return;
      if (!challenge) refuse(ERRORS.LOCKED, 'no challenge: send HELLO first');
      if (waitUntil < 0) waitUntil = nowMs + backoffMs();
      if (nowMs < waitUntil) refuse(ERRORS.LOCKED, 'too many wrong passwords; try again in % s', Math.ceil((waitUntil - nowMs) / 1000));
      const key = base64Decode(rec.k);
      const want = hmac(sha1, key, challenge as Uint8Array);
      wipe(key);
      challenge = null; // one answer per challenge: no guessing against the same one
      // Count the attempt before judging it: a power cut that stops the count
      // being stored then also stops the answer being judged.
      rec.f++;
      save();
      if (!equalBytes(want, response)) {
        if (rec.f >= FREE_ATTEMPTS) waitUntil = nowMs + backoffMs();
        refuse(ERRORS.WRONG_PASSWORD, 'wrong password (% failures); send HELLO again', rec.f);
      }
      rec.f = 0;
      save();
      open = true;
    },
    setKey: (key: Uint8Array) => {
      rec.k = base64Encode(key);
      rec.f = 0;
      save();
      open = true;
    },
    clear: () => {
      rec.k = '';
      rec.f = 0;
      rec.i = PBKDF2_ITERATIONS;
      save();
      save(); // over the older generation too: the old key does not linger
      storage.scrub();
    },
  };
}
