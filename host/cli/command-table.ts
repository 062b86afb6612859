// Every command, by name, with the module that implements it. A command's
// module is imported only when that command runs (or its --help is asked
// for): `totp-token list` never parses the simulator, the flasher or QR
// decoding. The build makes one bundle per command from this table
// (host/tools/cli-bundle.ts). To add a command, write commands/<name>.ts
// exporting register(program) and add one line here.
import { Command, Help } from 'commander';
import type { CommandModule, CommandSummary } from './program.ts';

export const COMMANDS: [name: string, load: () => Promise<CommandModule>][] = [
  ['ports', () => import('./commands/ports.ts')],
  ['info', () => import('./commands/info.ts')],
  ['add', () => import('./commands/add.ts')],
  ['list', () => import('./commands/list.ts')],
  ['verify', () => import('./commands/verify.ts')],
  ['code', () => import('./commands/code.ts')],
  ['rename', () => import('./commands/rename.ts')],
  ['remove', () => import('./commands/remove.ts')],
  ['time', () => import('./commands/time.ts')],
  ['wipe', () => import('./commands/wipe.ts')],
  ['password', () => import('./commands/password.ts')],
  ['sim', () => import('./commands/sim.ts')],
  ['demo', () => import('./commands/demo.ts')],
  ['flash', () => import('./commands/flash.ts')],
  ['build', () => import('./commands/build.ts')],
  ['enroll', () => import('./commands/enroll.ts')],
  ['import', () => import('./commands/import.ts')],
  ['fleet', () => import('./commands/fleet.ts')],
  ['web', () => import('./commands/web.ts')],
];

/**
 * Load and register every command to read its help line. The build runs this
 * once and bakes the result into the bundles; run from source, `--help` calls it.
 */
export async function describeCommands(): Promise<CommandSummary[]> {
  const program = new Command('totp-token');
  for (const [, load] of COMMANDS) (await load()).register(program);
  const help = new Help();
  return program.commands.map((c) => ({ name: c.name(), term: help.subcommandTerm(c), description: help.subcommandDescription(c) }));
}
