#!/usr/bin/env node
// totp-token: the command line over host/lib. This entry is kept tiny so a
// shell gets `--version` at Node's own start-up cost; everything else loads
// commander (program.ts) and then only the module of the command being run
// (command-table.ts). Heavy modules (serialport, the simulator, PNG and QR
// code, the AWS SDK) load inside the actions that use them; the build checks
// that no command reaches one statically (host/tools/cli-bundle.ts).
import pkg from '../../package.json' with { type: 'json' };

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) process.stdout.write(pkg.version + '\n');
else await (await import('./program.ts')).run(process.argv, pkg.version);
