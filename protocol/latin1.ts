// Byte strings (one char per byte: the wire's text fields, Storage's values)
// to bytes and back. One copy for the codec, the key check and the checked
// storage; the Espruino build swaps in the interpreter's natives
// (firmware/ports/espruino/native-latin1.ts).

/** Each char's low byte. */
export function latin1Bytes(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

/** One char per byte. */
export function latin1Text(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
  return s;
}
