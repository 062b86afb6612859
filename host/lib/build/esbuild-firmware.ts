// esbuild settings for code that runs on the boards. esbuild cannot emit ES5,
// so protocol/ and firmware/ are written in the Espruino subset and esbuild
// only strips types and joins modules. The target is pinned to es2017 so the
// minifier never introduces `?.` or `??=` (it would for es2020+); the
// subset check runs over the output to prove it.
import { build } from 'esbuild';
import type { BuildOptions } from 'esbuild';

export function firmwareBuildOptions(entry: string, outfile: string, minify: boolean): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'iife',
    platform: 'neutral',
    target: 'es2017',
    minify,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'silent',
    // Espruino's require("crypto") / require("Storage") and Moddable's modules
    // are provided by the runtime, not bundled.
    external: ['crypto', 'Storage', 'Flash', 'Graphics', 'preference', 'time', 'crypt', 'embedded:*'],
  };
}

export async function buildFirmwareBundle(entry: string, outfile: string, minify: boolean): Promise<number> {
  const result = await build({ ...firmwareBuildOptions(entry, outfile, minify), metafile: true });
  const out = result.metafile!.outputs;
  return Object.values(out).reduce((n, o) => n + o.bytes, 0);
}
