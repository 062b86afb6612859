// HOTP accounts on the token (issue 13): ADD/LIST/CODE with the type and
// counter fields (wire-protocol.md "Account types"), the confirm press on the
// device, the display never showing a spent code as current, and refusals
// for a host that does not say it knows HOTP.
import { describe, expect, it } from 'vitest';
import { COMMANDS, ERRORS, STATUS_OK, STATUS_WAITING, TYPE_HOTP } from '../../protocol/messages.ts';
import { MAX_COUNTER } from '../../protocol/hotp.ts';
import { keyCheckValue } from '../../protocol/keycheck.ts';
import { nodeHashes } from '../../host/lib/hashes/node-hashes.ts';
import { fakeToken } from '../helpers/fake-ports.ts';
import type { FakeToken } from '../helpers/fake-ports.ts';
import { readCode, readMessageLine, readText } from '../helpers/ocr.ts';
import { ascii, otplibHotp } from '../helpers/providers.ts';
import { loadVectors } from '../helpers/vectors.ts';
import type { Fields } from '../../protocol/tlv.ts';

const RFC = loadVectors<{ secret_ascii: string; digits: number; valid: { counter: number; code: string }[] }>('rfc4226-hotp.json');
const RFC_SECRET = () => ascii(RFC.secret_ascii);
/** What a host that knows HOTP adds to LIST and CODE requests. */
const KNOWS = { type: TYPE_HOTP };

function addHotp(t: FakeToken, name: string, counter: number, extra: Fields = {}) {
  const [r] = t.send(COMMANDS.ADD, { name, issuer: 'VPN', algorithm: 1, digits: 6, secret: RFC_SECRET(), type: TYPE_HOTP, counter, ...extra });
  expect(r.status, String(r.fields.message)).toBe(STATUS_OK);
  return r;
}

/** CODE with the button pressed: the final reply. */
function codeConfirmed(t: FakeToken, name: string, fields: Fields = KNOWS) {
  const [w] = t.send(COMMANDS.CODE, { name, ...fields });
  if (w.status !== STATUS_WAITING) return w;
  const [r] = t.press('confirm');
  return r;
}

function listed(t: FakeToken): Fields[] {
  const [r] = t.send(COMMANDS.LIST, KNOWS);
  expect(r.status).toBe(STATUS_OK);
  return r.fields.account as Fields[];
}

/** The footer: its left part ("1/1 #0") and the seconds right-aligned at x = 128 - 3 * 6. */
const footer = (t: FakeToken) => readText(t.fb, 0, 56, 1, 8).trimEnd() + ' ' + readText(t.fb, 110, 56, 1, 3);

