// The long fuzz run of issue 6 (item 7): at least FUZZ_FRAMES (default
// 1,000,000) lines at the Node token handler, in batches that rotate through
// random text, mutated frames and random requests, with every check of
// fuzz-device.ts after every chunk. Prints the count and the time.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { deviceCaseArb, newStats, runDeviceCase } from '../helpers/fuzz-device.ts';

const TARGET = Number(process.env.FUZZ_FRAMES) || 1_000_000;
const SEED = Number(process.env.FUZZ_SEED) || Date.now() % 2 ** 31;
const KINDS = ['raw', 'mutated', 'request'] as const;

it(`at least ${TARGET} fuzzed lines: the token answers each, keeps its state and never sends a seed`, () => {
  const stats = newStats();
  const started = performance.now();
  let reported = 0;
  for (let batch = 0; stats.frames < TARGET; batch++) {
    const kind = KINDS[batch % KINDS.length];
    // Each batch has its own seed, printed by fast-check on failure: FUZZ_SEED=<seed - batch> replays the run.
    fc.assert(fc.property(deviceCaseArb(kind, 12), (c) => runDeviceCase(c, stats)), { numRuns: 1000, seed: SEED + batch });
    if (stats.frames - reported >= 250_000) {
      reported = stats.frames;
      console.log(`fuzz: ${stats.frames} lines after ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `fuzz: ${stats.frames} lines (${stats.chunks} chunks, ${stats.runs} token runs) in ${seconds.toFixed(1)} s, ` +
      `${Math.round(stats.frames / seconds)} lines/s, seed ${SEED}; reply statuses ${JSON.stringify(stats.statuses)}`,
  );
  expect(stats.frames).toBeGreaterThanOrEqual(TARGET);
});
