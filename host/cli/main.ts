// totp-token: the command line over host/lib. Each command lives in its own
// file under commands/ and registers itself; to add one, write the file and
// add one line to COMMANDS. Kept light so `--version` starts fast: heavy
// modules (serialport, the simulator, QR decoding) load inside actions.
import { Command, CommanderError } from 'commander';
import pkg from '../../package.json' with { type: 'json' };
import * as add from './commands/add.ts';
import * as build from './commands/build.ts';
import * as code from './commands/code.ts';
import * as demo from './commands/demo.ts';
import * as enroll from './commands/enroll.ts';
import * as flash from './commands/flash.ts';
import * as fleet from './commands/fleet.ts';
import * as importCommand from './commands/import.ts';
import * as info from './commands/info.ts';
import * as list from './commands/list.ts';
import * as password from './commands/password.ts';
import * as ports from './commands/ports.ts';
import * as remove from './commands/remove.ts';
import * as rename from './commands/rename.ts';
import * as sim from './commands/sim.ts';
import * as time from './commands/time.ts';
import * as verify from './commands/verify.ts';
import * as web from './commands/web.ts';
import * as wipe from './commands/wipe.ts';
import { EXIT } from './exit-codes.ts';

const COMMANDS: { register(program: Command): void }[] = [ports, info, add, list, verify, code, rename, remove, time, wipe, password, sim, demo, flash, build, enroll, importCommand, fleet, web];

const program = new Command('totp-token')
  .description('Provision and use a hardware TOTP token: seeds go in over USB, only codes come out.')
  .version(pkg.version, '-V, --version')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();
for (const command of COMMANDS) command.register(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  // Commander already printed its message; help and --version exit 0, usage errors 2.
  if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? EXIT.OK : EXIT.USAGE);
  throw e;
}
