// Fuzzes the token's serial handler (issue 6, item 7), CI-sized: a few thousand
// lines in a few seconds. The million-line run is device-handler.slow.test.ts
// (npm run test:slow). FUZZ_RUNS scales this file; FUZZ_SEED replays a failure.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { encodeFrame, REQUEST_MARKER } from '../../protocol/frame.ts';
import { encodeReply } from '../../protocol/messages.ts';
import { zlibCrc32 } from '../helpers/zlib-crc.ts';
import { crc32Model, createWireModel, frameBodyModel } from '../helpers/fuzz-wire.ts';
import { deviceCaseArb, newStats, runDeviceCase } from '../helpers/fuzz-device.ts';
import type { Sabotage } from '../helpers/fuzz-device.ts';

const RUNS = Number(process.env.FUZZ_RUNS) || 150;
const SEED = process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {};
// A few seconds alone; vitest's 5 s default was hit with the XS suites beside it on 2 loaded cores.
vi.setConfig({ testTimeout: 60_000 });

describe('the wire model the fuzz tests judge by', () => {
  it('agrees with zlib on CRC-32 and reads back what encodeFrame writes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 600 }), (body) => {
        expect(crc32Model(body)).toBe(zlibCrc32(body));
        const line = encodeFrame(REQUEST_MARKER, body);
        expect(frameBodyModel(line.slice(1, -1))).toEqual(body);
        expect(createWireModel(REQUEST_MARKER).push('junk' + line)).toEqual([{ kind: 'frame', body }]);
      }),
      { numRuns: 200 },
    );
  });
});

describe('the token under fuzzed input', () => {
  const kinds = [
    ['random bytes and printable lines', 'raw'],
    ['mutated valid frames, bad and good CRCs', 'mutated'],
    ['well-framed requests with random commands and fields', 'request'],
  ] as const;
  for (const [title, kind] of kinds) {
    it(title + ': one final reply per line, errors for bad ones, state kept, no seed out', () => {
      const stats = newStats();
      fc.assert(fc.property(deviceCaseArb(kind, 12), (c) => runDeviceCase(c, stats)), { numRuns: RUNS, ...SEED });
      expect(stats.frames).toBeGreaterThan(RUNS);
    });
  }
});

describe('the fuzz harness notices a broken token', () => {
  /** The harness's complaint (fast-check keeps it as the failure's cause). */
  function complaint(sabotage: Sabotage): string {
    try {
      fc.assert(fc.property(deviceCaseArb('request', 2), (c) => runDeviceCase(c, newStats(), sabotage)), { numRuns: 5, seed: 1 });
    } catch (e) {
      return String(((e as Error).cause as Error | undefined)?.message);
    }
    return 'no complaint';
  }

  it('storage written by a request that failed', () => {
    expect(complaint((t) => t.storage.data.set('tt.fuzz', String(Math.random())))).toMatch(/^storage changed/);
  });
  it('a reply that carries a seed', () => {
    expect(complaint((t, s) => t.rawOut.push(encodeFrame('<', encodeReply({ id: 1, status: 0, fields: { check: s.accounts[0].seed.subarray(3, 11) } }))))).toMatch(/^a reply carries 8 seed bytes/);
  });
  it('a reply nobody asked for', () => {
    expect(complaint((t) => t.replies.push({ id: 9, status: 0, fields: {} }))).toMatch(/^extra replies/);
  });
});
