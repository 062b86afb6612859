import { printFigures } from '/work/main/test/bench/xs-figures.ts';
await printFigures((t) => console.log('\n== ' + t));
