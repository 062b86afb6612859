// protocol/base64.ts for the Espruino build (host/lib/build/esbuild-firmware.ts
// substitutes it): the interpreter's native btoa/atob, which work on byte
// strings, with E.toString / E.toUint8Array converting between bytes and byte
// strings natively. Decoding is lenient about bad input where the pure version
// throws; everything decoded here is then checked by a CRC (frames, account
// records) or was written by this firmware (the access record).

// The conversions are native-latin1.ts's (the bundle holds it anyway): one
// copy of each E call in the bundle.
import { latin1Bytes, latin1Text } from './native-latin1.ts';

declare function btoa(binary: string): string;
declare function atob(text: string): string;

// E.toString of a Uint8Array may return the array's own backing string (no
// copy; src/jswrap_espruino.c): btoa reads it at once, before anyone can change the array.
export function base64Encode(bytes: Uint8Array): string {
  return btoa(latin1Text(bytes));
}

export function base64Decode(text: string): Uint8Array {
  return latin1Bytes(atob(text));
}
