// firmware/refuse.ts for the Espruino build: every refusal's message is
// device text, so the build drops the say(...) around it
// (host/lib/build/esbuild-firmware.ts foldRefusalSay) and these take say()'s
// token and values themselves. The message is the same text say() would
// make; statuses as in firmware/refuse.ts.
import { ERRORS } from '../../../protocol/messages.ts';
// Renamed: the build's template finder reads every say( call as one with a literal.
import { say as sayToken } from '../../../protocol/say.ts';
import type { Refusal } from '../../refuse.ts';

export function refuse(status: number, token: string, a?: unknown, b?: unknown, c?: unknown): never {
  const e = new Error(sayToken(token, a, b, c)) as Refusal;
  e.status = status;
  throw e;
}

/**
 * refuse with BAD_REQUEST bound (Espruino's Function.prototype.bind,
 * jswrap_function_bind: bound arguments first, then the call's).
 */
export const badRequest = refuse.bind(null, ERRORS.BAD_REQUEST) as (token: string, a?: unknown, b?: unknown, c?: unknown) => never;
