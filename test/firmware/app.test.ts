import { describe, expect, it } from 'vitest';
import { COMMANDS, ERRORS, STATUS_OK, STATUS_WAITING } from '../../protocol/messages.ts';
import { keyCheckValue } from '../../protocol/keycheck.ts';
import { nodeHashes } from '../../host/lib/hashes/node-hashes.ts';
import { fakeToken, SteppedStorage } from '../helpers/fake-ports.ts';
import { readMessageLine } from '../helpers/ocr.ts';
import { otplibTotp } from '../helpers/providers.ts';

const seed = (n: number, fill = 7) => new Uint8Array(n).fill(fill);
const addFields = (name: string, secret = seed(20), extra: object = {}) => ({ name, issuer: 'Example', algorithm: 1, digits: 6, period: 30, secret, ...extra });
/** All account names, following LIST's pages. */
function names(t: ReturnType<typeof fakeToken>): string[] {
  const out: string[] = [];
  let start: number | undefined = 0;
  while (start !== undefined) {
    const [r] = t.send(COMMANDS.LIST, { start });
    expect(r.status).toBe(STATUS_OK);
    out.push(...((r.fields.account as { name: string }[] | undefined) ?? []).map((a) => a.name));
    start = r.fields.next as number | undefined;
  }
  return out;
}

