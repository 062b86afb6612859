// The firmware bundle for a Moddable board: the same esbuild settings as every
// firmware bundle, but an ES module, because Moddable apps are modules: the
// SDK's modules (preference, time, timer, crypt, embedded:io/*) stay as
// `import` statements that mcconfig links to the SDK's own implementations.
import { build } from 'esbuild';
import type { BuildOptions } from 'esbuild';
import { firmwareBuildOptions } from '../build/esbuild-firmware.ts';

export function moddableBuildOptions(entry: string, outfile: string, minify: boolean): BuildOptions {
  return { ...firmwareBuildOptions(entry, outfile, minify), format: 'esm', external: [...MODDABLE_MODULES] };
}

/** The SDK modules a Moddable firmware bundle may import; the project manifest provides each. */
export const MODDABLE_MODULES = ['preference', 'time', 'timer', 'crypt', 'embedded:io/serial', 'embedded:io/digital', 'embedded:io/i2c', 'totp-native'];

export async function buildModdableBundle(entry: string, outfile: string, minify: boolean): Promise<number> {
  const result = await build({ ...moddableBuildOptions(entry, outfile, minify), metafile: true });
  return Object.values(result.metafile!.outputs).reduce((n, o) => n + o.bytes, 0);
}
