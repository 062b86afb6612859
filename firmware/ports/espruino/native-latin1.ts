// protocol/latin1.ts on Espruino's natives (the build substitutes this file):
// E.toUint8Array(string) keeps each char's low byte and E.toString(bytes)
// makes one char per byte (src/jswrap_espruino.c; both seen on 2v29 with
// bytes 0 and 128-255, empty input and subarrays).
declare const E: { toString(bytes: Uint8Array): string; toUint8Array(binary: string): Uint8Array };

export function latin1Bytes(s: string): Uint8Array {
  return E.toUint8Array(s);
}

export function latin1Text(b: Uint8Array): string {
  return E.toString(b);
}
