// The built CLI's start.ts: each command is a CommonJS bundle of its own,
// dist/cli/<name>.cjs (commander, the program, that command and what it
// imports statically), and help or an unknown command loads dist/cli/help.cjs.
// `list` and `info` with only --port and --json load dist/cli/fast-<name>.cjs,
// the same action without commander (fast-argv.ts).
// One file per run, compiled with the V8 code cache the build wrote beside it
// (<name>.cjs.v8cache; Node 20 has no module compile cache of its own, and a
// cache from another Node version is simply rejected by V8 and ignored).
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { commandNamed } from './argv.ts';
import { fastStart } from './fast-argv.ts';
import type { CommonOptions } from './context.ts';

// The command names as JSON, set by the bundler (esbuild `define`).
declare const __TOTP_TOKEN_COMMAND_NAMES__: string;

export interface CommandBundle {
  start(argv: string[], version: string): Promise<void>;
}

/** dist/cli/fast-<name>.cjs: the command's action with options already read. */
export interface FastBundle {
  start(opts: CommonOptions): Promise<void>;
}

/** Load a CommonJS bundle as require() would, but with its code cache when there is one. */
export function loadBundle<B = CommandBundle>(file: string): { bundle: B; script: Script } {
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(file + '.v8cache');
  } catch {
    // no cache: V8 compiles from source as usual
  }
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
  const mod = { exports: {} as B };
  (script.runInThisContext() as (...a: unknown[]) => void)(mod.exports, createRequire(file), mod, file, dirname(file));
  return { bundle: mod.exports, script };
}

export function bundleFor(argv: string[]): string {
  const name = commandNamed(argv.slice(2));
  const names = JSON.parse(__TOTP_TOKEN_COMMAND_NAMES__) as string[];
  return name !== undefined && names.includes(name) ? name : 'help';
}

export function start(argv: string[], version: string): Promise<void> {
  const fast = fastStart(argv.slice(2));
  if (fast) return loadBundle<FastBundle>(join(__dirname, 'cli', `fast-${fast.name}.cjs`)).bundle.start(fast.opts);
  return loadBundle(join(__dirname, 'cli', `${bundleFor(argv)}.cjs`)).bundle.start(argv, version);
}
