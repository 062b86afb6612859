// The words an error uses to point at a control: the CLI's (its options and
// commands) unchanged by default, the page's (host/web/page-words.ts: its
// fields and buttons) with no CLI option or command in them; the enroll
// flow's last line likewise (host/web/enroll-panel.ts's enrollLineText). The page's own
// messages in real Chromium: try-it.test.ts ("refusals point at the page's own fields").
import { describe, expect, it } from 'vitest';
import { explainError } from '../../host/lib/error-text.ts';
import { enrollAccount } from '../../host/lib/enroll/enroll.ts';
import type { EnrollEvent } from '../../host/lib/enroll/enroll.ts';
import { readEnrollSeed } from '../../host/lib/enroll/seed.ts';
import { enrollLineText } from '../../host/web/enroll-panel.ts';
import { FakeToken, virtualClock } from '../enroll/helpers/fake-token.ts';
import { TokenError } from '../../host/lib/errors.ts';
import { accountsFromText } from '../../host/web/import-panel.ts';
import { PAGE_WORDS } from '../../host/web/page-words.ts';

const errors = [new TokenError('DUPLICATE_NAME', '"bob" exists already'), new TokenError('NOT_FOUND', "no account 'x'"), new TokenError('CLOCK_NOT_SET', 'clock not set')];

describe('error texts in the words of the front end that shows them', () => {
  it("the CLI's: its options and commands, as before", () => {
    expect(errors.map((e) => explainError(e).message)).toEqual([
      '"bob" exists already; choose another --name, or remove the old one first',
      "no account 'x' on the token (see: totp-token list)",
      "the token's clock is not set, so it shows no codes; run: totp-token time sync",
    ]);
  });

  it("the page's: its fields and buttons, never a CLI option or command", () => {
    const said = errors.map((e) => explainError(e, PAGE_WORDS).message);
    expect(said).toEqual([
      '"bob" exists already; choose another name, or remove the old one first',
      "no account 'x' on the token (the accounts it holds are listed on this page)",
      'the token\'s clock is not set, so it shows no codes; press "Sync the clock to this computer"',
    ]);
    for (const s of said) expect(s).not.toMatch(/--[a-z]|totp-token /);
  });

  it("commands a message names (totp-token add, import, flash) become the page's sections; the CLI keeps them", async () => {
    const caught = async (f: () => unknown): Promise<unknown> => {
      try {
        await f();
      } catch (e) {
        return e;
      }
      throw new Error('no error');
    };
    // Real refusals from code the page runs: the enroll form given an export or an HOTP key, the import box given a bare key.
    const real = [
      await caught(() => readEnrollSeed({ kind: 'uri', uri: 'otpauth-migration://offline?data=CgA%3D' })),
      await caught(() => readEnrollSeed({ kind: 'uri', uri: 'otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=1' })),
      await caught(() => accountsFromText('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', 'the pasted text')),
      new TokenError('UNSUPPORTED_TYPE', "the firmware on 'sim' (0.1.0) predates HOTP accounts: update it (totp-token flash) to add HOTP keys"),
    ];
    const cli = real.map((e) => explainError(e).message);
    const page = real.map((e) => explainError(e, PAGE_WORDS).message);
    expect(cli[0]).toMatch(/use: totp-token import$/);
    expect(page[0]).toMatch(/use: the "Import accounts" section$/);
    expect(cli[1]).toMatch(/add an HOTP key with totp-token add$/);
    expect(page[1]).toMatch(/add an HOTP key with the "Add an account" form$/);
    expect(cli[2]).toMatch(/add it with totp-token add\)/);
    expect(page[2]).toMatch(/add it with the "Add an account" form\)/);
    expect(page[3]).toBe("the firmware on 'sim' (0.1.0) predates HOTP accounts: update it (\"Install the token firmware on an Espruino board\", after Disconnect) to add HOTP keys");
    for (const said of page) expect(said).not.toMatch(/totp-token |--[a-z]/);
    // A file argument goes with its command: "use: totp-token import FILE".
    expect(explainError(new TokenError('BAD_INPUT', 'qr.png: an export; use: totp-token import qr.png'), PAGE_WORDS).message).toBe('qr.png: an export; use: the "Import accounts" section');
  });

  it("the enroll flow's last line, once code 2 has expired: the CLI's says --resync, the page's says how to get two fresh codes in the page", async () => {
    const clock = virtualClock(1_750_000_000_000);
    const events: EnrollEvent[] = [];
    const otp = { type: 'totp' as const, issuer: 'AWS', account: 'root', secret: new Uint8Array(40).fill(7), algorithm: 'SHA1' as const, digits: 6, period: 30, counter: 0 };
    await enrollAccount(otp, 'AWS', { client: new FakeToken(clock), clock, onEvent: (e) => events.push(e) });
    const expired = events[events.length - 1];
    expect(expired.kind).toBe('expired');
    expect(expired.text).toMatch(/run the flow again for two fresh codes \(--resync\)\.$/);
    const page = enrollLineText(expired, 'AWS');
    expect(page).toBe('Time is up: code 2 has expired. If the AWS page has not accepted the codes, give it two fresh consecutive codes: "Show code" on the account\'s row, then again once that code has expired.');
    expect(page).not.toMatch(/--[a-z]|totp-token /);
    // Every other line is the flow's own.
    const submit = events.find((e) => e.kind === 'submit')!;
    expect(enrollLineText(submit, 'AWS')).toBe(submit.text);
  });
});
