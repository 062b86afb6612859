// Builds the CLI as CommonJS bundles, one per command, so a run parses only
// what its command runs and Node never starts its ES module loader:
//   dist/totp-token.cjs      the bin: --version, then picks the command's bundle
//   dist/cli/<name>.cjs      commander, the program and one command (help.cjs: none)
//   dist/cli/fast-<name>.cjs `list`/`info` with only --port/--json: the action without commander
//   dist/cli/<name>.cjs.v8cache  V8's code cache of that bundle after a run of its --help
//   dist/cli/lazy-*.cjs      what actions import dynamically (QR, PNG, the simulator...)
//   dist/totp-token.mjs      the same CLI for callers that name the old ES module path
// (Measured on Node 20: a split ES module build of `list` cost ~15 ms more CPU
// than one CommonJS file: the ES module loader's start and one file per chunk.)
// From esbuild's metafiles it works out which modules each command loads
// before its action runs, and the build fails if one reaches a heavy module
// statically (LAZY_ONLY below).
import { spawn } from 'node:child_process';
import nodeCrypto from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import type { BuildOptions, Metafile, Plugin } from 'esbuild';
import { COMMANDS, describeCommands } from '../cli/command-table.ts';
import { FAST_COMMANDS } from '../cli/fast-argv.ts';