describe('HOTP accounts on the token', () => {
  it('HELLO says the firmware holds HOTP (type 1: the highest account type it knows)', () => {
    const [r] = fakeToken().send(COMMANDS.HELLO, {});
    expect(r.fields.type).toBe(TYPE_HOTP);
  });

  it('ADD keeps type and counter; LIST shows them (and no period matters); the key check is the same as TOTP', () => {
    const t = fakeToken();
    const r = addHotp(t, 'vpn', 5);
    expect(Buffer.from(r.fields.check as Uint8Array)).toEqual(Buffer.from(keyCheckValue(nodeHashes().SHA1!, RFC_SECRET())));
    t.send(COMMANDS.ADD, { name: 'totp', algorithm: 1, digits: 6, period: 30, secret: RFC_SECRET() });
    const [h, o] = listed(t);
    expect(h).toMatchObject({ name: 'vpn', type: TYPE_HOTP, counter: 5 });
    expect(o.type).toBeUndefined(); // TOTP: absent, as before
    expect(o.counter).toBeUndefined();
  });

  it('refuses an unknown type and a counter on a TOTP account, keeping the state', () => {
    const t = fakeToken();
    const bad = (fields: Fields, re: RegExp) => {
      const [r] = t.send(COMMANDS.ADD, { name: 'x', algorithm: 1, digits: 6, secret: RFC_SECRET(), ...fields });
      expect(r.status).toBe(ERRORS.BAD_REQUEST);
      expect(String(r.fields.message)).toMatch(re);
    };
    bad({ type: 2 }, /unknown account type 2/);
    bad({ counter: 3 }, /counter is for HOTP accounts only/);
    expect(listed(t)).toBeUndefined();
  });

  it('CODE gives RFC 4226 appendix D codes in order, each one after the button, and moves the stored counter first', () => {
    const t = fakeToken();
    addHotp(t, 'rfc', 0);
    for (const v of RFC.valid) {
      const [w] = t.send(COMMANDS.CODE, { name: 'rfc', ...KNOWS });
      expect(w.status).toBe(STATUS_WAITING);
      expect(w.fields.action).toBe('send next HOTP code: "rfc"');
      const [r] = t.press('confirm');
      expect(r.status).toBe(STATUS_OK);
      expect(r.fields).toMatchObject({ code: v.code, counter: v.counter, type: TYPE_HOTP });
      expect(r.fields.code).toBe(otplibHotp(RFC_SECRET(), v.counter, 6, 'SHA1'));
      expect(listed(t)[0].counter).toBe(v.counter + 1);
    }
  });

  it('a cancelled or timed-out CODE uses no counter', () => {
    const t = fakeToken();
    addHotp(t, 'rfc', 3);
    t.send(COMMANDS.CODE, { name: 'rfc', ...KNOWS });
    expect(t.press('next')[0].status).toBe(ERRORS.PRESENCE_DENIED);
    t.send(COMMANDS.CODE, { name: 'rfc', ...KNOWS });
    expect(t.tick(31000).map((r) => r.status)).toContain(ERRORS.PRESENCE_TIMEOUT);
    expect(listed(t)[0].counter).toBe(3);
    expect(codeConfirmed(t, 'rfc').fields.code).toBe(RFC.valid[3].code);
  });

  it('needs no clock: an HOTP code comes from a token whose clock was never set', () => {
    const t = fakeToken({ clockSet: false });
    addHotp(t, 'rfc', 1);
    expect(codeConfirmed(t, 'rfc').fields.code).toBe(RFC.valid[1].code);
    // ...and the device shows the HOTP screen rather than "Clock not set" for it.
    expect(readMessageLine(t.fb, 0)).toBe('HOTP VPN');
  });

  it('works for SHA256/SHA512 and 8 digits, compared with otplib', () => {
    const t = fakeToken();
    const key = new Uint8Array(64).map((_, i) => i * 7 + 1);
    for (const [alg, name] of [[2, 'SHA256'], [3, 'SHA512']] as const) {
      t.send(COMMANDS.ADD, { name, algorithm: alg, digits: 8, secret: key, type: TYPE_HOTP, counter: 4294967296 + 5 }); // past 2^32
      const r = codeConfirmed(t, name);
      expect(r.fields.code).toBe(otplibHotp(key, 4294967296 + 5, 8, name));
    }
  });

  it('refuses a code once the counter is used up, and stores nothing', () => {
    const t = fakeToken();
    addHotp(t, 'end', MAX_COUNTER);
    const r = codeConfirmed(t, 'end');
    expect(r.status).toBe(ERRORS.BAD_REQUEST);
    expect(String(r.fields.message)).toMatch(/counter is used up/);
    expect(listed(t)[0].counter).toBe(MAX_COUNTER);
  });

  it('a failed storage write gives no code and keeps the counter', () => {
    const t = fakeToken();
    addHotp(t, 'rfc', 0);
    t.storage.cutAfter = t.storage.steps; // every further write fails (like a worn-out flash page)
    t.storage.tear = 'truncate';
    const r = codeConfirmed(t, 'rfc');
    expect(r.status).toBe(ERRORS.STORAGE_FAILED);
    expect(r.fields.code).toBeUndefined();
    t.storage.cutAfter = Infinity;
    expect(listed(t)[0].counter).toBe(0);
  });

  it('RENAME keeps the type and counter', () => {
    const t = fakeToken();
    addHotp(t, 'a', 9);
    t.send(COMMANDS.RENAME, { name: 'a', newName: 'b' });
    const [r] = t.press('confirm');
    expect(r.fields).toMatchObject({ name: 'b', type: TYPE_HOTP, counter: 9 });
    expect(codeConfirmed(t, 'b').fields.code).toBe(RFC.valid[9].code);
  });

  it('keeps type and counter across a restart (stored)', () => {
    const t = fakeToken();
    addHotp(t, 'rfc', 6);
    codeConfirmed(t, 'rfc');
    const again = fakeToken({ storage: t.storage });
    expect(listed(again)[0]).toMatchObject({ type: TYPE_HOTP, counter: 7 });
    expect(codeConfirmed(again, 'rfc').fields.code).toBe(RFC.valid[7].code);
  });
});

