// The device commands that start without commander: `list` and `info` take
// no arguments but --port and --json, and commander costs them about a
// quarter of what the CLI adds to Node's own start (its 60 KB, the program,
// the parse; `npm run bench` has the figures). For exactly those forms the
// built bin loads dist/cli/fast-<command>.cjs, which runs the same action
// (the command module's deviceAction) with the options read here. Anything
// else, however harmless, goes to commander, which parses it or says what is
// wrong: this reader accepts only what commander reads the same way
// (test/e2e/fast-start.test.ts runs both on the same argv and compares).
import type { CommonOptions } from './context.ts';

/** Commands with a fast start, by name; each module exports deviceAction(out, opts). */
export const FAST_COMMANDS = ['list', 'info'];

/**
 * The options in `args` (what follows the command word) when they are only
 * `--port VALUE`, `--port=VALUE` and `--json`, each at most once, with a
 * value that is not empty and does not start with '-'; otherwise undefined.
 */
export function fastOptions(args: string[]): CommonOptions | undefined {
  const opts: CommonOptions = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--json' && opts.json === undefined) opts.json = true;
    else if (a === '--port' && opts.port === undefined && i + 1 < args.length && /^[^-]/.test(args[i + 1])) opts.port = args[++i];
    else if (a.startsWith('--port=') && opts.port === undefined && /^[^-]/.test(a.slice(7))) opts.port = a.slice(7);
    else return undefined;
  }
  return opts;
}

/** The fast command argv names (the first word, no option before it), with its options; undefined for commander. */
export function fastStart(args: string[]): { name: string; opts: CommonOptions } | undefined {
  if (!FAST_COMMANDS.includes(args[0])) return undefined;
  const opts = fastOptions(args.slice(1));
  return opts && { name: args[0], opts };
}
