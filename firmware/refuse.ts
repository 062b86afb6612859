// Refusals: the errors the firmware answers with a wire status (ERRORS in
// protocol/messages.ts) and a message in device text. A refusal is written
// refuse(status, 'template with % holes', up to three values) or
// badRequest('template', values...): the template is a quoted literal at the
// call, as with say() (protocol/say.ts), so the Espruino build finds it and
// replaces it with its token (host/lib/device-text.ts reads refuse( and
// badRequest( calls as it reads say( calls). The status is the number itself
// rather than ERRORS' name, so the Espruino bundle carries neither the names
// nor a lookup table; anything thrown without one goes out as INTERNAL (app.ts).
import { ERRORS } from '../protocol/messages.ts';
// Renamed: the template finder reads every say( call as one with a literal
// template, and this one forwards the literal its caller wrote.
import { say as sayForwarded } from '../protocol/say.ts';

export interface Refusal extends Error {
  status: number;
}

export function refuse(status: number, template: string, a?: unknown, b?: unknown, c?: unknown): never {
  const e = new Error(sayForwarded(template, a, b, c)) as Refusal;
  e.status = status;
  throw e;
}

/**
 * The request itself is wrong: the message names the field and what was
 * wrong with it. refuse with BAD_REQUEST bound (Function.prototype.bind:
 * bound arguments first, then the call's; on Espruino jswrap_function_bind,
 * checked on 2v29), 11 stored bytes less than a function forwarding four.
 * Typed explicitly: TypeScript reads a call as never returning only through
 * a declared type.
 */
export const badRequest: (template: string, a?: unknown, b?: unknown, c?: unknown) => never = refuse.bind(null, ERRORS.BAD_REQUEST);
