// HOTP counter durability: make codes (confirm presses on the device and
// CODE over USB), cutting power at every single storage step in turn, then
// restart on what storage holds and go on. However the cut falls, no counter
// is ever revealed twice and none goes back: the token stores counter + 1
// (read back) before it makes the code from counter (commands.ts nextHotp).
// Same stepped, tearing storage as power-cut.test.ts.
import { describe, expect, it } from 'vitest';
import { COMMANDS, STATUS_OK, STATUS_WAITING, TYPE_HOTP } from '../../protocol/messages.ts';
import { fakeToken, SteppedStorage } from '../helpers/fake-ports.ts';
import type { FakeToken } from '../helpers/fake-ports.ts';
import { readCode, readText } from '../helpers/ocr.ts';
import { otplibHotp } from '../helpers/providers.ts';

const SECRET = () => new Uint8Array(20).map((_, i) => 0x30 + i);
type Revealed = { counter: number; code: string; how: string };

/** A press of confirm on the account's screen: the code shown, with the counter from the footer ("1/2 #5"). */
function pressForCode(t: FakeToken, out: Revealed[]): void {
  t.press('confirm');
  const code = readCode(t.fb);
  if (code === null) return;
  const m = /#(\d+)/.exec(readText(t.fb, 0, 56, 1, 12));
  out.push({ counter: Number(m![1]), code, how: 'screen' });
}

/** CODE over USB with the button: the code in the reply. */
function usbCode(t: FakeToken, out: Revealed[]): void {
  const [w] = t.send(COMMANDS.CODE, { name: 'vpn', type: TYPE_HOTP });
  if (w?.status !== STATUS_WAITING) return;
  const [r] = t.press('confirm');
  if (r?.status === STATUS_OK) out.push({ counter: r.fields.counter as number, code: r.fields.code as string, how: 'usb' });
}

const STEPS: ((t: FakeToken, out: Revealed[]) => void)[] = [pressForCode, usbCode, pressForCode, pressForCode, usbCode, usbCode, pressForCode];

function setUp(storage: SteppedStorage): FakeToken {
  const t = fakeToken({ storage });
  expect(t.send(COMMANDS.ADD, { name: 'vpn', issuer: 'VPN', algorithm: 1, digits: 6, secret: SECRET(), type: TYPE_HOTP, counter: 40 })[0].status).toBe(STATUS_OK);
  return t;
}

function storedCounter(t: FakeToken): number {
  const [r] = t.send(COMMANDS.LIST, { type: TYPE_HOTP });
  return (r.fields.account as { counter: number }[])[0].counter;
}

describe('HOTP counter across power cuts', () => {
  for (const tear of ['overwrite', 'truncate'] as const) {
    it(`never reveals a counter twice or goes back, wherever power fails (${tear} tearing)`, () => {
      const full = new SteppedStorage();
      const t0 = setUp(full);
      const before = full.steps;
      const all: Revealed[] = [];
      for (const step of STEPS) step(t0, all);
      const stepsPerRun = full.steps - before;
      expect(all.map((r) => r.counter)).toEqual([40, 41, 42, 43, 44, 45, 46]);
      expect(stepsPerRun).toBeGreaterThan(STEPS.length * 2);

      let skipped = 0;
      for (let cut = 0; cut < stepsPerRun; cut++) {
        const storage = new SteppedStorage();
        storage.tear = tear;
        const t = setUp(storage);
        storage.cutAfter = storage.steps + cut;
        const revealed: Revealed[] = [];
        // Run until the power goes: a dead token does nothing more.
        for (const step of STEPS) {
          step(t, revealed);
          if (storage.steps > storage.cutAfter) break;
        }
        expect(storage.steps, `cut ${cut} happened`).toBeGreaterThan(storage.cutAfter);
        // Power back: a fresh start on whatever storage holds, then two more codes.
        storage.cutAfter = Infinity;
        const again = fakeToken({ storage });
        const stored = storedCounter(again);
        usbCode(again, revealed);
        pressForCode(again, revealed);
        const counters = revealed.map((r) => r.counter);
        for (let i = 1; i < counters.length; i++) expect(counters[i], `cut ${cut}: ${JSON.stringify(revealed)}`).toBeGreaterThan(counters[i - 1]);
        const lastBefore = counters.length > 2 ? counters[counters.length - 3] : 39;
        expect(stored, `cut ${cut}: stored counter after restart`).toBeGreaterThan(lastBefore);
        skipped += stored - lastBefore - 1; // a cut after the store and before the code costs one code, never more
        expect(stored - lastBefore - 1).toBeLessThanOrEqual(1);
        for (const r of revealed) expect(r.code).toBe(otplibHotp(SECRET(), r.counter, 6, 'SHA1'));
        expect(storedCounter(again)).toBe(counters[counters.length - 1] + 1);
      }
      console.log(`hotp power-cut (${tear}): ${stepsPerRun} cut points over ${STEPS.length} codes, none repeated or moved back; ${skipped} skipped`);
    });
  }

  it('a newest copy damaged after codes were shown never brings a shown counter back (the older generation is one code behind)', () => {
    for (const slot of ['tt.acc.0', 'tt.acc.1']) {
      const storage = new SteppedStorage();
      const t = setUp(storage);
      const shown: Revealed[] = [];
      for (const step of [usbCode, pressForCode, usbCode]) step(t, shown);
      expect(shown.map((r) => r.counter)).toEqual([40, 41, 42]);
      // A flipped bit in one stored copy (its CRC fails): the token loads the other.
      const copy = storage.data.get(slot)!;
      storage.data.set(slot, copy.slice(0, 20) + (copy[20] === 'A' ? 'B' : 'A') + copy.slice(21));
      const again = fakeToken({ storage });
      usbCode(again, shown);
      pressForCode(again, shown);
      const counters = shown.map((r) => r.counter);
      for (let i = 1; i < counters.length; i++) expect(counters[i], `${slot} damaged: ${JSON.stringify(counters)}`).toBeGreaterThan(counters[i - 1]);
      for (const r of shown) expect(r.code).toBe(otplibHotp(SECRET(), r.counter, 6, 'SHA1'));
    }
  });
});
