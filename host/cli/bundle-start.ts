// The built CLI's start.ts: each command is a CommonJS bundle of its own,
// dist/cli/<name>.cjs (commander, the program, that command and what it
// imports statically), and help or an unknown command loads dist/cli/help.cjs.
// One file per run, compiled with the V8 code cache the build wrote beside it
// (<name>.cjs.v8cache; Node 20 has no module compile cache of its own, and a
// cache from another Node version is simply rejected by V8 and ignored).
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { commandNamed } from './argv.ts';

// The command names as JSON, set by the bundler (esbuild `define`).
declare const __TOTP_TOKEN_COMMAND_NAMES__: string;

export interface CommandBundle {
  start(argv: string[], version: string): Promise<void>;
}

/** Load a CommonJS bundle as require() would, but with its code cache when there is one. */
export function loadBundle(file: string): { bundle: CommandBundle; script: Script } {
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(file + '.v8cache');
  } catch {
    // no cache: V8 compiles from source as usual
  }
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
  const mod = { exports: {} as CommandBundle };
  (script.runInThisContext() as (...a: unknown[]) => void)(mod.exports, createRequire(file), mod, file, dirname(file));
  return { bundle: mod.exports, script };
}

export function bundleFor(argv: string[]): string {
  const name = commandNamed(argv.slice(2));
  const names = JSON.parse(__TOTP_TOKEN_COMMAND_NAMES__) as string[];
  return name !== undefined && names.includes(name) ? name : 'help';
}

export function start(argv: string[], version: string): Promise<void> {
  return loadBundle(join(__dirname, 'cli', `${bundleFor(argv)}.cjs`)).bundle.start(argv, version);
}
