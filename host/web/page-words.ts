// Where an error points the user at a control, in the page's terms: its
// fields, buttons and sections, where the CLI's messages name --name,
// `totp-token list`, `totp-token time sync`, `totp-token add|import|flash`
// (host/lib/error-text.ts's HostWords).
import type { HostWords } from '../lib/error-text.ts';

export const PAGE_WORDS: HostWords = {
  anotherName: 'choose another name',
  listAccounts: 'the accounts it holds are listed on this page',
  syncClock: 'press "Sync the clock to this computer"',
  commands: {
    add: 'the "Add an account" form',
    import: 'the "Import accounts" section',
    flash: '"Install the token firmware on an Espruino board", after Disconnect',
  },
};