describe('a host that does not know HOTP (requests without `type`, as every host before it)', () => {
  it('gets LIST refused, with words, once the token holds an HOTP account; TOTP-only tokens list as before', () => {
    const t = fakeToken();
    t.send(COMMANDS.ADD, { name: 'totp', algorithm: 1, digits: 6, period: 30, secret: RFC_SECRET() });
    expect(t.send(COMMANDS.LIST, {})[0].status).toBe(STATUS_OK);
    addHotp(t, 'vpn', 0);
    const [r] = t.send(COMMANDS.LIST, {});
    expect(r.status).toBe(ERRORS.BAD_REQUEST);
    expect(String(r.fields.message)).toMatch(/holds HOTP accounts; this host does not know them: update totp-token/);
  });

  it('is refused the page that would show an HOTP account, and served the pages before it', () => {
    const t = fakeToken();
    for (let i = 0; i < 20; i++) t.send(COMMANDS.ADD, { name: ('totp-' + i).padEnd(64, 'x'), issuer: 'I'.repeat(32), algorithm: 1, digits: 6, period: 30, secret: RFC_SECRET() });
    addHotp(t, 'vpn', 0);
    const [first] = t.send(COMMANDS.LIST, {});
    expect(first.status).toBe(STATUS_OK);
    expect(first.fields.next).toBeGreaterThan(0);
    let start = first.fields.next as number;
    let r = t.send(COMMANDS.LIST, { start })[0];
    while (r.status === STATUS_OK && r.fields.next !== undefined) r = t.send(COMMANDS.LIST, { start: (start = r.fields.next as number) })[0];
    expect(r.status).toBe(ERRORS.BAD_REQUEST); // the last page holds vpn
    expect(t.send(COMMANDS.LIST, { start, type: TYPE_HOTP })[0].fields.account).toContainEqual(expect.objectContaining({ name: 'vpn', counter: 0 }));
  });

  it('gets CODE for an HOTP account refused before the button, and the counter stays', () => {
    const t = fakeToken();
    addHotp(t, 'vpn', 2);
    const [r] = t.send(COMMANDS.CODE, { name: 'vpn' });
    expect(r.status).toBe(ERRORS.BAD_REQUEST);
    expect(String(r.fields.message)).toMatch(/does not know them/);
    expect(t.app.pendingAction()).toBeNull();
    expect(listed(t)[0].counter).toBe(2);
  });
});

describe('the HOTP screen', () => {
  it('says how to get a code; a press shows the next one with its counter; it goes after 30 s', () => {
    const t = fakeToken();
    addHotp(t, 'alice', 0);
    expect([0, 1, 2].map((l) => readMessageLine(t.fb, l))).toEqual(['HOTP VPN', 'Press confirm', 'for the next code']);
    expect(readCode(t.fb)).toBeNull();
    t.press('confirm');
    expect(readCode(t.fb)).toBe(RFC.valid[0].code);
    expect(footer(t)).toBe('1/1 #0 30s');
    expect(listed(t)[0].counter).toBe(1); // stored before it was shown
    t.press('confirm');
    expect(readCode(t.fb)).toBe(RFC.valid[1].code);
    expect(footer(t)).toMatch(/#1/);
    t.tick(29000);
    expect(readCode(t.fb)).toBe(RFC.valid[1].code);
    t.tick(1000);
    expect(readCode(t.fb)).toBeNull();
    expect(readMessageLine(t.fb, 0)).toBe('HOTP VPN');
  });

  it('drops a shown code when the selection moves, and when a code is sent over USB (it would be stale)', () => {
    const t = fakeToken();
    addHotp(t, 'alice', 0);
    t.send(COMMANDS.ADD, { name: 'totp', algorithm: 1, digits: 6, period: 30, secret: RFC_SECRET() });
    t.press('confirm');
    expect(readCode(t.fb)).toBe(RFC.valid[0].code);
    t.press('next');
    t.press('next');
    expect(readCode(t.fb)).toBeNull(); // back on alice: no code until asked again
    t.press('confirm');
    expect(readCode(t.fb)).toBe(RFC.valid[1].code);
    expect(codeConfirmed(t, 'alice').fields.code).toBe(RFC.valid[2].code);
    expect(readCode(t.fb)).toBeNull();
    expect(readMessageLine(t.fb, 0)).toBe('HOTP VPN');
  });

  it('a confirm press on a TOTP account changes nothing', () => {
    const t = fakeToken();
    t.send(COMMANDS.ADD, { name: 'totp', algorithm: 1, digits: 6, period: 30, secret: RFC_SECRET() });
    const before = readCode(t.fb);
    expect(t.press('confirm')).toEqual([]);
    expect(readCode(t.fb)).toBe(before);
  });
});
