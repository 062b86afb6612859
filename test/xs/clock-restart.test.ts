// Issue 15: a restart keeps the clock's sub-second part and its learned rate,
// on the Moddable firmware in the real XS engine. Moddable's Time.set takes
// whole seconds (xs_time_set, shimmed in test/xs/shims/time.ts), so the port
// used to keep the fraction in RAM and lost it on every restart (up to a
// second off while reporting ±0.05 s). The clock record's anchor now holds it.
import { beforeAll, describe, expect, it } from 'vitest';
import { moddableEsp32Ssd1306 } from '../../boards/moddable-esp32-ssd1306.ts';
import { COMMANDS, STATUS_OK } from '../../protocol/messages.ts';
import { buildXsFirmware, shimConfigFor, startXsToken } from './moddable-harness.ts';
import type { XsFirmware } from './moddable-harness.ts';

const board = moddableEsp32Ssd1306;
const T0 = 1767225600900; // 2026-01-01T00:00:00.900Z: 900 ms past a whole second
const DAY = 86400000;
let firmware: XsFirmware;

beforeAll(async () => {
  firmware = await buildXsFirmware(board);
}, 120000);

describe('Moddable clock across a restart', () => {
  it('keeps the sub-second part and the learned rate when the RTC keeps running', async () => {
    let t = await startXsToken(board, firmware, shimConfigFor(board));
    expect((await t.send(COMMANDS.TIME_SET, { timeMs: T0, roundTripMs: 10 }))[0]!.status).toBe(STATUS_OK);
    let flash = (await t.preferences()).preferences;
    let raw = (await t.status()).nowMs;
    await t.close();
    // Restarted a week later, the RTC having run on 0.6 s fast (1 ppm): a sync teaches the rate.
    t = await startXsToken(board, firmware, shimConfigFor(board, { preferences: flash, bootTimeMs: raw + 7 * DAY + 600 }));
    expect((await t.send(COMMANDS.TIME_SET, { timeMs: T0 + 7 * DAY, roundTripMs: 10 }))[0]!.status).toBe(STATUS_OK);
    const before = (await t.send(COMMANDS.TIME_GET, {}))[0]!.fields;
    expect(before.driftCentiPpm).toBe(99); // 0.6 s in a week: 0.99 ppm
    flash = (await t.preferences()).preferences;
    raw = (await t.status()).nowMs;
    await t.close();

    const again = await startXsToken(board, firmware, shimConfigFor(board, { preferences: flash, bootTimeMs: raw }));
    const after = (await again.send(COMMANDS.TIME_GET, {}))[0]!.fields;
    expect(after.clock).toBe(1);
    expect(Math.abs((after.timeMs as number) - (before.timeMs as number))).toBeLessThanOrEqual(5);
    expect(after.driftCentiPpm).toBe(before.driftCentiPpm);
    await again.close();
  }, 120000);
});
