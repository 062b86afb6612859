// Refusals: the errors the firmware answers with a wire status (ERRORS in
// protocol/messages.ts). The status is the number itself rather than ERRORS'
// name, so the Espruino bundle carries neither the names nor a lookup table;
// anything thrown without one goes out as INTERNAL (app.ts).
import { ERRORS } from '../protocol/messages.ts';

export interface Refusal extends Error {
  status: number;
}

export function refuse(status: number, message: string): never {
  const e = new Error(message) as Refusal;
  e.status = status;
  throw e;
}

/** The request itself is wrong: `message` names the field and what was wrong with it. */
export function badRequest(message: string): never {
  return refuse(ERRORS.BAD_REQUEST, message);
}
