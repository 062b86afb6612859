// The Moddable project generator and the mcconfig runner: each board's project
// has a manifest naming exactly the SDK modules its bundle imports and the
// board's platform; its main.js passes the Espruino-subset check (the same
// source runs on Espruino); mcconfig runs with its output streamed, and
// without an SDK the printed steps are exact. With MODDABLE naming an SDK
// whose tools are built, mcconfig checks each manifest for real.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { BOARDS } from '../../boards/index.ts';
import { moddableTarget } from '../../boards/moddable-profile.ts';
import type { ModdableBoardProfile } from '../../boards/moddable-profile.ts';
import { MODDABLE_MODULES, moddableBuildOptions } from '../../host/lib/moddable/bundle.ts';
import { importedModules } from '../../host/lib/moddable/imports.ts';
import { manualSteps, runMcconfig, sdkToolsDir } from '../../host/lib/moddable/mcconfig.ts';
import { MODULE_PROVIDERS, PROJECT_MODULES, moddableBundle, moddableManifest, writeModdableProject } from '../../host/lib/moddable/project.ts';
import type { ModdableManifest } from '../../host/lib/moddable/project.ts';
import { checkSource } from '../espruino-subset/rules.ts';

const MODDABLE_BOARDS = BOARDS.filter((b) => moddableTarget(b)) as ModdableBoardProfile[];
const tmp = () => mkdtempSync(join(tmpdir(), 'totp-moddable-test-'));

/** An empty git repository tagged like the SDK version the Moddable makefiles check for. */
function taggedRepo(dir: string, tag: string): void {
  mkdirSync(dir, { recursive: true });
  const git = (...args: string[]) => spawnSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd: dir });
  git('init', '-q', '.');
  git('commit', '-q', '--allow-empty', '-m', 'fake');
  git('tag', '-a', tag, '-m', tag);
}

function stub(file: string): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, '#!/bin/sh\nexit 1\n');
  chmodSync(file, 0o755);
}

/** Just enough of ESP-IDF or the Pico SDK for Moddable's makefiles to run their JavaScript steps. */
function fakeToolchain(board: ModdableBoardProfile, sdk: string): { env: Record<string, string>; makeVars: string[] } {
  const root = tmp();
  const device = board.moddable.platform.split('/')[0]!;
  const expected = JSON.parse(readFileSync(join(sdk, 'build', 'devices', device, 'manifest.json'), 'utf8')).build;
  if (device === 'esp32') {
    taggedRepo(join(root, 'idf'), expected.EXPECTED_ESP_IDF);
    writeFileSync(join(root, 'idf', 'export.sh'), '');
    return { env: { IDF_PATH: join(root, 'idf') }, makeVars: [] };
  }
  taggedRepo(join(root, 'pico-sdk'), expected.EXPECTED_PICO_SDK);
  for (const d of ['pico-extras/src/rp2_common/pico_audio_i2s/include', 'pico-extras/src/common/pico_audio/audio.cpp', 'pico-extras/src/common/pico_audio/include', 'pico-extras/src/common/pico_util_buffer/include', 'pico-examples']) mkdirSync(join(root, d), { recursive: true });
  for (const f of ['gcc/bin/arm-none-eabi-gcc', 'pico-sdk/build/pioasm/pioasm', 'pico-sdk/build/_deps/picotool/picotool']) stub(join(root, f));
  const vars = { PICO_ROOT: root, PICO_SDK_DIR: join(root, 'pico-sdk'), PICO_EXTRAS_DIR: join(root, 'pico-extras'), PICO_GCC_ROOT: join(root, 'gcc') };
  return { env: vars, makeVars: Object.entries(vars).map(([k, v]) => `${k}=${v}`) };
}

