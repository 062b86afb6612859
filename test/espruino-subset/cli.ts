// Fails the build when protocol/ or firmware/ (or the bundles built from them) use
// JavaScript outside the Espruino subset. See README.md beside this file.
//   tsx test/espruino-subset/cli.ts [paths...]
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkSource } from './rules.ts';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

function isCheckedFile(path: string): boolean {
  return /\.(ts|js|mjs)$/.test(path) && !path.endsWith('.d.ts');
}

/** Every checkable file under a path; `vectors` folders hold test data, not code. */
function collect(path: string, out: string[]): string[] {
  if (statSync(path).isFile()) {
    out.push(path);
  } else {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const child = join(path, entry.name);
      if (entry.isDirectory() && entry.name !== 'vectors' && entry.name !== 'node_modules') collect(child, out);
      else if (entry.isFile() && isCheckedFile(child)) out.push(child);
    }
  }
  return out;
}

/** protocol/ and firmware/ sources, plus the esbuild bundles when they have been built. */
function defaultFiles(): string[] {
  const files: string[] = [];
  for (const dir of ['protocol', 'firmware']) {
    const path = join(repoRoot, dir);
    // firmware/ports/node (the simulator) and firmware/ports/johnny-five (Linux boards) run only on Node.
    if (existsSync(path)) files.push(...collect(path, []).filter((f) => f.endsWith('.ts') && !f.includes(join('firmware', 'ports', 'node')) && !f.includes(join('firmware', 'ports', 'johnny-five'))));
  }
  for (const dir of ['dist/espruino', 'dist/xs']) {
    const path = join(repoRoot, dir);
    if (existsSync(path)) files.push(...readdirSync(path).filter((f) => f.endsWith('.js')).map((f) => join(path, f)));
  }
  return files;
}

const args = process.argv.slice(2);
const missing = args.filter((a) => !existsSync(a));
for (const path of missing) console.error(`espruino-subset: no such file or folder: ${path}`);
const files = (args.length ? args.filter((a) => existsSync(a)).flatMap((a) => collect(resolve(a), [])) : defaultFiles()).sort();
let violations = 0;
for (const file of files) {
  const name = relative(process.cwd(), file);
  for (const v of checkSource(readFileSync(file, 'utf8'), name)) {
    console.log(`${v.file}:${v.line}:${v.column}  ${v.rule}  ${v.message}`);
    violations++;
  }
}
console.log(`espruino-subset: ${files.length} files checked, ${violations} violations`);
if (files.length === 0) console.error('espruino-subset: no files found to check');
process.exitCode = violations > 0 || files.length === 0 || missing.length > 0 ? 1 : 0;
