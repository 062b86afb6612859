// Where an error points the user at a control, in the page's terms: its
// fields and buttons, where the CLI's messages name --name, `totp-token list`
// and `totp-token time sync` (host/lib/error-text.ts's HostWords).
import type { HostWords } from '../lib/error-text.ts';

export const PAGE_WORDS: HostWords = {
  anotherName: 'choose another name',
  listAccounts: 'the accounts it holds are listed on this page',
  syncClock: 'press "Sync the clock to this computer"',
};
