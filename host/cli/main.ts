#!/usr/bin/env node
// totp-token: the command line over host/lib. This entry is kept tiny so a
// shell gets `--version` at Node's own start-up cost; anything else starts
// commander (program.ts) with only the module of the command being run (one
// bundle per command in the built CLI, see host/tools/cli-bundle.ts). Heavy
// modules (serialport, the simulator, PNG and QR code, the AWS SDK) load
// inside the actions that use them; the build checks that no command reaches
// one statically.
import pkg from '../../package.json' with { type: 'json' };

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) process.stdout.write(pkg.version + '\n');
else void import('./start.ts').then((m) => m.start(process.argv, pkg.version));
