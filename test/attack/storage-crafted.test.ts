// Attack: records with a VALID checksum but crafted content (flash written by
// someone with the board, or left by a bug) must not crash the token or make
// HELLO or WIPE unreachable. Each case stores a record in today's
// layout (storage-records.ts), starts the app over it, and checks that HELLO
// answers, that WIPE with the button works, and that the token is fresh after.
import { describe, expect, it } from 'vitest';
import { COMMANDS, ERRORS, STATUS_OK, STATUS_WAITING } from '../../protocol/messages.ts';
import { fakeToken, SteppedStorage } from '../helpers/fake-ports.ts';
import type { FakeToken } from '../helpers/fake-ports.ts';
import { readMessageLine } from '../helpers/ocr.ts';
import { accountsPayload, good, recordSlot } from './storage-records.ts';
import type { RawAccount } from './storage-records.ts';

function start(files: Record<string, string>, slots = 4): FakeToken {
  const storage = new SteppedStorage();
  for (const [k, v] of Object.entries(files)) storage.data.set(k, v);
  return fakeToken({ storage, slots });
}

/** WIPE confirmed on the device empties the token, and it is fresh (and healthy) afterwards. */
function wipeWorks(t: FakeToken): void {
  const [waiting] = t.send(COMMANDS.WIPE, {});
  expect(waiting.status, String(waiting.fields.message)).toBe(STATUS_WAITING);
  expect(t.press('confirm')[0].status).toBe(STATUS_OK);
  const [after] = t.send(COMMANDS.HELLO, {});
  expect(after.status).toBe(STATUS_OK);
  expect(after.fields.locked).toBe(0);
  expect(after.fields.storageHealth).toBe(0); // both records rewritten whole
  expect(t.send(COMMANDS.LIST, {})[0].fields.total).toBe(0);
}

const accountCases: [string, RawAccount[]][] = [
  ['an account with no name', [good('ok'), { ...good('x'), name: undefined }]],
  ['an account with an empty secret', [{ ...good('x'), secret: new Uint8Array(0) }]],
  ['an account with no secret', [{ ...good('x'), secret: undefined }]],
  ['an unknown algorithm', [{ ...good('x'), algorithm: 9 }]],
  ['zero digits', [{ ...good('x'), digits: 0 }]],
  ['a zero period', [{ ...good('x'), period: 0 }]],
  ['a control character in the name', [good('a\x1b[2Jb')]],
  ['two accounts with one name', [good('same', 1), good('same', 2)]],
  ['more accounts than the board has slots', [good('a'), good('b'), good('c'), good('d'), good('e')]],
];

describe('attack: crafted account records with a valid CRC', () => {
  for (const [what, accounts] of accountCases) {
    it(`${what}: the app starts, HELLO and WIPE work, and storage reports the damage`, () => {
      let t: FakeToken | undefined;
      expect(() => (t = start({ 'tt.acc.0': recordSlot(accountsPayload(accounts)) }))).not.toThrow();
      const [hello] = t!.send(COMMANDS.HELLO, {});
      expect(hello.status, String(hello.fields.message)).toBe(STATUS_OK);
      expect(t!.send(COMMANDS.LIST, {})[0].status).toBe(STATUS_OK);
      expect(hello.fields.storageHealth).toBe(2); // the only copy was bad: nothing to recover
      wipeWorks(t!);
    });
  }
});

const KEY = Buffer.alloc(32, 5).toString('base64');
const SALT = Buffer.alloc(16, 6).toString('base64');
const accessCases: [string, string][] = [
  ['a salt longer than HELLO can carry', JSON.stringify({ k: KEY, s: Buffer.alloc(200, 1).toString('base64'), f: 0, i: 600000 })],
  ['a salt that is not base64', JSON.stringify({ k: KEY, s: '!!!!', f: 0, i: 600000 })],
  ['an iteration count too large for the wire', JSON.stringify({ k: KEY, s: SALT, f: 0, i: 2 ** 40 })],
  ['a negative failure count', JSON.stringify({ k: KEY, s: SALT, f: -5, i: 600000 })],
  ['a key that is not base64', JSON.stringify({ k: '%%%%', s: SALT, f: 0, i: 600000 })],
  ['a record that is not JSON (damaged)', '{"k":"' + KEY.slice(0, 10)],
];

describe('attack: crafted or damaged password records', () => {
  for (const [what, record] of accessCases) {
    it(`${what}: HELLO answers, the token stays locked, WIPE with the button makes it fresh`, () => {
      const t = start({ 'tt.acc.0': recordSlot(accountsPayload([good('kept')])), 'tt.access.0': recordSlot(record) });
      const [hello] = t.send(COMMANDS.HELLO, {});
      expect(hello.status, String(hello.fields.message)).toBe(STATUS_OK);
      expect(hello.fields.locked).toBe(1); // a damaged record never opens the token
      expect(hello.fields.storageHealth).toBeUndefined(); // a locked HELLO tells only what unlocking needs...
      t.app.render();
      const screen = [0, 1, 2, 3, 4, 5].map((line) => readMessageLine(t.fb, line)).join('|');
      expect(screen).toContain('storage!'); // ...the person at the device is told, and can WIPE
      expect(t.send(COMMANDS.LIST, {})[0].status).toBe(ERRORS.LOCKED);
      wipeWorks(t);
    });
  }

  it('a locked token with a good record can still be wiped on the device (forgotten password), and says nothing of its accounts', () => {
    const t = start({ 'tt.acc.0': recordSlot(accountsPayload([good('secret-name')])), 'tt.access.0': recordSlot(JSON.stringify({ k: KEY, s: SALT, f: 0, i: 600000 })) });
    const [hello] = t.send(COMMANDS.HELLO, {});
    expect(hello.fields.locked).toBe(1);
    const [waiting] = t.send(COMMANDS.WIPE, {});
    expect(waiting.status).toBe(STATUS_WAITING);
    expect(String(waiting.fields.action)).not.toMatch(/1/); // no account count to a locked host
    expect(t.press('confirm')[0].status).toBe(STATUS_OK);
    expect(t.send(COMMANDS.HELLO, {})[0].fields.locked).toBe(0);
    expect(t.send(COMMANDS.LIST, {})[0].fields.total).toBe(0);
  });
});