/** Modules that only the actions needing them may load (by dynamic import); `allow` names commands that may load them at start. */
export const LAZY_ONLY: { what: string; match: RegExp; allow: string[] }[] = [
  { what: 'QR decoding (jsqr)', match: /(^|\/)node_modules\/jsqr\//, allow: [] },
  { what: 'QR drawing (qrcode)', match: /(^|\/)node_modules\/qrcode\//, allow: [] },
  { what: 'PNG (pngjs)', match: /(^|\/)node_modules\/pngjs\//, allow: [] },
  { what: 'zlib (used by PNG)', match: /^(node:)?zlib$/, allow: [] },
  { what: 'the AWS SDK', match: /^@aws-sdk\//, allow: [] },
  { what: 'johnny-five', match: /(^|\/)node_modules\/johnny-five\/|^johnny-five$/, allow: [] },
  { what: 'serialport (a native addon)', match: /^serialport$|^@serialport\/|node_modules\/(@serialport|serialport)\//, allow: [] },
  // The host shares only the node:crypto hashes with the Node ports.
  { what: 'the simulator (firmware/)', match: /^firmware\/(?!ports\/node\/node-hashes\.ts$)/, allow: ['sim', 'demo'] },
  { what: 'the firmware bundler (esbuild)', match: /^esbuild$|node_modules\/esbuild\//, allow: [] },
];

export interface CommandLoad {
  /** Bundled source modules (repo paths, node_modules paths) parsed before the action runs. */
  inputs: string[];
  /** Modules left outside the bundles that are loaded at start: node builtins, packages. */
  externals: string[];
}

function outputFor(meta: Metafile, entry: string): Metafile['outputs'][string] {
  const out = Object.values(meta.outputs).find((o) => o.entryPoint === entry);
  if (!out) throw new Error(`no output for ${entry} in the metafile`);
  return out;
}

/**
 * The inputs of the given outputs and the externals those inputs import other than
 * by import() (read from the inputs: in the CommonJS output every import() is a require()).
 */
function loadsOf(outputs: [Metafile, Metafile['outputs'][string]][]): CommandLoad {
  const inputs = outputs.flatMap(([, o]) => Object.keys(o.inputs));
  const externals = outputs.flatMap(([meta, o]) => Object.keys(o.inputs).flatMap((i) => (meta.inputs[i]?.imports ?? []).filter((r) => r.external && r.kind !== 'dynamic-import' && !r.path.startsWith('<')).map((r) => r.path)));
  return { inputs: [...new Set(inputs)].sort(), externals: [...new Set(externals)].sort() };
}

/**
 * What each way of starting the CLI loads before any action runs: `--version`
 * (the bin alone), `--help` (the bin and help.cjs), each command (the bin
 * and the command's bundle) and each fast start ("fast list": the bin and fast-list.cjs).
 */
export function commandLoads(bin: Metafile, commands: Metafile): Record<string, CommandLoad> {
  const main: [Metafile, Metafile['outputs'][string]] = [bin, outputFor(bin, 'host/cli/main.ts')];
  const bundle = (name: string): [Metafile, Metafile['outputs'][string]] => [commands, outputFor(commands, `cli-entry:cli-entry:${name}`)];
  const result: Record<string, CommandLoad> = { '--version': loadsOf([main]), '--help': loadsOf([main, bundle('help')]) };
  for (const [name] of COMMANDS) result[name] = loadsOf([main, bundle(name)]);
  for (const name of FAST_COMMANDS) result[`fast ${name}`] = loadsOf([main, [commands, outputFor(commands, `fast-entry:fast-entry:${name}`)]]);
  return result;
}

/** One line per command that loads a LAZY_ONLY module at start, naming the module. */
export function lazyViolations(loads: Record<string, CommandLoad>): string[] {
  const bad: string[] = [];
  for (const [command, load] of Object.entries(loads)) {
    for (const rule of LAZY_ONLY) {
      if (rule.allow.includes(command)) continue;
      const hits = [...load.inputs, ...load.externals].filter((m) => rule.match.test(m));
      if (hits.length) bad.push(`'${command}' loads ${rule.what} at start (${hits[0]}${hits.length > 1 ? ` and ${hits.length - 1} more` : ''}): import it inside the action that needs it`);
    }
  }
  return bad;
}

const ROOT = resolve(import.meta.dirname, '../..');

/** The bundle file a dynamically imported source file becomes: lazy-firmware-ports-node-sim-token.cjs. */
const lazyName = (file: string): string => 'lazy-' + relative(ROOT, file).replace(/\.[cm]?[jt]s$/, '').replace(/[^A-Za-z0-9]+/g, '-');

/** Dynamic imports of our own files stay dynamic: each becomes a bundle of its own beside the importer, built on demand. */
function lazyPlugin(lazy: Map<string, string>): Plugin {
  return {
    name: 'lazy-bundles',
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (args.kind !== 'dynamic-import') return undefined;
        const file = resolve(args.resolveDir, args.path);
        lazy.set(lazyName(file), file);
        return { path: `./${lazyName(file)}.cjs`, external: true };
      });
    },
  };
}

/** One virtual entry per command (and `help`): the program with that command only. */
function commandEntries(summaries: string): Plugin {
  const names = JSON.stringify(COMMANDS.map(([n]) => n));
  return {
    name: 'command-entries',
    setup(b) {
      b.onResolve({ filter: /^cli-entry:/ }, (args) => ({ path: args.path, namespace: 'cli-entry' }));
      b.onLoad({ filter: /.*/, namespace: 'cli-entry' }, (args) => {
        const name = args.path.slice('cli-entry:'.length);
        const command = name === 'help' ? 'const command = undefined;' : `import * as command from ${JSON.stringify(join(ROOT, 'host/cli/commands', name + '.ts'))};`;
        return {
          resolveDir: ROOT,
          loader: 'ts',
          contents: `import { run } from ${JSON.stringify(join(ROOT, 'host/cli/program.ts'))};
${command}
const summaries = JSON.parse(${JSON.stringify(summaries)});
export function start(argv: string[], version: string) {
  return run(argv, version, { names: ${names}, summaries: async () => summaries, load: async () => command! });
}
`,
        };
      });
    },
  };
}

/** One virtual entry per fast command (fast-argv.ts): its deviceAction run as commander's action would, without commander. */
const fastEntries: Plugin = {
  name: 'fast-entries',
  setup(b) {
    b.onResolve({ filter: /^fast-entry:/ }, (args) => ({ path: args.path, namespace: 'fast-entry' }));
    b.onLoad({ filter: /.*/, namespace: 'fast-entry' }, (args) => ({
      resolveDir: ROOT,
      loader: 'ts',
      contents: `import { runAction } from ${JSON.stringify(join(ROOT, 'host/cli/context.ts'))};
import { deviceAction } from ${JSON.stringify(join(ROOT, 'host/cli/commands', args.path.slice('fast-entry:'.length) + '.ts'))};
export function start(opts: { port?: string; json?: boolean }) {
  return runAction(!!opts.json, (out) => deviceAction(out, opts));
}
`,
    }));
  },
};

/** serialport's addon loader finds the .node file from __dirname: it must run from node_modules, not a bundle. */
const nativeAddonLoader: Plugin = {
  name: 'serialport-native',
  setup: (b) => void b.onResolve({ filter: /serialport-bindings(\.js)?$/ }, (args) => (args.importer.includes('@serialport/bindings-cpp') ? { path: '@serialport/bindings-cpp/dist/serialport-bindings.js', external: true } : undefined)),
};

/**
 * commander requires node:child_process at load for one feature this CLI never
 * uses (executable subcommands: Command#_executeSubCommand's spawn), and that
 * require costs every command ~3 ms of a ~20 ms start (Node 20, measured). Its
 * one use, childProcess.spawn, is made to load the module when called. The build
 * fails if commander's line changes, rather than bundle it eagerly again.
 */
const COMMANDER_EAGER_SPAWN = "const childProcess = require('node:child_process');";
const commanderLazySpawn: Plugin = {
  name: 'commander-lazy-spawn',
  setup: (b) =>
    void b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes(COMMANDER_EAGER_SPAWN)) throw new Error(`${args.path}: commander no longer has "${COMMANDER_EAGER_SPAWN}": update commanderLazySpawn in host/tools/cli-bundle.ts`);
      return { contents: text.replace(COMMANDER_EAGER_SPAWN, "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };"), loader: 'js' };
    }),
};

