// The one place that turns an error into the exit code a script sees (the
// words come from host/lib/error-text.ts, shared with the web page). The table
// is documented in host/cli/README.md; keep the two in step.
import { isCodedError } from '../../protocol/errors.ts';
import { explainError, isDeviceFault, isInputCodecError } from '../lib/error-text.ts';

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

/** The exit code per error code; the rest by kind (explainError's table has the words). */
const EXIT_BY_CODE: Record<string, number> = {
  // Input the user gave us.
  BAD_INPUT: EXIT.USAGE,
  USAGE: EXIT.USAGE,
  // The link.
  NO_PORT: EXIT.TRANSPORT,
  TRANSPORT: EXIT.TRANSPORT,
  DISCONNECTED: EXIT.TRANSPORT,
  TIMEOUT: EXIT.TRANSPORT,
  // The device's answers.
  NOT_FOUND: EXIT.NOT_FOUND,
  PRESENCE_TIMEOUT: EXIT.PRESENCE_TIMEOUT,
  PRESENCE_DENIED: EXIT.PRESENCE_DENIED,
  DUPLICATE_NAME: EXIT.DUPLICATE_NAME,
  STORAGE_FULL: EXIT.STORAGE_FULL,
  UNSUPPORTED_ALGORITHM: EXIT.UNSUPPORTED_ALGORITHM,
  UNSUPPORTED_TYPE: EXIT.UNSUPPORTED_ALGORITHM, // an HOTP key for a firmware that predates HOTP
  CLOCK_NOT_SET: EXIT.CLOCK_NOT_SET,
  KEY_CHECK_MISMATCH: EXIT.KEY_CHECK_MISMATCH,
  BUSY: EXIT.BUSY,
  LOCKED: EXIT.LOCKED,
  WRONG_PASSWORD: EXIT.LOCKED,
  INTERRUPTED: EXIT.INTERRUPTED,
};

export interface Reported {
  exit: number;
  code: string;
  message: string;
}

export function describeError(e: unknown): Reported {
  const { code, message } = explainError(e);
  if (!isCodedError(e)) return { exit: EXIT.FAILURE, code, message };
  const exit = EXIT_BY_CODE[code] ?? (isInputCodecError(code) ? EXIT.USAGE : isDeviceFault(code) ? EXIT.DEVICE : EXIT.FAILURE);
  return { exit, code, message };
}
