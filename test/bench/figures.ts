// The bench's figures modules and the README table they fill.
//
// Each module in FIGURE_MODULES exports
//   printFigures(section: (title) => void, figure: FigureSink): Promise<void> | void
// and prints its section(s); figures that belong in README it also passes to
// `figure(name, value)`. Adding a module is one line here.
// `npm run bench -- --write-readme` writes the collected figures into README.md
// between the markers below (never typed by hand).
import { readFileSync, writeFileSync } from 'node:fs';

export type FigureSink = (name: string, value: string) => void;

export const FIGURE_MODULES = [
  './figures-core.ts',
  './figures-espruino.ts',
  './figures-clock.ts',
  './figures-link.ts',
  './xs-figures.ts',
  './figures-cli.ts',
  './figures-web.ts',
];

export const README_START = '<!-- bench-figures:start (written by `npm run bench -- --write-readme`) -->';
export const README_END = '<!-- bench-figures:end -->';

/** The README text with the figures table between the markers replaced. */
export function withFiguresTable(readme: string, figures: [string, string][], stamp: string): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) throw new Error('README.md has no bench-figures markers');
  const table = ['', `Measured by \`npm run bench\` (${stamp}):`, '', '| figure | value |', '|---|---|', ...figures.map(([n, v]) => `| ${n} | ${v.replace(/\|/g, '\\|')} |`), ''].join('\n');
  return readme.slice(0, start + README_START.length) + table + '\n' + readme.slice(end);
}

export function writeReadmeFigures(path: string, figures: [string, string][], stamp: string): void {
  writeFileSync(path, withFiguresTable(readFileSync(path, 'utf8'), figures, stamp));
}