/**
 * node:crypto behind getters: a bundle loads it when one of its functions is
 * first used. `list` and `info` never hash or derive (a key check or the USB
 * password does), and loading it cost them ~2 ms of a ~15 ms start (Node 20:
 * its 13 internal modules). The names are node:crypto's own properties,
 * non-enumerable ones too, read at build time.
 */
const lazyNodeCrypto: Plugin = {
  name: 'lazy-node-crypto',
  setup(b) {
    b.onResolve({ filter: /^(node:)?crypto$/ }, (args) => (args.namespace === 'lazy-builtin' ? { path: 'node:crypto', external: true } : { path: 'node:crypto', namespace: 'lazy-builtin' }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, () => ({
      loader: 'js',
      contents: `let loaded;
const crypto = () => loaded || (loaded = require('node:crypto'));
for (const name of ${JSON.stringify(Object.getOwnPropertyNames(nodeCrypto))}) Object.defineProperty(exports, name, { enumerable: true, get: () => crypto()[name] });
`,
    }));
  },
};

const COMMON: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Less to parse at every start; identifiers kept so TOTP_TOKEN_DEBUG stack traces stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  // @aws-sdk/client-iam (enroll --iam) is an optional peer, loaded only when used.
  external: ['serialport', '@aws-sdk/*'],
  // serialport's JavaScript is bundled (into the lazy bundle of transport/serialport-node.ts) but for its native addon's loader.
  // import() of the lazy bundles becomes require(): import() would start Node's ES module loader and scan the file for exports.
  supported: { 'dynamic-import': false },
  // CommonJS has no import.meta: the few modules that find files from their own URL get the bundle's.
  define: { 'import.meta.url': '__bundle_url' },
  banner: { js: "var __bundle_url = require('node:url').pathToFileURL(__filename).href;" },
  metafile: true,
  logLevel: 'warning',
};

