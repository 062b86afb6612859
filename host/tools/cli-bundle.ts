// Builds the CLI: a tiny entry (dist/totp-token.mjs, the package's bin) and
// code-split ES module chunks under dist/cli/, one per command plus what they
// share, so a command parses only what it runs. From esbuild's metafile it
// works out which modules each command loads before its action runs, and the
// build fails if one reaches a heavy module statically (LAZY_ONLY below).
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import type { Metafile } from 'esbuild';
import { COMMANDS, describeCommands } from '../cli/command-table.ts';

/** Modules that only the actions needing them may load (by dynamic import); `allow` names commands that may load them at start. */
export const LAZY_ONLY: { what: string; match: RegExp; allow: string[] }[] = [
  { what: 'QR decoding (jsqr)', match: /(^|\/)node_modules\/jsqr\//, allow: [] },
  { what: 'QR drawing (qrcode)', match: /(^|\/)node_modules\/qrcode\//, allow: [] },
  { what: 'PNG (pngjs)', match: /(^|\/)node_modules\/pngjs\//, allow: [] },
  { what: 'zlib (used by PNG)', match: /^(node:)?zlib$/, allow: [] },
  { what: 'the AWS SDK', match: /^@aws-sdk\//, allow: [] },
  { what: 'johnny-five', match: /(^|\/)node_modules\/johnny-five\/|^johnny-five$/, allow: [] },
  { what: 'serialport (a native addon)', match: /^serialport$|^@serialport\//, allow: [] },
  // The host shares only the node:crypto hashes with the Node ports.
  { what: 'the simulator (firmware/)', match: /^firmware\/(?!ports\/node\/node-hashes\.ts$)/, allow: ['sim', 'demo'] },
  { what: 'the firmware bundler (esbuild)', match: /^esbuild$|node_modules\/esbuild\//, allow: [] },
];

export interface CommandLoad {
  /** Bundled source modules (repo paths, node_modules paths) parsed before the action runs. */
  inputs: string[];
  /** Modules left outside the bundle that are imported at start: node builtins, serialport... */
  externals: string[];
}

function entryOutput(meta: Metafile, entry: string): string {
  const out = Object.entries(meta.outputs).find(([, o]) => o.entryPoint === entry);
  if (!out) throw new Error(`no output for ${entry} in the metafile`);
  return out[0];
}

/** Everything `outputs` load at once: their chunks through static imports, and the externals those import. */
function staticClosure(meta: Metafile, outputs: string[], load: CommandLoad & { seen: Set<string> }): void {
  for (const out of outputs) {
    if (load.seen.has(out)) continue;
    load.seen.add(out);
    const o = meta.outputs[out];
    load.inputs.push(...Object.keys(o.inputs));
    for (const imp of o.imports) {
      if (imp.kind === 'dynamic-import') continue;
      if (imp.external) load.externals.push(imp.path);
      else staticClosure(meta, [imp.path], load);
    }
  }
}

function loadsOf(meta: Metafile, outputs: string[]): CommandLoad {
  const load = { inputs: [] as string[], externals: [] as string[], seen: new Set<string>() };
  staticClosure(meta, outputs, load);
  return { inputs: [...new Set(load.inputs)].sort(), externals: [...new Set(load.externals)].sort() };
}

/**
 * What each way of starting the CLI loads before any action runs: `--version`
 * (the entry alone: `entry` is its own build), `--help` (the entry and the
 * commander program) and each command (those and the command's own module).
 */
export function commandLoads(entry: Metafile, chunks: Metafile, sourceDir = 'host/cli'): Record<string, CommandLoad> {
  const version = loadsOf(entry, [entryOutput(entry, `${sourceDir}/main.ts`)]);
  // The entry reaches the program by a dynamic import kept outside its own build.
  version.externals = version.externals.filter((e) => !/\/program\.mjs$/.test(e));
  const program = entryOutput(chunks, `${sourceDir}/program.ts`);
  const both = (outs: string[]): CommandLoad => {
    const l = loadsOf(chunks, outs);
    return { inputs: [...new Set([...version.inputs, ...l.inputs])].sort(), externals: [...new Set([...version.externals, ...l.externals])].sort() };
  };
  const result: Record<string, CommandLoad> = { '--version': version, '--help': both([program]) };
  for (const [name] of COMMANDS) result[name] = both([program, entryOutput(chunks, `${sourceDir}/commands/${name}.ts`)]);
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

const COMMON = { bundle: true, platform: 'node', format: 'esm', target: 'node20', metafile: true, logLevel: 'warning' } as const;

export async function buildCli(outDir = 'dist'): Promise<{ entry: Metafile; chunks: Metafile; loads: Record<string, CommandLoad> }> {
  const chunkDir = join(outDir, 'cli');
  // The program and the commands: ES module chunks, split so each command shares what it can and loads nothing it does not run.
  const chunks = (
    await build({
      ...COMMON,
      entryPoints: { program: 'host/cli/program.ts' },
      outdir: chunkDir,
      outExtension: { '.js': '.mjs' },
      entryNames: '[name]',
      chunkNames: '[name]-[hash]',
      splitting: true,
      // Less to parse at every start; identifiers kept so TOTP_TOKEN_DEBUG stack traces stay readable.
      minifyWhitespace: true,
      minifySyntax: true,
      // serialport loads a native addon; it stays a normal dependency.
      // @aws-sdk/client-iam (enroll --iam) is an optional peer, loaded only when used.
      external: ['serialport', '@serialport/*', '@aws-sdk/*'],
      // The top-level help lists every command without loading them: their help lines, read here once.
      // A JSON string, not an object: esbuild inlines a string where it is used, but gives an object a chunk of its own.
      define: { __TOTP_TOKEN_COMMANDS__: JSON.stringify(JSON.stringify(await describeCommands())) },
      // Bundled CommonJS packages call require() for Node builtins; ES module chunks have none of their own.
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    })
  ).metafile;
  // The bin: one small file of its own (a split entry would import esbuild's shared helpers chunk even for --version).
  const entry = (
    await build({
      ...COMMON,
      entryPoints: ['host/cli/main.ts'],
      outfile: join(outDir, 'totp-token.mjs'),
      minifyWhitespace: true,
      minifySyntax: true,
      plugins: [
        {
          name: 'program-chunk',
          setup: (b) => void b.onResolve({ filter: /^\.\/program\.ts$/ }, () => ({ path: './cli/program.mjs', external: true })),
        },
      ],
    })
  ).metafile;
  // Chunk names carry content hashes: drop the ones this build no longer uses, once they are an hour old
  // (a CLI started before this build, or a test's copy of the entry, may still load its own).
  const current = new Set(Object.keys(chunks.outputs).map((p) => relative(chunkDir, p)));
  for (const name of readdirSync(chunkDir)) {
    const path = join(chunkDir, name);
    if (!current.has(name) && Date.now() - statSync(path).mtimeMs > 3600_000) rmSync(path, { force: true });
  }
  const loads = commandLoads(entry, chunks);
  const bad = lazyViolations(loads);
  if (bad.length) throw new Error(`CLI bundle: a command loads a heavy module at start:\n  ${bad.join('\n  ')}`);
  return { entry, chunks, loads };
}
