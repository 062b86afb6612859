// protocol/base64.ts for the Espruino build (host/lib/build/esbuild-firmware.ts
// substitutes it): the interpreter's native btoa/atob, which work on byte
// strings. Decoding is lenient about bad input where the pure version throws;
// everything decoded here is then checked by a CRC (frames, account records)
// or was written by this firmware (the access record).

declare function btoa(binary: string): string;
declare function atob(text: string): string;

export function base64Encode(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
  return btoa(binary);
}

export function base64Decode(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < out.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