describe('Moddable project generator', () => {
  it('knows the three Moddable boards', () => {
    expect(MODDABLE_BOARDS.map((b) => [b.id, b.moddable.platform])).toEqual([
      ['moddable-m5stickc-plus', 'esp32/m5stick_cplus'],
      ['moddable-esp32-ssd1306', 'esp32'],
      ['moddable-pico-ssd1306', 'pico'],
    ]);
  });

  it.each(MODDABLE_BOARDS)('$id: a manifest for its platform naming the modules main.js imports; main.js in the subset', async (board) => {
    const dir = tmp();
    const bundle = await moddableBundle(board);
    const project = writeModdableProject(board, dir, bundle.text);
    const main = readFileSync(join(dir, 'main.js'), 'utf8');
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as ModdableManifest;

    // What esbuild itself says the bundle imports agrees with what the generator read from it.
    const meta = await build({ ...moddableBuildOptions(join(process.cwd(), board.firmwareEntry!), join(dir, 'check.js'), true), write: false, metafile: true });
    const external = new Set(Object.values(meta.metafile!.inputs).flatMap((i) => i.imports.filter((x) => x.external).map((x) => x.path)));
    expect(project.imports).toEqual([...external].sort());
    expect(importedModules(main)).toEqual(project.imports);
    expect(project.imports.every((m) => MODDABLE_MODULES.includes(m))).toBe(true);
    // Each board imports what its hardware needs and nothing else.
    expect(project.imports.includes('embedded:io/i2c')).toBe(board.moddable.displayOutput === 'ssd1306-i2c');
    for (const m of ['preference', 'time', 'timer', 'crypt', 'embedded:io/serial', 'embedded:io/digital']) expect(project.imports).toContain(m);

    expect(manifest.include[0]).toBe('$(MODDABLE)/examples/manifest_base.json');
    for (const m of project.imports) if (!PROJECT_MODULES[m]) expect(manifest.include).toContain(MODULE_PROVIDERS[m]);
    // The hardware random source is the project's own native module, carried beside main.js.
    expect(project.imports).toContain('totp-native');
    expect(manifest.modules).toEqual({ '*': ['./main', './totp-native'] });
    expect(readFileSync(join(dir, 'totp-native.c'), 'utf8')).toContain('xs_totp_random');
    expect(readFileSync(join(dir, 'totp-native.js'), 'utf8')).toContain('"xs_totp_random"');
    expect(Object.keys(manifest.platforms)).toEqual([board.moddable.platform, '...']);
    expect(manifest.platforms['...']!.error).toContain(`mcconfig -m -p ${board.moddable.platform}`);
    if (board.moddable.displayOutput === 'screen') expect(manifest.platforms[board.moddable.platform]!.include).toContain('$(MODDABLE)/examples/manifest_commodetto.json');

    expect(checkSource(main, board.id + '/main.js')).toEqual([]);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain(`mcconfig -m -p ${board.moddable.platform}`);
    expect(project.files.map((f) => f.name)).toEqual(['main.js', 'manifest.json', 'README.md', 'totp-native.js', 'totp-native.c']);
  }, 60_000); // two esbuild builds of the firmware: over 5 s beside the other suites on 2 cores

  it('refuses a bundle that imports a module no SDK manifest is known for', () => {
    expect(() => moddableManifest(MODDABLE_BOARDS[0]!, ['preference', 'embedded:io/spi'])).toThrow(/embedded:io\/spi.*MODULE_PROVIDERS/);
  });
});

