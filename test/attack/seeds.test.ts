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

  it('no reply carries a secret: LIST pages and the RENAME reply hold the account fields without it', async () => {
    const a = await provision(target, ['one', 'two']);
    expect((await a.send(CMD.LIST))?.status).toBe(STATUS.OK);
    expect((await a.send(CMD.RENAME, [[TAG.name, 'one'], [TAG.newName, 'uno']]))?.status).toBe(STATUS.WAITING);
    await target.sleep(1200);
    await target.press('confirm');
    await a.send(CMD.PING); // the outcome comes with the session's next frame
    const renamed = await a.waitFor((r) => r.status === STATUS.OK && text(r, TAG.name) === 'uno', 2000);
    expect(renamed).toBeDefined();
    for (const r of a.replies) {
      expect(r.fields.has(TAG.secret), `reply ${r.id}`).toBe(false);
      for (const name of ['one', 'two']) expect(Buffer.from(r.body).includes(Buffer.from(seed(20, name))), `reply ${r.id}, seed of ${name}`).toBe(false);
    }
    await a.close();
  });
});
