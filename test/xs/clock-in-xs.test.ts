// firmware/clock.ts in the real Moddable XS engine (xsnap-worker) against the
// same code on Node: the scenarios of test/espruino/clock-scenarios.ts must
// take the same branches and give the same times (XS has its own number
// formatting for the JSON record and its own Math). Runs in CI.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { startXs } from '../helpers/xs-engine.ts';
import type { XsWorker } from '../helpers/xs-engine.ts';
import { clockScenarios } from '../espruino/clock-scenarios.ts';

const entry = fileURLToPath(new URL('../espruino/clock-entry.ts', import.meta.url));

let worker: XsWorker | undefined;
afterEach(async () => {
  await worker?.close();
  worker = undefined;
});

describe('the clock in the real XS engine', () => {
  it('takes the same branches and gives the same times as on Node (within 10 µs), restarts and power loss included', async () => {
    const bundle = await build({ entryPoints: [entry], bundle: true, format: 'iife', platform: 'neutral', target: 'es2017', minify: true, write: false, logLevel: 'silent' });
    worker = await startXs();
    const { printed } = await worker.evaluate(bundle.outputFiles[0]!.text);
    const line = printed.find((l) => l.startsWith('CLOCK '));
    expect(line, printed.join('\n').slice(-1500)).toBeDefined();
    const inXs = JSON.parse(line!.slice(6)) as number[][];
    const onNode = clockScenarios();
    expect(inXs.map((l) => l.length)).toEqual(onNode.map((l) => l.length));
    for (let s = 0; s < onNode.length; s++) {
      const far = onNode[s].map((v, i) => [i, v, inXs[s][i]]).filter(([, a, b]) => Math.abs(a - b) > 10);
      expect(far, `scenario ${s}: [index, Node, XS]`).toEqual([]);
    }
  }, 60000);
});
