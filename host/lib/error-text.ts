// What the user reads for an error, in one place for every front end (the CLI
// adds exit codes in host/cli/exit-codes.ts; the web page shows the text).
// Messages come from our code or the device's, never with a seed in them.
import { isCodedError } from '../../protocol/errors.ts';

const same = (detail: string) => detail;

/** Where a message points the user at a control, in the front end's terms: the CLI's commands and options, or the page's fields and buttons. */
export interface HostWords {
  /** How to give an account another name. */
  anotherName: string;
  /** Where the token's accounts are listed. */
  listAccounts: string;
  /** How to set the token's clock. */
  syncClock: string;
  /**
   * What a message's `totp-token add|import|flash [ARG]` is called in this
   * front end (the page's section for it); none for the CLI, whose messages
   * name its own commands.
   */
  commands?: { [command: string]: string };
}

export const CLI_WORDS: HostWords = {
  anotherName: 'choose another --name',
  listAccounts: 'see: totp-token list',
  syncClock: 'run: totp-token time sync',
};

/** What to say per code; `detail` is the error's own message (often the device's). */
const SAY: Record<string, (detail: string, w: HostWords) => string> = {
  // The link.
  DISCONNECTED: (d) => `${d} (was the token unplugged?)`,
  TIMEOUT: (d) => `${d}: is it a totp-token, and is no other program using the port?`,
  // The device's answers.
  NOT_FOUND: (d, w) => `${d} on the token (${w.listAccounts})`,
  PRESENCE_TIMEOUT: (d) => `nobody pressed the button on the token in time; nothing was done (${d})`,
  PRESENCE_DENIED: (d) => `not confirmed on the token; nothing was done (${d})`,
  DUPLICATE_NAME: (d, w) => `${d}; ${w.anotherName}, or remove the old one first`,
  STORAGE_FULL: (d) => `no space left on the token for accounts: ${d}`,
  CLOCK_NOT_SET: (_d, w) => `the token's clock is not set, so it shows no codes; ${w.syncClock}`,
  BUSY: (d) => `the token is busy: ${d}`,
};

/** Device faults that mean a bug or a mismatched firmware rather than a user mistake. */
const DEVICE_FAULTS = ['BAD_FRAME', 'FRAME_TOO_LONG', 'BAD_VERSION', 'UNKNOWN_COMMAND', 'BAD_REQUEST', 'STORAGE_FAILED', 'INTERNAL', 'BAD_REPLY'];

export function isDeviceFault(code: string): boolean {
  return DEVICE_FAULTS.indexOf(code) >= 0 || /^ERROR_\d+$/.test(code);
}

/** Codec errors from protocol/ (BASE32_CHAR, OTPAUTH_PARAM, ...): about the user's input. */
export function isInputCodecError(code: string): boolean {
  return /^(BASE32|OTPAUTH|BAD_ARGUMENT|BAD_LENGTH|BAD_UTF8)/.test(code);
}

export interface ErrorText {
  code: string;
  message: string;
}

/** `totp-token COMMAND` (and its argument, a file) in a message, for front ends with other names for it. */
const COMMAND_IN_TEXT = /\btotp-token (add|import|flash)(?: (?!-)[^\s;,)]+)?/g;

function inWords(message: string, words: HostWords): string {
  const commands = words.commands;
  return commands ? message.replace(COMMAND_IN_TEXT, (whole: string, command: string) => commands[command] ?? whole) : message;
}

/** An error as the user should read it; `words` are the front end's (the CLI's by default). */
export function explainError(e: unknown, words: HostWords = CLI_WORDS): ErrorText {
  if (isCodedError(e)) {
    const code = e.code;
    const say = SAY[code] ?? same;
    if (!SAY[code] && isDeviceFault(code)) return { code, message: `the token refused the request: ${e.message}` };
    return { code, message: inWords(say(e.message, words), words) };
  }
  return { code: 'FAILURE', message: inWords(e instanceof Error ? e.message : String(e), words) };
}
