// Point 3 of issue 14: seeds under 10 bytes (80 bits) are refused, so the key
// check (no button) is no oracle: 2^80 HMACs per guess run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CMD, keyCheck, provision, seed, STATUS, TAG, text } from './attacker.ts';
import type { Target } from './attacker.ts';
import { startTarget, targetKinds } from './targets.ts';

describe.each(targetKinds())('seed length on %s', (kind) => {
  let target: Target;
  beforeAll(async () => {
    target = await startTarget(kind);
  });
  afterAll(async () => {
    await target.close();
  });

  it('refuses seeds of 1..9 bytes with a message naming the minimum, and takes 10', async () => {
    const a = await provision(target, []);
    for (const n of [1, 3, 9]) {
      const r = await a.send(CMD.ADD, [[TAG.name, 'short' + n], [TAG.secret, seed(n)]]);
      expect(r?.status, `${n}-byte seed`).toBe(STATUS.BAD_REQUEST);
      expect(text(r!, TAG.message)).toBeDefined();
      expect((await a.send(CMD.KEY_CHECK, [[TAG.name, 'short' + n]]))?.status).toBe(STATUS.NOT_FOUND);
    }
    const ok = await a.send(CMD.ADD, [[TAG.name, 'ten'], [TAG.secret, seed(10)]]);
    expect(ok?.status).toBe(STATUS.OK);
    expect(Buffer.from(ok!.fields.get(TAG.check)![0]!).equals(Buffer.from(keyCheck('sha1', seed(10))))).toBe(true);
    await a.close();
  });
});
