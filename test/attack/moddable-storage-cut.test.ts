// Attack (or bad luck): power fails while the Pico writes its flash. The SDK's
// Pico Preference store (modules/files/preference/esp/modPreference.c) compacts
// by signing the new sector before copying the entries into it; when it copies
// into its first sector, a cut mid-copy leaves a signed sector holding part of
// the entries, which wins at the next start: the accounts, old and new, are
// gone. The shims model that code byte for byte over NOR flash
// (test/xs/shims/preference.ts, flash.ts), tearing the erase or page write the
// cut hits. A token must come back with the old account set or the new one,
// whichever flash operation the cut hits.
import { describe, expect, it } from 'vitest';
import { moddablePicoSsd1306 } from '../../boards/moddable-pico-ssd1306.ts';
import { COMMANDS, STATUS_OK } from '../../protocol/messages.ts';
import { xsSuite } from '../xs/moddable-harness.ts';
import type { XsToken } from '../xs/moddable-harness.ts';
import type { ShimConfig } from '../xs/shims/config.ts';

const board = moddablePicoSsd1306;
const T0 = 1767225600000;
const PREFERENCE_SECTOR_0 = String(0x1f8000);
const SIGNED = '41312181'; // kPreferencesMagic 0x81213141, little-endian
const account = (i: number) => ({ name: `root-${i}@example.com`, issuer: 'Amazon Web Services', algorithm: 1, digits: 6, period: 30, secret: new Uint8Array(40).fill(i + 1) });
const signedFirst = (flash: ShimConfig['flash']) => !!flash && (flash[PREFERENCE_SECTOR_0] ?? '').startsWith(SIGNED);

describe('moddable-pico-ssd1306: a power cut in any flash operation of an ADD keeps the old set or the new', () => {
  const start = xsSuite(board, { bootTimeMs: T0 });
  async function names(t: XsToken): Promise<string[]> {
    const [list] = await t.send(COMMANDS.LIST, {});
    expect(list!.status).toBe(STATUS_OK);
    return ((list!.fields.account as { name: string }[] | undefined) ?? []).map((a) => a.name);
  }

  it('including the one where the SDK store compacts into its first sector', async () => {
    // Fill the token one account at a time until an ADD makes the Preference
    // store compact into its first sector (a store the port does not use never does: then the last ADD).
    const t = await start({});
    await t.send(COMMANDS.TIME_SET, { timeMs: T0 });
    let before = await t.persisted();
    let target = -1;
    for (let i = 0; i < 9; i++) {
      const prior = await t.persisted();
      expect((await t.send(COMMANDS.ADD, account(i)))[0]!.status).toBe(STATUS_OK);
      const after = await t.persisted();
      before = prior;
      target = i;
      if (!signedFirst(prior.flash) && signedFirst(after.flash) && Object.keys(prior.preferences).length > 0) break;
    }
    const old = Array.from({ length: target }, (_, i) => account(i).name);
    const fresh = [...old, account(target).name];

    const probe = await start({ ...before });
    const from = (await probe.preferences()).writes;
    await probe.send(COMMANDS.ADD, account(target));
    const steps = (await probe.preferences()).writes - from;
    expect(steps).toBeGreaterThan(0);

    const lost: string[] = [];
    for (let cut = 0; cut < steps; cut++) {
      const cutOff = await start({ ...before, cutAfterWrites: from + cut });
      await cutOff.send(COMMANDS.ADD, account(target));
      const after = await start({ ...(await cutOff.persisted()) });
      const got = (await names(after)).join(',');
      if (got !== old.join(',') && got !== fresh.join(',')) lost.push(`cut in flash operation ${from + cut + 1}: ${got.split(',').filter(Boolean).length} accounts`);
      await Promise.all([cutOff.close(), after.close()]);
    }
    expect(lost, `adding account ${target + 1}`).toEqual([]);
  }, 600000);
});
