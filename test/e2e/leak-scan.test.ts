// The leak scan must actually catch leaks, or its silence means nothing.
import { describe, expect, it } from 'vitest';
import { base32Encode } from '../../protocol/base32.ts';
import { encodeFrame } from '../../protocol/frame.ts';
import { encodeReply } from '../../protocol/messages.ts';
import { findLeaks } from './leak-scan.ts';

const seed = new Uint8Array(Array.from({ length: 20 }, (_, i) => (i * 37 + 11) & 255));
const frame = (fields: object) => encodeFrame('<', encodeReply({ id: 1, status: 0, fields: fields as never }));

describe('seed-leak scan', () => {
  it('passes clean replies and flags a seed inside a frame, as base32, base64 or hex', () => {
    expect(findLeaks([frame({ code: '123456' })], [seed])).toEqual([]);
    expect(findLeaks([frame({ check: seed.subarray(3, 11) })], [seed])).toEqual(['seed 0 appears as raw bytes']);
    expect(findLeaks([frame({ message: 'key ' + base32Encode(seed) })], [seed])).toContain('seed 0 appears as base32');
    expect(findLeaks(['<' + Buffer.from(seed).toString('base64') + '\n'], [seed])).toContain('seed 0 appears as base64');
    expect(findLeaks([Buffer.from(seed).toString('hex')], [seed])).toContain('seed 0 appears as hex');
  });
});
