// The host library's one error type. `code` is either a device error name
// from protocol/messages.ts ERRORS (NOT_FOUND, PRESENCE_TIMEOUT, ...) or one
// of the host-side codes below; the CLI maps codes to messages and exit codes.
// Messages never contain a seed.

/** Failures that happen on the host side of the link. */
export const HOST_ERRORS = {
  /** No reply within the request timeout. */
  TIMEOUT: 'TIMEOUT',
  /** The link closed while a request was in flight. */
  DISCONNECTED: 'DISCONNECTED',
  /** The link could not be opened or written. */
  TRANSPORT: 'TRANSPORT',
  /** No --port and no single board found. */
  NO_PORT: 'NO_PORT',
  /** The device stored something other than the seed we sent. */
  KEY_CHECK_MISMATCH: 'KEY_CHECK_MISMATCH',
  /** A reply we could not decode, or one missing a field it must have. */
  BAD_REPLY: 'BAD_REPLY',
  /** Bad input from the user (names too long, a QR code that is not otpauth...). */
  BAD_INPUT: 'BAD_INPUT',
} as const;

export class TokenError extends Error {
  readonly code: string;
  /** The device's own explanation, when the error came from the device. */
  readonly deviceMessage: string | undefined;

  constructor(code: string, message: string, deviceMessage?: string) {
    super(message);
    this.name = 'TokenError';
    this.code = code;
    this.deviceMessage = deviceMessage;
  }
}

export function isTokenError(e: unknown): e is TokenError {
  return e instanceof TokenError;
}
