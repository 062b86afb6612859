// Everything the core offers, kept alive so esbuild cannot tree-shake it away:
// the size figure is for the whole shared core as a board would carry it.
import { base32Decode, base32Encode } from '../../protocol/base32.ts';
import { hmac } from '../../protocol/hmac.ts';
import { hotp } from '../../protocol/hotp.ts';
import { totp } from '../../protocol/totp.ts';
import { parseOtpauth, formatOtpauth } from '../../protocol/otpauth.ts';
import { pureHashes } from '../../protocol/hash-pure.ts';

declare const global: { core: unknown };
global.core = { base32Decode, base32Encode, hmac, hotp, totp, parseOtpauth, formatOtpauth, pureHashes };
