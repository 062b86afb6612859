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

export function badRequest(token: string, a?: unknown, b?: unknown, c?: unknown): never {
  return refuse(ERRORS.BAD_REQUEST, token, a, b, c);
}
