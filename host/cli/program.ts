// The commander program: every command appears in help and in "did you mean"
// suggestions, but only the one being run is loaded and registered for real;
// the others stand in as stubs carrying their help line (baked into the
// bundle at build time, see host/tools/cli-bundle.ts).
import { Command, CommanderError, Help } from 'commander';
import { COMMANDS, describeCommands } from './command-table.ts';
import type { CommandSummary } from './command-table.ts';
import { EXIT } from './exit-codes.ts';

// Every command's help line as JSON, set by the bundler (esbuild `define`); undefined when run from source.
declare const __TOTP_TOKEN_COMMANDS__: string | undefined;

/** The command argv names: the first word that is not an option (the program itself has only -V and -h), or the one after `help`. */
export function commandNamed(args: string[]): string | undefined {
  const words = args.filter((a) => !a.startsWith('-'));
  return words[0] === 'help' ? words[1] : words[0];
}

/** The program without its commands. */
export function newProgram(version: string): Command {
  return new Command('totp-token')
    .description('Provision and use a hardware TOTP token: seeds go in over USB, only codes come out.')
    .version(version, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
}

export async function run(argv: string[], version: string): Promise<void> {
  const wanted = commandNamed(argv.slice(2));
  const known = COMMANDS.some(([name]) => name === wanted);
  // From source (no baked lines) the stubs' help lines cost loading every command: only when help may be shown.
  const baked = typeof __TOTP_TOKEN_COMMANDS__ !== 'undefined' ? (JSON.parse(__TOTP_TOKEN_COMMANDS__) as CommandSummary[]) : undefined;
  const summaries = baked ?? (known ? [] : await describeCommands());
  const terms = new Map<Command, string>();
  const program = newProgram(version).configureHelp({ subcommandTerm: (cmd) => terms.get(cmd) ?? new Help().subcommandTerm(cmd) });
  for (const [name, load] of COMMANDS) {
    if (name === wanted) {
      (await load()).register(program);
      continue;
    }
    const summary = summaries.find((s) => s.name === name);
    const stub = program.command(name).description(summary?.description ?? '');
    if (summary) terms.set(stub, summary.term);
  }
  try {
    await program.parseAsync(argv);
  } catch (e) {
    // Commander already printed its message; help and --version exit 0, usage errors 2.
    if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? EXIT.OK : EXIT.USAGE);
    throw e;
  }
}
