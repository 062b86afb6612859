// Attack (or plain bad luck): the flash under a token goes bad - a flipped
// bit at any byte, a copy cut short at any length, a lost file. The token
// must load the newest good generation (the last set or the one before it),
// say on HELLO (`storageHealth`; a locked token on UNLOCK's reply, as a locked
// HELLO tells only what unlocking needs) and on its display that storage was damaged, keep
// working, and never write over its only good copy. Driven through the app
// with request frames (test/helpers/fake-ports.ts), storage as Map entries.
import { createHmac, pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { COMMANDS, ERRORS, STATUS_OK, STATUS_WAITING } from '../../protocol/messages.ts';
import { fakeToken, SteppedStorage } from '../helpers/fake-ports.ts';
import type { FakeToken } from '../helpers/fake-ports.ts';
import { readMessageLine, readText } from '../helpers/ocr.ts';
import { fileURLToPath } from 'node:url';
import type { Fields } from '../../protocol/tlv.ts';
import { bundleEntry, EspruinoVm, newFlash } from '../espruino/harness.ts';
import { hostOn } from '../espruino/harness-host.ts';

const secret = (fill: number) => new Uint8Array(20).fill(fill);
const add = (t: FakeToken, name: string, fill: number) => {
  const [r] = t.send(COMMANDS.ADD, { name, algorithm: 1, digits: 6, period: 30, secret: secret(fill) });
  expect(r.status, String(r.fields.message)).toBe(STATUS_OK);
};
const names = (t: FakeToken) => ((t.send(COMMANDS.LIST, {})[0].fields.account ?? []) as { name: string }[]).map((a) => a.name).join(',');
/** Start over a copy of `data`; without `sync` (which rewrites the clock record) the clock stays as stored. */
const reboot = (data: Map<string, string>, sync = false) => {
  const storage = new SteppedStorage();
  storage.data = new Map(data);
  return fakeToken({ storage, clockSet: sync });
};

/** A token whose accounts went a -> a,b: the newest set and the one before. */
function twoGenerations(): Map<string, string> {
  const t = fakeToken();
  add(t, 'a', 1);
  add(t, 'a-too', 2);
  t.send(COMMANDS.REMOVE, { name: 'a-too' });
  t.press('confirm');
  add(t, 'b', 3);
  return t.storage.data;
}

/** After damage: HELLO answers and says so; the accounts are the newest set or the one before. */
function recovered(t: FakeToken, what: string): void {
  const [hello] = t.send(COMMANDS.HELLO, {});
  expect(hello.status, what).toBe(STATUS_OK);
  expect(['a,b', 'a'], what).toContain(names(t));
  expect(hello.fields.storageHealth, what).toBe(1);
}

describe('attack: damaged storage', () => {
  const before = twoGenerations();

  it('a flipped bit at every byte of every stored copy falls back to a good generation and says so', () => {
    let n = 0;
    for (const [key, value] of before) {
      for (let i = 0; i < value.length; i++) {
        for (const bit of [0, 6]) {
          const data = new Map(before);
          const bad = value.slice(0, i) + String.fromCharCode(value.charCodeAt(i) ^ (1 << bit)) + value.slice(i + 1);
          // A flip in the unused low bits of the last base64 character spells the same bytes: nothing is damaged.
          if (Buffer.from(bad, 'base64').toString('base64') === value) continue;
          data.set(key, bad);
          recovered(reboot(data), `${key} byte ${i} bit ${bit}`);
          n++;
        }
      }
    }
    expect(n).toBeGreaterThan(400);
  }, 60_000); // thousands of loads: about 1.6 s alone, over 5 s beside the XS suites

  it('a copy cut short at every length falls back to a good generation and says so', () => {
    for (const [key, value] of before) {
      for (let len = 0; len < value.length; len++) {
        const data = new Map(before);
        data.set(key, value.slice(0, len));
        recovered(reboot(data), `${key} cut to ${len}`);
      }
    }
  });

  it('a lost copy falls back to a good generation and says so', () => {
    expect(before.size).toBeGreaterThanOrEqual(4); // accounts and clock, two copies each
    for (const key of before.keys()) {
      const data = new Map(before);
      data.delete(key);
      recovered(reboot(data), `${key} lost`);
    }
  });

  it('the display says storage was damaged', () => {
    for (const key of [...before.keys()].filter((k) => k.startsWith('tt.acc'))) {
      const data = new Map(before);
      data.delete(key);
      const t = reboot(data, true);
      t.app.render();
      expect(readText(t.fb, 0, 56, 1, 21), key).toContain('storage!');
    }
  });

  it('after a recovery the next write goes beside the good copy, never over it', () => {
    // Lose the newest accounts copy (the one the last ADD wrote).
    const t0 = fakeToken();
    add(t0, 'a', 1);
    const snap = new Map(t0.storage.data);
    add(t0, 'b', 2);
    const newest = [...t0.storage.data.keys()].find((k) => k.startsWith('tt.acc') && t0.storage.data.get(k) !== snap.get(k))!;
    const data = new Map(t0.storage.data);
    data.delete(newest);
    const t = reboot(data);
    expect(names(t)).toBe('a');
    add(t, 'c', 3);
    // Whatever that write did, the copy it recovered from must still be there:
    // damage the copy just written, and the recovered set comes back.
    const written = [...t.storage.data.keys()].find((k) => k.startsWith('tt.acc') && t.storage.data.get(k) !== data.get(k))!;
    const again = new Map(t.storage.data);
    again.set(written, 'garbage');
    const t2 = reboot(again);
    expect(names(t2)).toBe('a');
    expect(t2.send(COMMANDS.HELLO, {})[0].fields.storageHealth).toBe(1);
  });

  it('every account copy damaged: HELLO says lost (2), the display says so, WIPE with the button works', () => {
    const data = new Map(before);
    for (const key of data.keys()) if (key.startsWith('tt.acc')) data.set(key, data.get(key)!.slice(0, 30));
    const t = reboot(data, true);
    const [hello] = t.send(COMMANDS.HELLO, {});
    expect(hello.status).toBe(STATUS_OK);
    expect(hello.fields.storageHealth).toBe(2);
    t.app.render();
    expect(readMessageLine(t.fb, 0)).toBe('Storage damaged');
    expect(t.send(COMMANDS.WIPE, {})[0].status).toBe(STATUS_WAITING);
    expect(t.press('confirm')[0].status).toBe(STATUS_OK);
    expect(t.send(COMMANDS.HELLO, {})[0].fields.storageHealth).toBe(0);
  });

  it('a damaged password copy falls back to the one before: still locked, the password still unlocks', () => {
    const t = fakeToken();
    add(t, 'a', 1);
    let hello = t.send(COMMANDS.HELLO, {})[0].fields;
    const key = new Uint8Array(pbkdf2Sync('pw', hello.salt as Uint8Array, hello.iterations as number, 32, 'sha256'));
    expect(t.send(COMMANDS.SET_PASSWORD, { accessKey: key })[0].status).toBe(STATUS_WAITING);
    expect(t.press('confirm')[0].status).toBe(STATUS_OK);
    const accessKeys = [...t.storage.data.keys()].filter((k) => k.startsWith('tt.access'));
    expect(accessKeys.length).toBeGreaterThan(0);
    for (const k of accessKeys) {
      const value = t.storage.data.get(k)!;
      for (let i = 0; i < value.length; i += 7) {
        const data = new Map(t.storage.data);
        data.set(k, value.slice(0, i) + String.fromCharCode(value.charCodeAt(i) ^ 4) + value.slice(i + 1));
        const r = reboot(data);
        hello = r.send(COMMANDS.HELLO, {})[0].fields;
        if ((i / 7) % 2 === 1) {
          // A wrong answer first: counting it rewrites the password record (two good copies again), and the damage must still be told.
          expect(r.send(COMMANDS.UNLOCK, { response: new Uint8Array(20) })[0].status, `${k} byte ${i}`).toBe(ERRORS.WRONG_PASSWORD);
          hello = r.send(COMMANDS.HELLO, {})[0].fields;
        }
        expect(hello.locked, `${k} byte ${i}`).toBe(1);
        expect(hello.storageHealth, `${k} byte ${i}`).toBeUndefined(); // a locked HELLO tells only what unlocking needs
        const response = new Uint8Array(createHmac('sha1', key).update(hello.challenge as Uint8Array).digest());
        const [unlocked] = r.send(COMMANDS.UNLOCK, { response });
        expect(unlocked.status, `${k} byte ${i}`).toBe(STATUS_OK);
        expect(unlocked.fields.storageHealth, `${k} byte ${i}`).toBe(1); // UNLOCK's reply says what the locked HELLO held back
      }
    }
  });
});

describe('attack: damaged storage, the ESP32 Espruino bundle in the harness', () => {
  it('a lost newest accounts copy falls back to the set before, and HELLO says so (the field survives the build\'s renaming)', async () => {
    const code = await bundleEntry(fileURLToPath(new URL('../../firmware/ports/espruino/esp32-ssd1306.ts', import.meta.url)));
    const flash = newFlash();
    /** The bundle started over `flash`, and a host on its link (sessions: harness-host.ts). */
    const boot = () => {
      const host = hostOn(new EspruinoVm({ flash, font6x8: true }).boot(code), 'Serial1');
      return (command: number, fields: Fields) => host.send(command, fields)!;
    };
    const send = boot();
    expect(send(COMMANDS.HELLO, {}).fields.storageHealth).toBe(0);
    expect(send(COMMANDS.ADD, { name: 'a', secret: secret(1) }).status).toBe(STATUS_OK);
    const snap = new Map(flash.files);
    expect(send(COMMANDS.ADD, { name: 'b', secret: secret(2) }).status).toBe(STATUS_OK);
    const newest = [...flash.files.keys()].find((k) => k.startsWith('tt.acc') && flash.files.get(k) !== snap.get(k))!;
    flash.files.delete(newest);
    const again = boot();
    const hello = again(COMMANDS.HELLO, {});
    expect(hello.fields.storageHealth).toBe(1);
    expect((again(COMMANDS.LIST, {}).fields.account as Fields[]).map((a) => a.name)).toEqual(['a']);
  }, 30_000);
});