export async function buildCli(outDir = 'dist'): Promise<{ bin: Metafile; commands: Metafile; loads: Record<string, CommandLoad> }> {
  const chunkDir = join(outDir, 'cli');
  const bin = (
    await build({
      ...COMMON,
      entryPoints: ['host/cli/main.ts'],
      outfile: join(outDir, 'totp-token.cjs'),
      define: { ...COMMON.define!, __TOTP_TOKEN_COMMAND_NAMES__: JSON.stringify(JSON.stringify(COMMANDS.map(([n]) => n))) },
      plugins: [nativeAddonLoader, { name: 'bundle-start', setup: (b) => void b.onResolve({ filter: /^\.\/start\.ts$/ }, (a) => ({ path: join(a.resolveDir, 'bundle-start.ts') })) }],
    })
  ).metafile!;
  // Callers (and tests) that run the old ES module path get the same CLI.
  writeFileSync(join(outDir, 'totp-token.mjs'), "#!/usr/bin/env node\n// The CLI is dist/totp-token.cjs (the package's bin); this path is kept for callers that name it.\nimport './totp-token.cjs';\n");
  const lazy = new Map<string, string>();
  // The top-level help lists every command without loading them: their help lines, read here once.
  const summaries = JSON.stringify(await describeCommands());
  const commands = (
    await build({
      ...COMMON,
      entryPoints: {
        ...Object.fromEntries(['help', ...COMMANDS.map(([n]) => n)].map((n) => [n, `cli-entry:${n}`])),
        ...Object.fromEntries(FAST_COMMANDS.map((n) => [`fast-${n}`, `fast-entry:${n}`])),
      },
      outdir: chunkDir,
      outExtension: { '.js': '.cjs' },
      plugins: [nativeAddonLoader, commanderLazySpawn, lazyNodeCrypto, commandEntries(summaries), fastEntries, lazyPlugin(lazy)],
    })
  ).metafile!;
  const outputs = new Set(Object.keys(commands.outputs).map((p) => relative(chunkDir, p)));
  // What actions import dynamically, and what those import dynamically in turn.
  for (const built = new Set<string>(); lazy.size > built.size; ) {
    const todo = [...lazy].filter(([name]) => !built.has(name));
    for (const [name] of todo) built.add(name);
    const meta = (await build({ ...COMMON, entryPoints: Object.fromEntries(todo), outdir: chunkDir, outExtension: { '.js': '.cjs' }, plugins: [nativeAddonLoader, commanderLazySpawn, lazyNodeCrypto, lazyPlugin(lazy)] })).metafile!;
    for (const p of Object.keys(meta.outputs)) outputs.add(relative(chunkDir, p));
  }
  // Files of an earlier build that this one no longer writes.
  for (const name of readdirSync(chunkDir)) if (!outputs.has(name)) rmSync(join(chunkDir, name), { force: true });
  // V8 code caches for the command bundles, each from a run of its --help (one process per bundle, four at a time).
  const cacheOne = (name: string): Promise<void> =>
    new Promise<void>((done, fail) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'host/tools/code-cache-child.ts'), join(chunkDir, `${name}.cjs`), name], { stdio: 'ignore' });
      child.once('error', fail);
      child.once('exit', (code) => (code === 0 && existsSync(join(chunkDir, `${name}.cjs.v8cache`)) ? done() : fail(new Error(`no code cache for ${name}.cjs (exit ${code})`))));
    });
  const queue = ['help', ...COMMANDS.map(([n]) => n), ...FAST_COMMANDS.map((n) => `fast-${n}`)];
  await Promise.all(
    [1, 2, 3, 4].map(async () => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) await cacheOne(name);
    }),
  );
  const loads = commandLoads(bin, commands);
  const bad = lazyViolations(loads);
  if (bad.length) throw new Error(`CLI bundle: a command loads a heavy module at start:\n  ${bad.join('\n  ')}`);
  return { bin, commands, loads };
}
