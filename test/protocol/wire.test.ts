import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base64Decode, base64Encode } from '../../protocol/base64.ts';
import { crc32 } from '../../protocol/crc32.ts';
import { CORRUPT_FRAME, createFrameReader, encodeFrame, LINE_TOO_LONG, MAX_BODY, MAX_LINE, REQUEST_MARKER } from '../../protocol/frame.ts';
import type { FrameFault } from '../../protocol/frame.ts';
import { COMMANDS, decodeReply, decodeRequest, encodeReply, encodeRequest, ERRORS, errorName } from '../../protocol/messages.ts';
import { zlibCrc32 } from '../helpers/zlib-crc.ts';

function collect() {
  const frames: Uint8Array[] = [];
  const faults: FrameFault[] = [];
  const reader = createFrameReader(REQUEST_MARKER, (b) => frames.push(b), (f) => faults.push(f));
  return { frames, faults, reader };
}

describe('CRC-32 and base64', () => {
  it('CRC-32 matches zlib on random data and the standard check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    for (let n = 0; n < 200; n += 7) {
      const data = randomBytes(n);
      expect(crc32(data)).toBe(zlibCrc32(data));
    }
  });
  it('base64 matches Buffer for every length', () => {
    for (let n = 0; n < 100; n++) {
      const data = randomBytes(n);
      expect(base64Encode(data)).toBe(data.toString('base64'));
      expect(Buffer.from(base64Decode(data.toString('base64')))).toEqual(data);
    }
    expect(() => base64Decode('abc')).toThrow(/multiple of 4/);
    expect(() => base64Decode('ab!d')).toThrow(/invalid character/);
  });
});

describe('frames', () => {
  it('round-trips bodies, split into chunks of every size', () => {
    const body = randomBytes(300);
    const line = encodeFrame('>', body);
    expect(line).toMatch(/^>[A-Za-z0-9+/=]+\n$/);
    for (const size of [1, 2, 3, 7, 63, 1000]) {
      const { frames, faults, reader } = collect();
      for (let i = 0; i < line.length; i += size) reader.push(line.slice(i, i + size));
      expect(faults).toEqual([]);
      expect(frames.map((f) => Buffer.from(f))).toEqual([body]);
    }
  });

  it('skips garbage before a frame and lines without a marker', () => {
    const { frames, faults, reader } = collect();
    reader.push('Espruino banner\r\n noise \x00\xff' + encodeFrame('>', Uint8Array.of(1, 2, 3)) + 'junk\n');
    expect(frames).toHaveLength(1);
    expect(faults).toEqual([]);
  });

  it('reports a corrupt frame and resynchronises on the next marker', () => {
    const good = encodeFrame('>', Uint8Array.of(9, 9, 9));
    const flipped = good.slice(0, 5) + (good[5] === 'A' ? 'B' : 'A') + good.slice(6);
    const { frames, faults, reader } = collect();
    reader.push(flipped + good);
    expect(faults).toEqual([CORRUPT_FRAME]);
    expect(frames).toHaveLength(1);
  });

  it('reports a frame cut short by a new marker (partial write, then a new frame)', () => {
    const good = encodeFrame('>', Uint8Array.of(1));
    const { frames, faults, reader } = collect();
    reader.push(good.slice(0, 6) + good);
    expect(faults).toEqual([CORRUPT_FRAME]);
    expect(frames).toHaveLength(1);
  });

  it('drops an oversized line once, then reads the next frame', () => {
    const { frames, faults, reader } = collect();
    reader.push('>' + 'A'.repeat(MAX_LINE + 50) + '\n' + encodeFrame('>', Uint8Array.of(7)));
    expect(faults).toEqual([LINE_TOO_LONG]);
    expect(frames).toHaveLength(1);
  });

  it('accepts the largest body and never emits control characters', () => {
    const line = encodeFrame('>', randomBytes(MAX_BODY));
    expect(line.length).toBeLessThanOrEqual(MAX_LINE + 1);
    expect(/[\x00-\x09\x0b-\x1f\x7f-\xff]/.test(line)).toBe(false);
    const { frames } = collect();
    const r = collect();
    r.reader.push(line);
    expect(r.frames).toHaveLength(1);
    expect(frames).toHaveLength(0);
  });
});

describe('messages', () => {
  it('round-trips a request with every field type', () => {
    const req = {
      id: 17,
      command: COMMANDS.ADD,
      fields: { name: 'root@123456789012', issuer: 'AWS', algorithm: 1, digits: 6, period: 30, secret: new Uint8Array(40).fill(3), timeMs: 4102444800123 },
    };
    const back = decodeRequest(encodeRequest(req));
    expect(back).toEqual(req);
  });

  it('round-trips a list reply', () => {
    const reply = { id: 3, status: 0, fields: { account: [{ name: 'a', issuer: '', algorithm: 2, digits: 8, period: 60 }, { name: 'b', issuer: 'X', algorithm: 3, digits: 10, period: 30 }] } };
    expect(decodeReply(encodeReply(reply))).toEqual(reply);
  });

  it('rejects bad versions, truncated fields, duplicates and over-long values with a named error', () => {
    const ok = encodeRequest({ id: 1, command: 5, fields: { name: 'x' } });
    const badVersion = Uint8Array.from(ok);
    badVersion[0] = 2;
    expect(() => decodeRequest(badVersion)).toThrow(/version 2/);
    expect(() => decodeRequest(ok.subarray(0, ok.length - 1))).toThrow(/runs past the end/);
    const dup = Uint8Array.of(1, 1, 5, 1, 1, 0x61, 1, 1, 0x62);
    expect(() => decodeRequest(dup)).toThrow(/field 1 appears twice/);
    const long = Uint8Array.of(1, 1, 4, 6, 65, ...new Uint8Array(65));
    expect(() => decodeRequest(long)).toThrow(/field 6 is 65 bytes/);
    expect(() => decodeRequest(Uint8Array.of(1, 1))).toThrow(/header/);
  });

  it('skips unknown tags for forward compatibility', () => {
    const body = Uint8Array.of(1, 4, COMMANDS.LIST, 200, 2, 9, 9, 1, 1, 0x7a);
    expect(decodeRequest(body).fields).toEqual({ name: 'z' });
  });

  it('names every error code', () => {
    for (const [name, code] of Object.entries(ERRORS)) expect(errorName(code)).toBe(name);
    expect(errorName(99)).toBe('ERROR_99');
  });
});
