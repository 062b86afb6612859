// Writes a complete Moddable project for a board: main.js (the firmware
// bundle, an ES module), manifest.json (the SDK modules it imports and the
// board's platform), and a README with the command that builds and flashes it.
// The manifest's includes are derived from what the bundle actually imports,
// so a port that starts using another SDK module cannot ship without it.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ModdableBoardProfile } from '../../../boards/moddable-profile.ts';
import { TokenError } from '../errors.ts';
import { packageRoot } from '../flash/firmware-bundle.ts';
import { importedModules } from './imports.ts';

/**
 * The board's firmware bundle: in a source checkout run through tsx, built now
 * from the sources (so the project matches them); otherwise the one
 * `npm run build` wrote to dist/xs/ (the installed CLI has no esbuild).
 */
export async function moddableBundle(board: ModdableBoardProfile): Promise<{ text: string; from: string }> {
  if (!board.firmwareEntry) throw new TokenError('BAD_INPUT', `${board.id} has no firmware entry to build`);
  const root = packageRoot();
  const source = join(root, board.firmwareEntry);
  if (existsSync(source)) {
    let bundler: { buildModdableBundle(entry: string, outfile: string, minify: boolean): Promise<number> } | null = null;
    try {
      // A computed specifier: the CLI bundle must not pull esbuild in (it cannot be bundled).
      bundler = await import(pathToFileURL(join(root, 'host/lib/moddable/bundle.ts')).href);
    } catch {
      bundler = null; // plain Node or no esbuild: use the prebuilt bundle
    }
    if (bundler) {
      const file = join(mkdtempSync(join(tmpdir(), 'totp-moddable-')), 'main.js');
      await bundler.buildModdableBundle(source, file, true);
      return { text: readFileSync(file, 'utf8'), from: board.firmwareEntry };
    }
  }
  const prebuilt = join(root, 'dist', 'xs', board.id + '.js');
  if (!existsSync(prebuilt)) throw new TokenError('BAD_INPUT', `no firmware bundle for ${board.id}: run npm run build (it writes ${prebuilt})`);
  return { text: readFileSync(prebuilt, 'utf8'), from: prebuilt };
}

/** Which SDK manifest provides each module a bundle may import ($(MODDABLE) paths, as the SDK examples include them). */
export const MODULE_PROVIDERS: Record<string, string> = {
  preference: '$(MODDABLE)/modules/files/preference/manifest.json',
  crypt: '$(MODDABLE)/modules/crypt/digest/manifest.json',
  // time and timer come with every device's base manifest (build/devices/*/manifest.json).
  time: '$(MODDABLE)/examples/manifest_base.json',
  timer: '$(MODDABLE)/examples/manifest_base.json',
  'embedded:io/serial': '$(MODDABLE)/modules/io/manifest.json',
  'embedded:io/digital': '$(MODDABLE)/modules/io/manifest.json',
  'embedded:io/i2c': '$(MODDABLE)/modules/io/manifest.json',
};

/**
 * Modules the project carries itself, beside main.js: the SDK has no hardware
 * random source a token can trust (Math.random and modules/crypt/etc/rng.c are
 * C rand(), never seeded, on the Pico and Linux) and no flash module on the
 * Pico. Each is a .js and a .c file in firmware/ports/moddable/native/.
 */
export const PROJECT_MODULES: Record<string, string> = {
  'totp-native': 'firmware/ports/moddable/native/totp-native',
};

export interface ModdableManifest {
  include: string[];
  modules: { '*': string[] };
  platforms: Record<string, { include?: string[]; error?: string }>;
}

/** The mcconfig invocation that builds and flashes the project (run in its folder). */
export function mcconfigArgs(board: ModdableBoardProfile): string[] {
  // A release build on purpose: a debug build (-d) starts xsbug's link on the
  // ESP32's UART0 pins, and the token's serial link there reports "in use".
  return ['-m', '-p', board.moddable.platform];
}

