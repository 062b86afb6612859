// Errors that cross every runtime. Espruino cannot subclass Error, so a coded
// error is a plain Error with a `code` string; callers switch on the code and
// show the message, which always names what was wrong (never a secret).

export interface CodedError extends Error {
  code: string;
}

export function codedError(code: string, message: string): CodedError {
  const e = new Error(message) as CodedError;
  e.code = code;
  return e;
}

export function fail(code: string, message: string): never {
  // codedError's lines again: terser inlines a call to it here as a bigger closure.
  const e = new Error(message) as CodedError;
  e.code = code;
  throw e;
}

// ['message'] quoted: the Espruino build shortens the wire key .message (esbuild-firmware.ts).
export function isCodedError(e: unknown): e is CodedError {
  return !!e && typeof (e as CodedError).code === 'string' && typeof (e as CodedError)['message'] === 'string';
}
