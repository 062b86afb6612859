// Point 8 of issue 14: a locked HELLO tells only what unlocking needs; body
// size limits exactly as specified; request id 0 is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFrame } from '../../protocol/frame.ts';
import { Attacker, CMD, provision, requestBody, seed, STATUS, TAG } from './attacker.ts';
import type { Target } from './attacker.ts';
import { startTarget, targetKinds } from './targets.ts';

const ACCESS_KEY = seed(32, 'access key');

describe.each(targetKinds())('limits on %s', (kind) => {
  let target: Target;
  beforeAll(async () => {
    target = await startTarget(kind);
  });
  afterAll(async () => {
    await target.close();
  });

  it('bodies over 600 bytes are refused as too long; 600 is read', async () => {
    const a = await provision(target, []);
    for (const size of [600, 601, 602]) {
      // LIST with an unknown tag (200) padding the body to `size` bytes.
      const head = requestBody(0, CMD.LIST, [[TAG.session, a.session ?? new Uint8Array(8)]]);
      const pad = size - head.length - 2;
      const body = requestBody(a.id(), CMD.LIST, [[TAG.session, a.session ?? new Uint8Array(8)]]);
      const full = new Uint8Array(size);
      full.set(body);
      full[body.length] = 200; // unknown tags are skipped; their length byte is one byte, so pad in pieces
      let at = body.length;
      let left = pad;
      while (left > 0) {
        const n = Math.min(255, left);
        full[at] = 200;
        full[at + 1] = n;
        at += 2 + n;
        left -= n + 2;
      }
      const trimmed = full.subarray(0, size);
      const from = a.replies.length;
      await a.conn.write(encodeFrame('>', trimmed));
      const r = await a.waitFor(() => true, 1000, from);
      if (size <= 600) expect(r?.status, `${size}-byte body`).not.toBe(STATUS.FRAME_TOO_LONG);
      else expect(r?.status, `${size}-byte body`).toBe(STATUS.FRAME_TOO_LONG);
    }
    await a.close();
  });

  it('a request with id 0 is refused', async () => {
    const a = await provision(target, []);
    const r = await a.send(CMD.TIME_GET, [], { id: 0 });
    expect(r).toBeDefined();
    expect(r!.status).not.toBe(STATUS.OK);
    expect(r!.fields.has(TAG.clock)).toBe(false);
    await a.close();
  });

  it('a locked HELLO tells only protocol, firmware, board, locked, salt, iterations, challenge (and the session)', async () => {
    const a = await provision(target, ['work']);
    expect((await a.send(CMD.SET_PASSWORD, [[TAG.accessKey, ACCESS_KEY]]))?.status).toBe(STATUS.WAITING);
    await target.sleep(1200);
    await target.press('confirm');
    await a.send(CMD.PING, [], { ms: 300 });
    await a.close();
    const b = await Attacker.connect(target);
    const h = await b.hello();
    const allowed = new Set<number>([TAG.protocol, TAG.firmware, TAG.board, TAG.locked, TAG.salt, TAG.iterations, TAG.challenge, TAG.session]);
    expect([...h.fields.keys()].filter((t) => !allowed.has(t))).toEqual([]);
    expect(h.fields.get(TAG.locked)?.[0]?.[0]).toBe(1);
    await b.close();
  });
});