describe('mcconfig runner', () => {
  const board = MODDABLE_BOARDS[0]!;

  it('without an SDK, gives the exact steps for the board and folder', () => {
    const steps = manualSteps(board, '/tmp/p', { uploadPort: '/dev/ttyUSB0' }).join('\n');
    expect(steps).toContain('cd "/tmp/p" && UPLOAD_PORT=/dev/ttyUSB0 mcconfig -m -p esp32/m5stick_cplus');
    expect(steps).toContain('export MODDABLE=');
    expect(steps).toContain('esp32.md');
    expect(manualSteps(MODDABLE_BOARDS[2]!, '/tmp/q').join('\n')).toMatch(/BOOTSEL[\s\S]*mcconfig -m -p pico/);
  });

  it('runs $MODDABLE\'s mcconfig in the project folder and streams its output', async () => {
    const sdk = tmp();
    const tools = sdkToolsDir(sdk);
    mkdirSync(tools, { recursive: true });
    writeFileSync(join(tools, 'mcconfig'), '#!/bin/sh\necho "args: $*"\necho "cwd: $(pwd)"\necho "upload: $UPLOAD_PORT" >&2\nprintf "no newline at the end"\nexit 3\n');
    chmodSync(join(tools, 'mcconfig'), 0o755);
    const project = tmp();
    const lines: string[] = [];
    const run = await runMcconfig(board, project, { moddable: sdk, uploadPort: '/dev/ttyUSB9' }, (l) => lines.push(l));
    expect(run.exitCode).toBe(3);
    expect(lines).toEqual(expect.arrayContaining(['args: -m -p esp32/m5stick_cplus', `cwd: ${project}`, 'upload: /dev/ttyUSB9', 'no newline at the end']));
  });

  it('says how to fix a missing mcconfig', async () => {
    const saved = process.env.PATH;
    process.env.PATH = tmp();
    try {
      await expect(runMcconfig(board, tmp(), {}, () => {})).rejects.toThrow(/mcconfig not found.*build the Moddable SDK's tools/);
    } finally {
      process.env.PATH = saved;
    }
  });

  // With MODDABLE naming an SDK whose Linux tools are built (build/makefiles/lin),
  // the real mcconfig reads each project's manifest and writes its makefile; the
  // device toolchain (ESP-IDF, Pico SDK) is faked just enough for make to run the
  // JavaScript steps: xsc compiles every module, main.js included, and xsl links
  // them all into mc.xs.c. The C compile and the flash need the real toolchains.
  const sdk = process.env.MODDABLE;
  const haveTools = !!sdk && existsSync(join(sdkToolsDir(sdk), 'mcconfig'));
  it.skipIf(!haveTools).each(MODDABLE_BOARDS)('$id: the real mcconfig takes the manifest, xsc compiles main.js and xsl links the modules', async (b) => {
    const dir = tmp();
    writeModdableProject(b, dir, (await moddableBundle(b)).text);
    const fake = fakeToolchain(b, sdk!);
    await runMcconfig(b, dir, { moddable: sdk, extra: fake.env }, () => {}); // stops where the toolchain is needed
    const tmpDir = join(sdk!, 'build', 'tmp', b.moddable.platform, 'release', basename(dir));
    expect(existsSync(join(tmpDir, 'makefile')), 'mcconfig wrote no makefile: the manifest was refused').toBe(true);
    if (b.moddable.platform.startsWith('esp32')) {
      mkdirSync(join(tmpDir, 'xsProj-esp32', 'build', 'config'), { recursive: true });
      writeFileSync(join(tmpDir, 'xsProj-esp32', 'build', 'config', 'sdkconfig.h'), '');
    }
    const make = spawnSync('make', ['-f', 'makefile', ...fake.makeVars, join(tmpDir, 'mc.xs.c')], {
      cwd: tmpDir,
      env: { ...process.env, ...fake.env, MODDABLE: sdk, PATH: sdkToolsDir(sdk!) + ':' + process.env.PATH },
      encoding: 'utf8',
    });
    expect(make.status, make.stdout + make.stderr).toBe(0);
    expect(existsSync(join(tmpDir, 'modules', 'main.xsb'))).toBe(true);
    expect(existsSync(join(tmpDir, 'mc.xs.c'))).toBe(true);
    // The project's native module went through xsc too, and xsl bound its host functions.
    expect(existsSync(join(tmpDir, 'modules', 'totp-native.xsb'))).toBe(true);
    expect(readFileSync(join(tmpDir, 'mc.xs.c'), 'utf8')).toContain('xs_totp_random');
  }, 300000);
});