export function mcconfigCommand(board: ModdableBoardProfile): string {
  return ['mcconfig', ...mcconfigArgs(board)].join(' ');
}

export function moddableManifest(board: ModdableBoardProfile, imports: string[]): ModdableManifest {
  const include = ['$(MODDABLE)/examples/manifest_base.json'];
  const modules = ['./main'];
  for (const m of imports) {
    if (PROJECT_MODULES[m]) {
      modules.push('./' + m);
      continue;
    }
    const provider = MODULE_PROVIDERS[m];
    if (!provider) throw new TokenError('BAD_INPUT', `the ${board.id} bundle imports "${m}", which no SDK manifest is known to provide: add it to MODULE_PROVIDERS`);
    if (!include.includes(provider)) include.push(provider);
  }
  const platform = board.moddable.platform;
  return {
    include,
    modules: { '*': modules },
    platforms: {
      [platform]: board.moddable.include ? { include: board.moddable.include } : {},
      '...': { error: `this totp-token project is for ${platform}: build it with ${mcconfigCommand(board)}` },
    },
  };
}

export function projectReadme(board: ModdableBoardProfile, imports: string[]): string {
  const m = board.moddable;
  const sdk = m.platform.startsWith('pico') ? 'the Moddable SDK with the Pico SDK (documentation/devices/pico.md)' : 'the Moddable SDK with ESP-IDF (documentation/devices/esp32.md)';
  return [
    `# totp-token for ${board.name}`,
    '',
    `Generated by \`totp-token build --board ${board.id}\`; rebuild rather than edit main.js.`,
    '',
    '- `main.js`: the token firmware (protocol/ and firmware/ bundled with esbuild, an ES module)',
    `- \`manifest.json\`: the SDK modules it imports (${imports.join(', ')}) and the platform`,
    ...(imports.includes('totp-native') ? ['- `totp-native.js`, `totp-native.c`: the hardware random source (and the Pico flash storage) the SDK lacks, a native module built with the project'] : []),
    '',
    `Build and flash from this folder with ${sdk}, the board on USB${m.platform.startsWith('pico') ? ' in BOOTSEL mode (hold BOOTSEL while plugging it in)' : ''}:`,
    '',
    '```sh',
    mcconfigCommand(board),
    '```',
    '',
    'A release build: with `-d` the debugger takes the USB serial port on ESP32 boards and the token cannot open its link.',
    `The host talks to the token over ${m.serial.via} at ${m.serial.baud} baud.`,
    '',
    '## Wiring',
    '',
    ...(board.wiring ?? []).map((w) => `- ${w}`),
    '',
  ].join('\n');
}

export interface ModdableProject {
  dir: string;
  files: { name: string; bytes: number }[];
  imports: string[];
  command: string;
}

/** Writes the project for `bundle` (a Moddable firmware bundle) into `dir`, created if needed. */
export function writeModdableProject(board: ModdableBoardProfile, dir: string, bundle: string): ModdableProject {
  const imports = importedModules(bundle);
  const manifest = JSON.stringify(moddableManifest(board, imports), null, '\t') + '\n';
  const readme = projectReadme(board, imports);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'main.js'), bundle);
  writeFileSync(join(dir, 'manifest.json'), manifest);
  writeFileSync(join(dir, 'README.md'), readme);
  const files = [
    { name: 'main.js', bytes: Buffer.byteLength(bundle) },
    { name: 'manifest.json', bytes: Buffer.byteLength(manifest) },
    { name: 'README.md', bytes: Buffer.byteLength(readme) },
  ];
  for (const m of imports) {
    if (!PROJECT_MODULES[m]) continue;
    for (const ext of ['.js', '.c']) {
      const text = readFileSync(join(packageRoot(), PROJECT_MODULES[m] + ext), 'utf8');
      writeFileSync(join(dir, m + ext), text);
      files.push({ name: m + ext, bytes: Buffer.byteLength(text) });
    }
  }
  return { dir, imports, command: mcconfigCommand(board), files };
}
