// protocol/crc32.ts for the Espruino build (host/lib/build/esbuild-firmware.ts
// substitutes it): the interpreter's native E.CRC32, the same CRC-32
// (IEEE 802.3, reflected, initial and final XOR 0xffffffff; src/jswrap_espruino.c
// jswrap_espruino_CRC32) returned as an unsigned integer. Native: no code in
// the bundle and no interpreted bit loop per byte.
declare const E: { CRC32(data: Uint8Array): number };

export function crc32(bytes: Uint8Array): number {
  return E.CRC32(bytes);
}
