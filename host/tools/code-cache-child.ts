// Build step, one process per bundle: run `<command> --help` from a command
// bundle the way the bin loads it (bundle-start.ts), then save V8's code cache
// of everything that ran as <bundle>.v8cache, for the bin's next starts. A
// fast bundle (fast-list.cjs) has no help and needs a device to run: its
// cache holds what loading it compiles.
// Usage: node --import tsx host/tools/code-cache-child.ts dist/cli/list.cjs list
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadBundle } from '../cli/bundle-start.ts';

const [file, name] = process.argv.slice(2);
const { bundle, script } = loadBundle(resolve(file));
process.on('exit', () => writeFileSync(`${file}.v8cache`, script.createCachedData()));
if (!name.startsWith('fast-')) void bundle.start([process.execPath, 'totp-token', ...(name === 'help' ? [] : [name]), '--help'], '0.0.0');
