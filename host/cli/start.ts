// Running from source (tsx host/cli/main.ts): commands load from the table.
// The built CLI starts through bundle-start.ts instead.
import { COMMANDS, describeCommands } from './command-table.ts';
import { run } from './program.ts';

export function start(argv: string[], version: string): Promise<void> {
  return run(argv, version, {
    names: COMMANDS.map(([name]) => name),
    summaries: describeCommands,
    load: (name) => COMMANDS.find(([n]) => n === name)![1](),
  });
}
