// The one place that turns an error into what the user reads and the exit
// code a script sees. The table is documented in host/cli/README.md; keep
// the two in step. Messages come from our code or the device's, never with
// a seed in them.
import { isCodedError } from '../../protocol/errors.ts';

export const EXIT = {
  OK: 0,
  FAILURE: 1,
  USAGE: 2,
  TRANSPORT: 3,
  NOT_FOUND: 4,
  PRESENCE_TIMEOUT: 5,
  PRESENCE_DENIED: 6,
  DUPLICATE_NAME: 7,
  STORAGE_FULL: 8,
  UNSUPPORTED_ALGORITHM: 9,
  CLOCK_NOT_SET: 10,
  KEY_CHECK_MISMATCH: 11,
  BUSY: 12,
  DEVICE: 13,
  LOCKED: 14,
  INTERRUPTED: 130,
} as const;

interface Mapping {
  exit: number;
  /** What to say; `detail` is the error's own message (often the device's). */
  say: (detail: string) => string;
}

const same = (detail: string) => detail;

const BY_CODE: Record<string, Mapping> = {
  // Input the user gave us.
  BAD_INPUT: { exit: EXIT.USAGE, say: same },
  USAGE: { exit: EXIT.USAGE, say: same },
  // The link.
  NO_PORT: { exit: EXIT.TRANSPORT, say: same },
  TRANSPORT: { exit: EXIT.TRANSPORT, say: same },
  DISCONNECTED: { exit: EXIT.TRANSPORT, say: (d) => `${d} (was the token unplugged?)` },
  TIMEOUT: { exit: EXIT.TRANSPORT, say: (d) => `${d}: is it a totp-token, and is no other program using the port?` },
  // The device's answers.
  NOT_FOUND: { exit: EXIT.NOT_FOUND, say: (d) => `${d} on the token (see: totp-token list)` },
  PRESENCE_TIMEOUT: { exit: EXIT.PRESENCE_TIMEOUT, say: (d) => `nobody pressed the button on the token in time; nothing was done (${d})` },
  PRESENCE_DENIED: { exit: EXIT.PRESENCE_DENIED, say: (d) => `not confirmed on the token; nothing was done (${d})` },
  DUPLICATE_NAME: { exit: EXIT.DUPLICATE_NAME, say: (d) => `${d}; choose another --name, or remove the old one first` },
  STORAGE_FULL: { exit: EXIT.STORAGE_FULL, say: (d) => `no space left on the token for accounts: ${d}` },
  UNSUPPORTED_ALGORITHM: { exit: EXIT.UNSUPPORTED_ALGORITHM, say: same },
  UNSUPPORTED_TYPE: { exit: EXIT.UNSUPPORTED_ALGORITHM, say: same }, // an HOTP key for a firmware that predates HOTP
  CLOCK_NOT_SET: { exit: EXIT.CLOCK_NOT_SET, say: () => "the token's clock is not set, so it shows no codes; run: totp-token time sync" },
  KEY_CHECK_MISMATCH: { exit: EXIT.KEY_CHECK_MISMATCH, say: same },
  BUSY: { exit: EXIT.BUSY, say: (d) => `the token is busy: ${d}` },
  LOCKED: { exit: EXIT.LOCKED, say: same },
  WRONG_PASSWORD: { exit: EXIT.LOCKED, say: same },
  INTERRUPTED: { exit: EXIT.INTERRUPTED, say: same },
};

/** Device faults that mean a bug or a mismatched firmware rather than a user mistake. */
const DEVICE_FAULTS = ['BAD_FRAME', 'FRAME_TOO_LONG', 'BAD_VERSION', 'UNKNOWN_COMMAND', 'BAD_REQUEST', 'STORAGE_FAILED', 'INTERNAL', 'BAD_REPLY'];

export interface Reported {
  exit: number;
  code: string;
  message: string;
}

export function describeError(e: unknown): Reported {
  if (isCodedError(e)) {
    const code = e.code;
    const m = BY_CODE[code];
    if (m) return { exit: m.exit, code, message: m.say(e.message) };
    // Codec errors from protocol/ (BASE32_CHAR, OTPAUTH_PARAM, ...) are about the user's input.
    if (/^(BASE32|OTPAUTH|BAD_ARGUMENT|BAD_LENGTH|BAD_UTF8)/.test(code)) return { exit: EXIT.USAGE, code, message: e.message };
    if (DEVICE_FAULTS.indexOf(code) >= 0 || /^ERROR_\d+$/.test(code)) {
      return { exit: EXIT.DEVICE, code, message: `the token refused the request: ${e.message}` };
    }
    return { exit: EXIT.FAILURE, code, message: e.message };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { exit: EXIT.FAILURE, code: 'FAILURE', message };
}
