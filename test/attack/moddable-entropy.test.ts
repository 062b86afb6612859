// Attack: on a Moddable Pico, Math.random is newlib's rand(), never seeded
// (test/xs/shims/math-random.ts models it from the SDK's sources), so a firmware
// that draws salts and challenges from it repeats them after every restart: a
// recorded UNLOCK answer replays after any reboot, and every fresh token has
// the same salt. The firmware runs in the real XS engine (test/xs/moddable-harness.ts).
import { createHmac, pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ModdableBoardProfile } from '../../boards/moddable-profile.ts';
import { moddableEsp32Ssd1306 } from '../../boards/moddable-esp32-ssd1306.ts';
import { moddablePicoSsd1306 } from '../../boards/moddable-pico-ssd1306.ts';
import { COMMANDS, ERRORS, STATUS_OK, STATUS_WAITING } from '../../protocol/messages.ts';
import { xsSuite } from '../xs/moddable-harness.ts';

const BOARDS: ModdableBoardProfile[] = [moddablePicoSsd1306, moddableEsp32Ssd1306];
const T0 = 1767225600000;
const hex = (b: unknown) => Buffer.from(b as Uint8Array).toString('hex');
const deriveKey = (password: string, salt: Uint8Array, iterations: number) => new Uint8Array(pbkdf2Sync(password, salt, iterations, 32, 'sha256'));
const answer = (key: Uint8Array, challenge: Uint8Array) => new Uint8Array(createHmac('sha1', key).update(challenge).digest());

describe.each(BOARDS)('$id: salts and challenges come from the hardware, not an unseeded rand()', (board) => {
  const start = xsSuite(board, { bootTimeMs: T0 });

  it('two fresh tokens offer different salts', async () => {
    const salts = new Set<string>();
    for (let i = 0; i < 3; i++) salts.add(hex((await (await start()).send(COMMANDS.HELLO, {}))[0]!.fields.salt));
    expect(salts.size).toBe(3);
  }, 60000);

  it('a recorded UNLOCK answer does not open the token after a restart', async () => {
    const t = await start();
    const hello = (await t.send(COMMANDS.HELLO, {}))[0]!.fields;
    const key = deriveKey('correct horse', hello.salt as Uint8Array, hello.iterations as number);
    expect((await t.send(COMMANDS.SET_PASSWORD, { accessKey: key }))[0]!.status).toBe(STATUS_WAITING);
    await t.tick(1500);
    expect((await t.press('confirm'))[0]!.status).toBe(STATUS_OK);
    const flash = await t.persisted();

    // The host unlocks once; an eavesdropper on the cable records the exchange.
    const first = await start({ ...flash });
    const seen = (await first.send(COMMANDS.HELLO, {}))[0]!.fields;
    expect(seen.locked).toBe(1);
    const recorded = answer(key, seen.challenge as Uint8Array);
    expect((await first.send(COMMANDS.UNLOCK, { response: recorded }))[0]!.status).toBe(STATUS_OK);

    // After a reboot from the same flash the challenge is new, and the recording is worthless.
    const challenges = new Set([hex(seen.challenge)]);
    for (let i = 0; i < 2; i++) {
      const again = await start({ ...flash });
      const h = (await again.send(COMMANDS.HELLO, {}))[0]!.fields;
      challenges.add(hex(h.challenge));
      expect((await again.send(COMMANDS.UNLOCK, { response: recorded }))[0]!.status).toBe(ERRORS.WRONG_PASSWORD);
      expect((await again.send(COMMANDS.LIST, {}))[0]!.status).toBe(ERRORS.LOCKED);
    }
    expect(challenges.size).toBe(3);
  }, 90000);
});
