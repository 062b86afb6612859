// Issue 14 point 7: how far a host may move the clock without the button.
// The attacker is any process on the USB port: it sends TIME_SET frames
// (encoded with protocol/'s codecs by the fake token's link) to move the
// clock ahead and harvest future codes. The board is the Pico profile: an RC
// oscillator, typical drift 5,000 ppm (boards/espruino-pico-ssd1306.ts).
// Before the fix the free step grew with twice the board's typical drift
// since the trusted sync (19.5 min after a day, 7.4 h after 30 days) and the
// confirm text measured from the already-moved time.
import { describe, expect, it } from 'vitest';
import { COMMANDS, STATUS_OK, STATUS_WAITING } from '../../protocol/messages.ts';
import { fakeToken } from '../helpers/fake-ports.ts';
import type { FakeToken } from '../helpers/fake-ports.ts';

const DAY = 86400000;
const PPM = 4000; // this board's RC runs 4,000 ppm fast: inside the profile's typical 5,000

/** A Pico-profile token synced at day 0 (by fakeToken) and day 7 by an honest host; the raw clock drifts. */
function picoWithLearnedRate(): { t: FakeToken; trueMs: () => number; advance: (ms: number) => void } {
  const t = fakeToken({ typicalDriftPpm: 5000 });
  let trueMs = t.clock.now;
  const advance = (ms: number) => {
    trueMs += ms;
    t.clock.now += ms * (1 + PPM / 1e6);
  };
  advance(7 * DAY);
  const [r] = t.send(COMMANDS.TIME_SET, { timeMs: trueMs, roundTripMs: 20 });
  expect(r.status).toBe(STATUS_OK); // an honest sync after a week is free: 40 min of drift, as the board's profile allows
  return { t, trueMs: () => trueMs, advance };
}

describe('attack: moving the clock ahead without the button (issue 14 point 7)', () => {
  it('a day after the rate was learned, a 10-minute step needs the button', () => {
    const { t, trueMs, advance } = picoWithLearnedRate();
    advance(DAY);
    const [r] = t.send(COMMANDS.TIME_SET, { timeMs: trueMs() + 600000 });
    expect(r.status).toBe(STATUS_WAITING);
    expect(r.fields.action).toBe('move clock +10 min');
  });

  it('small free steps do not add up: each is measured from the token\'s own time', () => {
    const { t, trueMs, advance } = picoWithLearnedRate();
    advance(DAY);
    let waited = 0;
    for (let i = 1; i <= 10 && !waited; i++) {
      const [r] = t.send(COMMANDS.TIME_SET, { timeMs: trueMs() + 50000 * i }); // +50 s on top of the last step
      if (r.status === STATUS_WAITING) waited = i;
    }
    expect(waited).toBeGreaterThan(0);
    expect(waited).toBeLessThanOrEqual(2); // 100 s ahead of the token's own time is past its error estimate
  });

  it('the confirm text says how far the clock moves from the token\'s own time, not from where free steps put it', () => {
    const { t, trueMs, advance } = picoWithLearnedRate();
    advance(DAY);
    expect(t.send(COMMANDS.TIME_SET, { timeMs: trueMs() + 60000 })[0].status).toBe(STATUS_OK); // within the estimate: free
    const [r] = t.send(COMMANDS.TIME_SET, { timeMs: trueMs() + 300000 });
    expect(r.status).toBe(STATUS_WAITING);
    expect(r.fields.action).toBe('move clock +5 min'); // from the moved time it would read +4 min
  });

  it('a burst of honest-looking syncs cannot flush the learned rate and so widen the free step', () => {
    const { t, trueMs, advance } = picoWithLearnedRate();
    advance(DAY);
    for (let i = 0; i < 8; i++) {
      advance(1000);
      expect(t.send(COMMANDS.TIME_SET, { timeMs: trueMs(), roundTripMs: 5 })[0].status).toBe(STATUS_OK);
    }
    const [r] = t.send(COMMANDS.TIME_SET, { timeMs: trueMs() + 600000 });
    expect(r.status).toBe(STATUS_WAITING);
    t.press('next'); // refused at the device
    const [time] = t.send(COMMANDS.TIME_GET, {});
    expect(time.fields.driftCentiPpm).toBeGreaterThan(350000); // still 4,000 ppm known
  });

  it('a pair of syncs that agree with each other but not with the anchors cannot flush the learned rate either', () => {
    const { t, trueMs, advance } = picoWithLearnedRate();
    advance(DAY);
    expect(t.send(COMMANDS.TIME_SET, { timeMs: trueMs() + 60000, roundTripMs: 5 })[0].status).toBe(STATUS_OK); // free, held suspect
    advance(1000);
    expect(t.send(COMMANDS.TIME_SET, { timeMs: trueMs() + 60000, roundTripMs: 5 })[0].status).toBe(STATUS_OK); // agrees with it
    const [r] = t.send(COMMANDS.TIME_SET, { timeMs: trueMs() + 600000 });
    expect(r.status).toBe(STATUS_WAITING);
    t.press('next');
    expect(t.send(COMMANDS.TIME_GET, {})[0].fields.driftCentiPpm).toBeGreaterThan(350000);
  });
});
