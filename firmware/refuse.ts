// Refusals: the errors the firmware answers with a wire status (ERRORS in
// protocol/messages.ts). The status is the number itself rather than ERRORS'
// name, so the Espruino bundle carries neither the names nor a lookup table;
// anything thrown without one goes out as INTERNAL (app.ts).

export interface Refusal extends Error {
  status: number;
}

export function refuse(status: number, message: string): never {
  const e = new Error(message) as Refusal;
  e.status = status;
  throw e;
}
