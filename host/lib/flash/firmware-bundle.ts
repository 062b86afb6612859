// Finds the firmware bundle to flash for a board: a file the user names, or
// dist/<runtime>/<board>.js from `npm run build`. In a source checkout run
// through tsx it is rebuilt first, so what is flashed matches the sources;
// the installed CLI (plain Node, no esbuild) takes the built file as it is.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BoardProfile } from '../../../boards/profile.ts';
import { TokenError } from '../errors.ts';

/** The package root: the nearest folder above this module with totp-token's package.json. */
export function packageRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && /"name":\s*"totp-token"/.test(readFileSync(pkg, 'utf8'))) return dir;
    if (dirname(dir) === dir) throw new TokenError('BAD_INPUT', 'cannot find the totp-token package folder (for dist/): pass --bundle FILE');
  }
}

export interface FirmwareBundle {
  code: Uint8Array;
  file: string;
  /** 'given' (--bundle), 'built' (rebuilt from the sources now) or 'prebuilt' (dist/ as found). */
  origin: 'given' | 'built' | 'prebuilt';
}

/** Rebuild with the project's esbuild settings when this is a source checkout run by a TS-aware loader. */
async function tryBuild(root: string, board: BoardProfile, file: string): Promise<boolean> {
  if (!board.firmwareEntry || !existsSync(join(root, board.firmwareEntry))) return false;
  try {
    // A computed specifier: the CLI bundle must not pull esbuild in (it cannot be bundled).
    const mod = (await import(pathToFileURL(join(root, 'host/lib/build/esbuild-firmware.ts')).href)) as {
      buildFirmwareBundle(entry: string, outfile: string, minify: boolean): Promise<number>;
    };
    await mod.buildFirmwareBundle(join(root, board.firmwareEntry), file, true);
    return true;
  } catch {
    return false;
  }
}

export async function firmwareBundle(board: BoardProfile, given?: string): Promise<FirmwareBundle> {
  if (given) {
    const file = resolve(given);
    if (!existsSync(file)) throw new TokenError('BAD_INPUT', `no such bundle file: ${given}`);
    return { code: new Uint8Array(readFileSync(file)), file, origin: 'given' };
  }
  if (!board.firmwareEntry) throw new TokenError('BAD_INPUT', `board ${board.id} has no firmware bundle to flash`);
  const root = packageRoot();
  const file = join(root, 'dist', board.runtime, board.id + '.js');
  const built = await tryBuild(root, board, file);
  if (!existsSync(file)) throw new TokenError('BAD_INPUT', `no firmware bundle at ${file}: run npm run build (or pass --bundle FILE)`);
  return { code: new Uint8Array(readFileSync(file)), file, origin: built ? 'built' : 'prebuilt' };
}

/** Where the build puts the one-shot storage migration for Espruino boards (firmware/migrate-espruino.ts). */
export const MIGRATION_SCRIPT = 'dist/espruino/migrate.js';

/**
 * The storage migration script the flasher runs over the REPL
 * (espruino-migrate.ts): rebuilt from the sources in a source checkout run
 * through tsx, as the bundle is; else the built file.
 */
export async function migrationScript(): Promise<Uint8Array> {
  const root = packageRoot();
  const file = join(root, MIGRATION_SCRIPT);
  const entry = join(root, 'firmware/migrate-espruino.ts');
  if (existsSync(entry)) {
    try {
      const mod = (await import(pathToFileURL(join(root, 'host/lib/build/esbuild-firmware.ts')).href)) as { espruinoBundle(entry: string, minify: boolean): Promise<string> };
      return new Uint8Array(Buffer.from(await mod.espruinoBundle(entry, true), 'utf8'));
    } catch {
      // no esbuild (the installed CLI): the built file below
    }
  }
  if (!existsSync(file)) throw new TokenError('BAD_INPUT', `no storage migration script at ${file}: run npm run build`);
  return new Uint8Array(readFileSync(file));
}