describe('token app commands', () => {
  it('HELLO reports version, board, capabilities, slots and clock', () => {
    const t = fakeToken({ algorithms: ['SHA1', 'SHA256'], slots: 5 });
    const [r] = t.send(COMMANDS.HELLO, {});
    expect(r.status).toBe(STATUS_OK);
    expect(r.fields).toMatchObject({ protocol: 1, board: 'fake', algorithms: 0b011, slotsTotal: 5, slotsFree: 5, clock: 1 });
  });

  it('ADD stores a 40-byte AWS seed and a 64-byte SHA512 seed and answers with the key check', () => {
    const t = fakeToken();
    const aws = seed(40, 0xa5);
    const [r1] = t.send(COMMANDS.ADD, addFields('aws', aws));
    expect(r1.status).toBe(STATUS_OK);
    expect(Buffer.from(r1.fields.check as Uint8Array)).toEqual(Buffer.from(keyCheckValue(nodeHashes().SHA1!, seed(40, 0xa5))));
    const [r2] = t.send(COMMANDS.ADD, addFields('big', seed(64), { algorithm: 3, digits: 8 }));
    expect(r2.status).toBe(STATUS_OK);
    expect(names(t)).toEqual(['aws', 'big']);
    const [k] = t.send(COMMANDS.KEY_CHECK, { name: 'big' });
    expect(Buffer.from(k.fields.check as Uint8Array)).toEqual(Buffer.from(keyCheckValue(nodeHashes().SHA512!, seed(64))));
  });

  it('keeps 32 accounts and refuses the 33rd with STORAGE_FULL, state intact', () => {
    const t = fakeToken();
    const long = (i: number) => ('account-with-a-long-name-' + i).padEnd(64, 'x');
    for (let i = 0; i < 32; i++) expect(t.send(COMMANDS.ADD, { ...addFields(long(i), seed(40, i)), issuer: 'I'.repeat(32) })[0].status).toBe(STATUS_OK);
    const [r] = t.send(COMMANDS.ADD, addFields('one-too-many'));
    expect(r.status).toBe(ERRORS.STORAGE_FULL);
    expect(names(t)).toEqual(Array.from({ length: 32 }, (_, i) => long(i)));
    const pages = t.send(COMMANDS.LIST, {})[0];
    expect(pages.fields.total).toBe(32);
    expect(pages.fields.next).toBeGreaterThan(0); // a full token does not fit one frame
  });

  it('refuses duplicates, unsupported algorithms and malformed fields with a named error', () => {
    const t = fakeToken({ algorithms: ['SHA1'] });
    t.send(COMMANDS.ADD, addFields('a'));
    const cases: [object, number, RegExp][] = [
      [addFields('a'), ERRORS.DUPLICATE_NAME, /exists/],
      [addFields('b', seed(20), { algorithm: 3 }), ERRORS.UNSUPPORTED_ALGORITHM, /SHA512/],
      [addFields('b', seed(20), { algorithm: 9 }), ERRORS.BAD_REQUEST, /algorithm/],
      [addFields('b', seed(20), { digits: 5 }), ERRORS.BAD_REQUEST, /digits/],
      [addFields('b', seed(20), { period: 0 }), ERRORS.BAD_REQUEST, /period/],
      [addFields(''), ERRORS.BAD_REQUEST, /name is empty/],
      [addFields('tab\there'), ERRORS.BAD_REQUEST, /control character/],
      [{ name: 'nosecret' }, ERRORS.BAD_REQUEST, /secret/],
    ];
    for (const [fields, status, message] of cases) {
      const [r] = t.send(COMMANDS.ADD, fields as never);
      expect(r.status, JSON.stringify(fields)).toBe(status);
      expect(String(r.fields.message)).toMatch(message);
    }
    expect(t.send(99, {})[0].status).toBe(ERRORS.UNKNOWN_COMMAND);
    expect(names(t)).toEqual(['a']);
  });

  it('CODE waits for the confirm button, then returns the same code as otplib', () => {
    const t = fakeToken();
    t.send(COMMANDS.ADD, addFields('a', seed(32, 1), { algorithm: 2, digits: 8, period: 60 }));
    const [waiting] = t.send(COMMANDS.CODE, { name: 'a' });
    expect(waiting.status).toBe(STATUS_WAITING);
    expect(waiting.fields.action).toBe('send code: "a"');
    expect(t.app.pendingAction()).toBe('send code: "a"');
    const [done] = t.press('confirm');
    expect(done.id).toBe(waiting.id);
    expect(done.status).toBe(STATUS_OK);
    expect(done.fields.code).toBe(otplibTotp(seed(32, 1), Math.floor(t.clock.now / 1000), 8, 60, 'SHA256'));
  });

  it('presence: cancel denies, timeout expires, others get BUSY, a new HELLO ends the session and its request, unanswered', () => {
    const t = fakeToken();
    t.send(COMMANDS.ADD, addFields('a'));
    t.send(COMMANDS.WIPE, {});
    expect(t.press('next')[0].status).toBe(ERRORS.PRESENCE_DENIED);
    t.send(COMMANDS.WIPE, {});
    expect(t.send(COMMANDS.LIST, {})[0].status).toBe(ERRORS.BUSY);
    const expired = t.tick(31000);
    expect(expired.map((r) => r.status)).toContain(ERRORS.PRESENCE_TIMEOUT);
    t.send(COMMANDS.WIPE, {});
    const [hello, extra] = t.send(COMMANDS.HELLO, {});
    expect(hello.status).toBe(STATUS_OK); // the WIPE's host is gone, or this is another host: no reply for it
    expect(extra).toBeUndefined();
    expect(t.press('confirm')).toEqual([]); // nothing armed any more
    expect(names(t)).toEqual(['a']);
  });

  it('a silent session ends after 10 s: its pending WIPE is dropped unanswered and its id opens nothing', () => {
    const t = fakeToken();
    t.send(COMMANDS.ADD, addFields('a'));
    expect(t.send(COMMANDS.WIPE, {})[0].status).toBe(STATUS_WAITING);
    expect(t.tick(9000, true)).toEqual([]);
    expect(t.app.pendingAction()).toMatch(/WIPE/); // 9 s of silence: still waiting
    t.tick(3000, true);
    expect(t.app.pendingAction()).toBeNull();
    expect(t.press('confirm').map((r) => r.status)).toEqual([ERRORS.NO_SESSION]); // only the host's ping, refused
    expect(t.send(COMMANDS.LIST, {})[0].status).toBe(ERRORS.NO_SESSION);
    t.send(COMMANDS.HELLO, {});
    expect(names(t)).toEqual(['a']);
  });

  it('WIPE and REMOVE happen only after the press', () => {
    const t = fakeToken();
    t.send(COMMANDS.ADD, addFields('a'));
    t.send(COMMANDS.ADD, addFields('b'));
    t.send(COMMANDS.REMOVE, { name: 'a' });
    expect(t.press('confirm')[0].status).toBe(STATUS_OK);
    expect(names(t)).toEqual(['b']);
    t.send(COMMANDS.WIPE, {});
    t.press('confirm');
    expect(names(t)).toEqual([]);
    // No seed left in storage after a wipe: both copies (the last two generations) hold no account bytes.
    for (const [k, v] of t.storage.data) if (k.startsWith('tt.acc.')) expect(Buffer.from(v, 'base64').includes(Buffer.from(seed(20)))).toBe(false);
    expect([...t.storage.data.keys()].filter((k) => k.startsWith('tt.acc.'))).toHaveLength(2);
  });

  it('RENAME needs the button, shows both names whole on the display, and refuses a taken name', () => {
    const t = fakeToken();
    t.send(COMMANDS.ADD, addFields('a'));
    t.send(COMMANDS.ADD, addFields('b'));
    expect(t.send(COMMANDS.RENAME, { name: 'a', newName: 'b' })[0].status).toBe(ERRORS.DUPLICATE_NAME);
    expect(t.send(COMMANDS.RENAME, { name: 'zz', newName: 'y' })[0].status).toBe(ERRORS.NOT_FOUND);
    const before = new Map(t.storage.data);
    const [waiting] = t.send(COMMANDS.RENAME, { name: 'a', newName: 'c', newIssuer: 'New' });
    expect([waiting.status, waiting.fields.action]).toEqual([STATUS_WAITING, 'rename "a" to "c", issuer "New"']);
    expect(t.app.pendingAction()).toBe('rename "a" to "c", issuer "New"');
    expect(t.storage.data).toEqual(before); // nothing is written before the press
    expect(t.press('confirm')[0].fields).toMatchObject({ name: 'c', issuer: 'New' });
    expect(names(t)).toEqual(['c', 'b']);
    // Cancelled on the device: no change.
    t.send(COMMANDS.RENAME, { name: 'b', newName: 'd' });
    expect(t.press('next')[0].status).toBe(ERRORS.PRESENCE_DENIED);
    expect(names(t)).toEqual(['c', 'b']);
  });

  it('the confirmation screen shows long names whole: wrapped, and paged when longer than its rows', () => {
    const t = fakeToken();
    const long = 'root-account-mfa-device@123456789012'; // 36 characters, AWS-style
    t.send(COMMANDS.ADD, addFields(long));
    t.send(COMMANDS.RENAME, { name: long, newName: 'aws' });
    t.tick(1000);
    const rows = [0, 1, 2, 3, 4, 5].map((i) => readMessageLine(t.fb, i));
    expect(rows[0]).toMatch(/^Confirm \(\d+s\):$/);
    expect(rows.slice(1, 4).join('')).toBe('rename "' + long + '" to "aws"');
    expect(rows.slice(4)).toEqual(['Press confirm', 'Other press: cancel']);
    t.press('next');
    // Longer than three rows (a rename of two long names): shown a page at a time, every part of it.
    const a = 'bank ' + 'x'.repeat(56);
    const b = 'shop ' + 'y'.repeat(56);
    t.send(COMMANDS.ADD, addFields(a));
    t.send(COMMANDS.RENAME, { name: a, newName: b });
    const seen = new Set<string>();
    for (let i = 0; i < 8; i++) {
      t.tick(1000);
      // A short last page moves the hint and the cancel line up: leave them out.
      seen.add([1, 2, 3].map((r) => readMessageLine(t.fb, r)).filter((l) => l !== 'Press confirm' && l !== 'Other press: cancel').join(''));
    }
    const text = 'rename "' + a + '" to "' + b + '"';
    expect([...seen].sort((x, y) => text.indexOf(x) - text.indexOf(y)).join('')).toBe(text);
  });

  it('an unset clock shows no codes and refuses CODE; small steps are free, big ones need the button', () => {
    const t = fakeToken({ clockSet: false });
    t.send(COMMANDS.ADD, addFields('a'));
    expect(t.send(COMMANDS.CODE, { name: 'a' })[0].status).toBe(ERRORS.CLOCK_NOT_SET);
    expect(t.send(COMMANDS.HELLO, {})[0].fields.clock).toBe(0);
    expect(t.send(COMMANDS.TIME_SET, { timeMs: 1767225600000 })[0].status).toBe(STATUS_OK);
    expect(t.send(COMMANDS.TIME_SET, { timeMs: 1767225600000 + 20000 })[0].status).toBe(STATUS_OK); // within 30 s + the clock's error estimate
    const [far] = t.send(COMMANDS.TIME_SET, { timeMs: 1767225600000 + 86400000 * 30 });
    expect(far.status).toBe(STATUS_WAITING);
    expect(t.press('next')[0].status).toBe(ERRORS.PRESENCE_DENIED);
    expect(t.clock.now).toBe(1767225600000 + 10000); // the 20 s step disagreed with the sync just before: half way (firmware/clock.ts)
    expect(t.send(COMMANDS.TIME_SET, { timeMs: 1000 })[0].status).toBe(ERRORS.BAD_REQUEST);
  });

  it('after a power loss the first sync needs the button, showing the time it would set; a fresh token\'s first is free', () => {
    const t = fakeToken(); // synced once (free: factory-fresh)
    t.send(COMMANDS.ADD, addFields('a'));
    t.clock.set = false; // the raw clock lost power; the clock record remains
    expect(t.send(COMMANDS.HELLO, {})[0].fields.clock).toBe(0);
    const target = Date.UTC(2026, 10, 28, 5, 7, 30);
    const [waiting] = t.send(COMMANDS.TIME_SET, { timeMs: target });
    expect([waiting.status, waiting.fields.action]).toEqual([STATUS_WAITING, 'set clock to 2026-11-28 05:07 UTC']);
    expect(t.press('next')[0].status).toBe(ERRORS.PRESENCE_DENIED);
    expect(t.send(COMMANDS.HELLO, {})[0].fields.clock).toBe(0); // cancelled: still unset, no codes
    t.send(COMMANDS.TIME_SET, { timeMs: target });
    expect(t.press('confirm')[0].fields.clock).toBe(1);
    // Confirmed: the new trusted anchor, so a small step from there is free again.
    expect(t.send(COMMANDS.TIME_SET, { timeMs: target + 20000 })[0].status).toBe(STATUS_OK);
  });

  it('an error whose text is over the message field\'s limit still gets its reply, cut to the limit', () => {
    const storage = new SteppedStorage();
    const t = fakeToken({ storage });
    storage.write = () => {
      throw new Error('flash said: ' + 'x'.repeat(300));
    };
    const [r] = t.send(COMMANDS.ADD, addFields('a'));
    expect(r.status).toBe(ERRORS.STORAGE_FAILED);
    expect((r.fields.message as string).length).toBe(120);
    expect(r.fields.message).toMatch(/^storage write failed: flash said: x+$/);
  });

  it('small unconfirmed clock steps cannot add up to a big one', () => {
    const t = fakeToken(); // synced once at clock.now: the trusted anchor
    const start = t.clock.now;
    expect(t.send(COMMANDS.TIME_SET, { timeMs: start + 20000 })[0].status).toBe(STATUS_OK); // +20 s: free (30 s + the clock's error estimate)
    const [second] = t.send(COMMANDS.TIME_SET, { timeMs: start + 40000 }); // +20 more: 40 s from the anchor
    expect(second.status).toBe(STATUS_WAITING);
    expect(t.press('confirm')[0].status).toBe(STATUS_OK); // confirmed: the new anchor
    expect(t.send(COMMANDS.TIME_SET, { timeMs: start + 60000 })[0].status).toBe(STATUS_OK); // +20 s from there: free again
    // Walking back is guarded the same way.
    expect(t.send(COMMANDS.TIME_SET, { timeMs: start - 10000 })[0].status).toBe(STATUS_WAITING); // 50 s before the anchor
    t.press('next');
  });

  it('answers corrupt and oversized frames with id-0 errors and keeps working', () => {
    const t = fakeToken();
    t.send(COMMANDS.ADD, addFields('a'));
    expect(t.sendRaw('>AAAA!!!!\n')[0]).toMatchObject({ id: 0, status: ERRORS.BAD_FRAME });
    expect(t.sendRaw('>' + 'Q'.repeat(5000) + '\n')[0]).toMatchObject({ id: 0, status: ERRORS.FRAME_TOO_LONG });
    expect(names(t)).toEqual(['a']);
  });

  it('never sends seed bytes in any reply', () => {
    const t = fakeToken();
    const secret = Uint8Array.from({ length: 40 }, (_, i) => (i * 73 + 11) & 0xff);
    t.send(COMMANDS.ADD, addFields('a', Uint8Array.from(secret)));
    t.send(COMMANDS.LIST, {});
    t.send(COMMANDS.KEY_CHECK, { name: 'a' });
    t.send(COMMANDS.CODE, { name: 'a' });
    t.press('confirm');
    const wire = Buffer.from(t.rawOut.join(''), 'latin1');
    const replies = Buffer.concat(t.replies.map((r) => Buffer.from(JSON.stringify(r.fields))));
    const needle = Buffer.from(secret.subarray(0, 8));
    expect(wire.includes(needle)).toBe(false);
    expect(wire.includes(Buffer.from(Buffer.from(secret).toString('base64').slice(0, 12)))).toBe(false);
    expect(replies.includes(needle)).toBe(false);
  });
});
