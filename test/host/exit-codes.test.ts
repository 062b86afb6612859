import { describe, expect, it } from 'vitest';
import { codedError } from '../../protocol/errors.ts';
import { TokenError } from '../../host/lib/errors.ts';
import { TransportError } from '../../host/lib/transport/transport.ts';
import { describeError, EXIT } from '../../host/cli/exit-codes.ts';

describe('CLI error mapping', () => {
  it('gives each kind of failure its own exit code', () => {
    const cases: [unknown, number][] = [
      [new TokenError('NOT_FOUND', 'no account named "x"'), EXIT.NOT_FOUND],
      [new TokenError('PRESENCE_TIMEOUT', 'nobody pressed'), EXIT.PRESENCE_TIMEOUT],
      [new TokenError('PRESENCE_DENIED', 'cancelled'), EXIT.PRESENCE_DENIED],
      [new TokenError('DUPLICATE_NAME', 'exists'), EXIT.DUPLICATE_NAME],
      [new TokenError('STORAGE_FULL', 'all 2 slots'), EXIT.STORAGE_FULL],
      [new TokenError('UNSUPPORTED_ALGORITHM', 'no SHA512'), EXIT.UNSUPPORTED_ALGORITHM],
      [new TokenError('UNSUPPORTED_TYPE', 'firmware predates HOTP'), EXIT.UNSUPPORTED_ALGORITHM],
      [new TokenError('CLOCK_NOT_SET', 'x'), EXIT.CLOCK_NOT_SET],
      [new TokenError('KEY_CHECK_MISMATCH', 'x'), EXIT.KEY_CHECK_MISMATCH],
      [new TokenError('BUSY', 'x'), EXIT.BUSY],
      [new TokenError('TIMEOUT', 'no reply'), EXIT.TRANSPORT],
      [new TransportError('cannot open /dev/x'), EXIT.TRANSPORT],
      [new TokenError('UNKNOWN_COMMAND', 'unknown command 99'), EXIT.DEVICE],
      [new TokenError('ERROR_99', 'x'), EXIT.DEVICE],
      [codedError('BASE32_CHAR', "base32: invalid character '0' at position 9"), EXIT.USAGE],
      [codedError('OTPAUTH_PARAM', 'otpauth: x'), EXIT.USAGE],
      [new Error('boom'), EXIT.FAILURE],
    ];
    for (const [e, exit] of cases) expect(describeError(e).exit, String((e as Error).message)).toBe(exit);
    const codes = new Set(Object.values(EXIT));
    expect(codes.size).toBe(Object.keys(EXIT).length);
  });

  it('words the common cases for a person', () => {
    expect(describeError(new TokenError('STORAGE_FULL', 'all 2 account slots are used')).message).toBe('no space left on the token for accounts: all 2 account slots are used');
    expect(describeError(new TokenError('CLOCK_NOT_SET', 'x')).message).toMatch(/totp-token time sync/);
  });
});
