// `npm run bench`: prints the project's performance and size figures, one
// section per figures module (test/bench/figures.ts lists them). Figures
// only; no test asserts a time. `-- --write-readme` also writes the README's
// figures table from this run; `-- --only <words>` runs some modules only.
import { FIGURE_MODULES, writeReadmeFigures } from './figures.ts';
import type { FigureSink } from './figures.ts';

function section(title: string): void {
  console.log(`\n== ${title}`);
}

const figures: [string, string][] = [];
const figure: FigureSink = (name, value) => {
  figures.push([name, value]);
};

// `-- --only espruino,xs`: just the modules whose file names contain one of those words.
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt > 0 ? process.argv[onlyAt + 1].split(',') : null;
if (only && process.argv.includes('--write-readme')) throw new Error('--write-readme needs every figure: run without --only');

for (const path of FIGURE_MODULES) {
  if (only && !only.some((w) => path.includes(w))) continue;
  let mod: { printFigures?: (s: typeof section, f: FigureSink) => unknown };
  try {
    mod = await import(path);
  } catch (e) {
    const err = e as { code?: string; message?: string };
    if (err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes(path.slice(2))) continue; // a module not written yet
    throw e;
  }
  if (typeof mod.printFigures === 'function') await mod.printFigures(section, figure);
}

if (process.argv.includes('--write-readme')) {
  writeReadmeFigures('README.md', figures, `${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${(await import('node:os')).cpus().length} cores`);
  console.log('\nREADME.md: figures table written');
}
