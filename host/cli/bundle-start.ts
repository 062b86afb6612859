// The built CLI's start.ts: each command is a CommonJS bundle of its own,
// dist/cli/<name>.cjs (commander, the program, that command and what it
// imports statically), and help or an unknown command loads dist/cli/help.cjs.
// One file per run, required synchronously: no module graph to walk.
import { commandNamed } from './argv.ts';

// The command names as JSON, set by the bundler (esbuild `define`).
declare const __TOTP_TOKEN_COMMAND_NAMES__: string;

export function start(argv: string[], version: string): Promise<void> {
  const name = commandNamed(argv.slice(2));
  const names = JSON.parse(__TOTP_TOKEN_COMMAND_NAMES__) as string[];
  const file = name !== undefined && names.includes(name) ? name : 'help';
  // module.require: resolved beside this bundle at run time, which the bundler leaves alone.
  return (module.require(`./cli/${file}.cjs`) as { start(argv: string[], version: string): Promise<void> }).start(argv, version);
}
