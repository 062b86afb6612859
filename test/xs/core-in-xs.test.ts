// The core vectors in the real Moddable XS engine (xsnap-worker, built by
// @agoric/xsnap at install), plus checks that the runner reports failures.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { bundleCoreVectors } from '../helpers/core-bundle.ts';
import { expectedCoreChecks } from '../helpers/core-check-count.ts';
import { startXs } from '../helpers/xs-engine.ts';
import type { XsWorker } from '../helpers/xs-engine.ts';

const entry = fileURLToPath(new URL('./core-xs-entry.ts', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));

let worker: XsWorker | undefined;
afterEach(async () => {
  await worker?.close();
  worker = undefined;
});

describe('core vectors in the real XS engine', () => {
  it('passes every vector with the pure hashes', async () => {
    const bundle = readFileSync(await bundleCoreVectors(entry), 'utf8');
    worker = await startXs();
    const { printed, meter } = await worker.evaluate(bundle);
    console.info(`XS core vectors: ${printed[printed.length - 1]}, ${meter.compute} computrons`);
    const output = printed.join('\n');
    const result = /^RESULT (\d+) (\d+)$/.exec(printed[printed.length - 1] ?? '');
    expect(result, 'no RESULT line; output was:\n' + output.slice(-2000)).not.toBeNull();
    expect(printed.filter((l) => l.startsWith('FAIL'))).toEqual([]);
    expect(Number(result![2])).toBe(0);
    const skipped = printed.filter((l) => l.startsWith('SKIP'));
    expect(Number(result![1]) + skipped.length).toBe(expectedCoreChecks(1));
  }, 60000);

  it('reports the XS meter for one TOTP with the pure SHA1', async () => {
    const probe = await build({
      stdin: {
        contents: `
          import { totp } from './protocol/totp.ts';
          import { pureHashes } from './protocol/hash-pure.ts';
          const hashes = pureHashes();
          const text = '12345678901234567890';
          const key = new Uint8Array(20);
          for (let i = 0; i < 20; i++) key[i] = text.charCodeAt(i);
          globalThis.totpOnce = () => print(totp(hashes.SHA1, key, 59, { period: 30, t0: 0, digits: 8 }));`,
        resolveDir: root,
        loader: 'ts',
      },
      bundle: true,
      format: 'iife',
      platform: 'neutral',
      target: 'es2017',
      minify: true,
      write: false,
      logLevel: 'silent',
    });
    worker = await startXs();
    await worker.evaluate(probe.outputFiles[0]!.text);
    const once = await worker.evaluate('totpOnce()');
    // RFC 6238 appendix B, SHA1 at T=59.
    expect(once.printed).toEqual(['94287082']);
    expect(once.meter.compute).toBeGreaterThan(1000);
    console.info(`XS meter: one TOTP (pure SHA1, 20-byte key) = ${once.meter.compute} computrons`);
  }, 60000);
});

describe('the XS runner reports failures', () => {
  it('shows a wrong check as a FAIL line and a failed count', async () => {
    worker = await startXs();
    const { printed } = await worker.evaluate(`
      var failed = 0;
      if ((0.1 + 0.2) !== 0.3) { failed++; print('FAIL float sum'); }
      print('RESULT 0 ' + failed);`);
    expect(printed).toEqual(['FAIL float sum', 'RESULT 0 1']);
  });

  it('rejects with the XS error message when code throws, and keeps running', async () => {
    worker = await startXs();
    await expect(worker.evaluate('print("before"); null.x')).rejects.toThrow(/XS threw: TypeError: .*null/);
    await expect(worker.evaluate('throw new RangeError("custom " + (6 * 7))')).rejects.toThrow('XS threw: RangeError: custom 42');
    expect((await worker.evaluate('print("after")')).printed).toEqual(['after']);
    expect(worker.printed).toEqual(['before', 'after']);
  });

  it('rejects on a syntax error, on the meter limit and on a timeout', async () => {
    worker = await startXs();
    await expect(worker.evaluate('let = ;')).rejects.toThrow(/XS threw: SyntaxError/);
    await worker.close();
    worker = await startXs({ meteringLimit: 100000 });
    await expect(worker.evaluate('for (;;) {}')).rejects.toThrow(/too much computation/);
    await worker.close();
    worker = await startXs({ timeoutMs: 300 });
    await expect(worker.evaluate('for (;;) {}')).rejects.toThrow(/longer than 300 ms/);
  });

  it('passes commands both ways', async () => {
    const seen: string[] = [];
    worker = await startXs({ onCommand: (m) => { seen.push(Buffer.from(m).toString()); return 'pong'; } });
    const reply = await worker.evaluate(`
      globalThis.handleCommand = function (buffer) {
        var bytes = new Uint8Array(buffer);
        var answer = issueCommand(new TextEncoder().encode('ping ' + bytes.length).buffer);
        return new Uint8Array(answer).buffer;
      };
      new Uint8Array([1, 2, 3]).buffer`);
    expect([...reply.reply]).toEqual([1, 2, 3]);
    const answered = await worker.issueCommand('hello');
    expect(seen).toEqual(['ping 5']);
    expect(Buffer.from(answered.reply).toString()).toBe('pong');
  });
});
