// A random source read from a device file, for Espruino's Linux build only
// (its test variant of the ESP32 bundle: test/espruino/linux-entry.ts), which
// has no RNG register and whose E.hwRand is rand() from fixed seeds
// (src/jsutils.c). Boards name their hardware source in their profile
// (EspruinoTarget.rng), so their bundles do not carry this reader.
import type { EspruinoE } from './espruino-api.ts';

declare const E: EspruinoE;

/** n bytes at a time from `path` (/dev/urandom), through the Linux build's E.openFile (libs/filesystem/jswrap_file.c). */
export function fileRandom(path: string): (n: number) => Uint8Array {
  const file = E.openFile(path, 'r');
  return (n: number) => E.toUint8Array(file.read(n));
}
