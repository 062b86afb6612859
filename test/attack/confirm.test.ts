// Point 2 of issue 14: a confirmation a host cannot swap or disguise.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CMD, provision, seed, STATUS, TAG, text } from './attacker.ts';
import type { Attacker, FieldList, Target } from './attacker.ts';
import { startTarget, targetKinds } from './targets.ts';

describe.each(targetKinds())('confirmations on %s', (kind) => {
  let target: Target;
  beforeEach(async () => {
    target = await startTarget(kind);
  });
  afterEach(async () => {
    await target.close();
  });

  it('a request swapped in one write just before the press is not released', async () => {
    const a = await provision(target, ['work', 'bank']);
    expect((await a.send(CMD.CODE, [[TAG.name, 'work']]))?.status).toBe(STATUS.WAITING);
    await target.sleep(2000); // the user reads "send code: work" and reaches for the button
    // HELLO and CODE bank in one write; the session id of the new HELLO is not known yet,
    // so the swap goes without one (and with the old one, for a token that has none).
    const hello = a.frame(CMD.HELLO);
    const bank = a.frame(CMD.CODE, [[TAG.name, 'bank']]);
    await a.conn.write(hello.text + bank.text);
    await a.waitFor((r) => r.id === bank.id, 500);
    await target.sleep(20);
    await target.press('confirm');
    const h = a.replies.find((r) => r.id === hello.id);
    if (h) a.session = h.fields.get(TAG.session)?.[0];
    await a.send(CMD.PING, [], { ms: 300 });
    await target.sleep(300);
    expect(a.codes()).toEqual([]);
    await a.close();
  });

  it('a request shown for the settle time is released by a press', async () => {
    const a = await provision(target, ['bank']);
    expect((await a.send(CMD.CODE, [[TAG.name, 'bank']]))?.status).toBe(STATUS.WAITING);
    await target.sleep(20);
    await target.press('confirm'); // too early: ignored, the request stays
    await target.sleep(1200);
    await target.press('confirm');
    await a.send(CMD.PING, [], { ms: 300 });
    expect(await a.waitFor((r) => text(r, TAG.code) !== undefined, 1000)).toBeDefined();
    await a.close();
  });

  async function confirmScreen(a: Attacker, command: number, fields: FieldList): Promise<{ screen: string; action: string }> {
    const r = await a.send(command, fields);
    expect(r?.status).toBe(STATUS.WAITING);
    const screen = await target.screen();
    const action = text(r!, TAG.action)!;
    await target.press('next'); // cancel
    await a.waitFor((x) => x.id === r!.id && x.status !== STATUS.WAITING, 500);
    return { screen, action };
  }

  it('a name with bytes the font lacks does not look like another name', async () => {
    const a = await provision(target, ['bank']);
    const r = await a.send(CMD.ADD, [[TAG.name, 'bank\x80'], [TAG.secret, seed(20, 'evil')]]);
    expect(r?.status).toBe(STATUS.OK);
    const real = await confirmScreen(a, CMD.CODE, [[TAG.name, 'bank']]);
    const fake = await confirmScreen(a, CMD.CODE, [[TAG.name, 'bank\x80']]);
    expect(fake.screen).not.toBe(real.screen);
    expect(fake.action).not.toBe(real.action);
    // And the escape itself cannot be typed: an ASCII name spelling it differs too.
    expect((await a.send(CMD.ADD, [[TAG.name, 'bank\\x80'], [TAG.secret, seed(20, 'evil2')]]))?.status).toBe(STATUS.OK);
    const typed = await confirmScreen(a, CMD.CODE, [[TAG.name, 'bank\\x80']]);
    expect(typed.screen).not.toBe(fake.screen);
    await a.close();
  });

  it('an HOTP code request shows its name quoted and escaped too: a trailing space or a byte the font lacks shows', async () => {
    const a = await provision(target, []);
    const names = ['vpn', 'vpn ', 'vpn\x80', 'vpn\\x80'];
    for (const name of names) {
      const r = await a.send(CMD.ADD, [[TAG.name, name], [TAG.algorithm, 1], [TAG.digits, 6], [TAG.secret, seed(20, name)], [TAG.type, 1], [TAG.counter, 0]]);
      expect(r?.status, name).toBe(STATUS.OK);
    }
    const shown: string[] = [];
    for (const name of names) shown.push((await confirmScreen(a, CMD.CODE, [[TAG.name, name], [TAG.type, 1]])).screen);
    expect(new Set(shown).size).toBe(names.length);
    await a.close();
  });

  it('quotes in names cannot forge a rename text', async () => {
    const a = await provision(target, ['bank', 'bank" to "x']);
    const one = await confirmScreen(a, CMD.RENAME, [[TAG.name, 'bank'], [TAG.newName, 'x" to "work']]);
    const two = await confirmScreen(a, CMD.RENAME, [[TAG.name, 'bank" to "x'], [TAG.newName, 'work']]);
    expect(one.action).not.toBe(two.action);
    expect(one.screen).not.toBe(two.screen);
    await a.close();
  });
});
