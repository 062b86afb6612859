// The commander program: every command appears in help and in "did you mean"
// suggestions, but only the one being run is loaded and registered for real;
// the others stand in as stubs carrying their help line. Where commands come
// from is the caller's: start.ts (from source) or each command's own bundle
// (host/tools/cli-bundle.ts).
import { Command, CommanderError, Help } from 'commander';
import { commandNamed } from './argv.ts';
import { EXIT } from './exit-codes.ts';

export interface CommandModule {
  register(program: Command): void;
}

/** What the top-level help shows for a command without loading it: its usage term and one-line description. */
export interface CommandSummary {
  name: string;
  term: string;
  description: string;
}

export interface CommandSource {
  /** Every command, in help order. */
  names: string[];
  /** Their help lines; asked for only when help or an unknown command may be shown. */
  summaries(): Promise<CommandSummary[]>;
  load(name: string): Promise<CommandModule>;
}

/** The program without its commands. */
export function newProgram(version: string): Command {
  return new Command('totp-token')
    .description('Provision and use a hardware TOTP token: seeds go in over USB, only codes come out.')
    .version(version, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
}

export async function run(argv: string[], version: string, commands: CommandSource): Promise<void> {
  const wanted = commandNamed(argv.slice(2));
  const known = wanted !== undefined && commands.names.includes(wanted);
  const summaries = known ? [] : await commands.summaries();
  const terms = new Map<Command, string>();
  const program = newProgram(version).configureHelp({ subcommandTerm: (cmd) => terms.get(cmd) ?? new Help().subcommandTerm(cmd) });
  for (const name of commands.names) {
    if (name === wanted) {
      (await commands.load(name)).register(program);
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
