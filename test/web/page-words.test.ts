// The words an error uses to point at a control: the CLI's (its options and
// commands) unchanged by default, the page's (host/web/page-words.ts: its
// fields and buttons) with no CLI option or command in them. The page's own
// messages in real Chromium: try-it.test.ts ("refusals point at the page's own fields").
import { describe, expect, it } from 'vitest';
import { explainError } from '../../host/lib/error-text.ts';
import { TokenError } from '../../host/lib/errors.ts';
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
});
