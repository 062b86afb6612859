// protocol/base64.ts for the Espruino build (host/lib/build/esbuild-firmware.ts
// substitutes it): the interpreter's native btoa/atob, which work on byte
// strings, with E.toString / E.toUint8Array converting between bytes and byte
// strings natively. Decoding is lenient about bad input where the pure version
// throws; everything decoded here is then checked by a CRC (frames, account
// records) or was written by this firmware (the access record).

declare function btoa(binary: string): string;
declare function atob(text: string): string;
// E.toString of a Uint8Array may return the array's own backing string (no
// copy; src/jswrap_espruino.c): btoa reads it at once, before anyone can change the array.
declare const E: { toString(bytes: Uint8Array): string; toUint8Array(binary: string): Uint8Array };

export function base64Encode(bytes: Uint8Array): string {
  return btoa(E.toString(bytes));
}

export function base64Decode(text: string): Uint8Array {
  return E.toUint8Array(atob(text));
}
