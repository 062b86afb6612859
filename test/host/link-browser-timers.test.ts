// host/lib's link also runs in the web page (host/web), where setInterval
// returns a number, not Node's Timeout: the WHATWG HTML timer initialization
// steps return an integer handle, with no unref(). The session keepalive must
// work there too (it once called unref() unconditionally, so every
// TokenClient the page made threw "this.keepalive.unref is not a function").
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TokenClient } from '../../host/lib/client.ts';
import { KEEPALIVE_MS } from '../../host/lib/link.ts';
import { COMMANDS } from '../../protocol/messages.ts';
import { HELLO_FIELDS, mockDevice } from '../helpers/mock-device.ts';

/** Browser-shaped interval timers over Node's: integer handles, nothing else on them. */
function browserTimers() {
  const realSet = globalThis.setInterval;
  const realClear = globalThis.clearInterval;
  const live = new Map<number, ReturnType<typeof realSet>>();
  let next = 1;
  return {
    install() {
      (globalThis as { setInterval: unknown }).setInterval = (fn: () => void, ms: number) => {
        const handle = next++;
        live.set(handle, realSet(fn, ms));
        return handle;
      };
      (globalThis as { clearInterval: unknown }).clearInterval = (handle: number) => {
        const t = live.get(handle);
        if (t) realClear(t);
        live.delete(handle);
      };
    },
    restore() {
      globalThis.setInterval = realSet;
      globalThis.clearInterval = realClear;
      for (const t of live.values()) realClear(t);
      live.clear();
    },
    live: () => live.size,
  };
}

describe('the host link with a browser’s timers', () => {
  const timers = browserTimers();
  beforeEach(() => timers.install());
  afterEach(() => timers.restore());

  it('opens a client, keeps the session alive with pings, and stops them on close', async () => {
    const session = new Uint8Array(8).fill(7);
    const dev = mockDevice((req) => [{ fields: req.command === COMMANDS.HELLO ? { ...HELLO_FIELDS, session } : {} }]);
    await dev.transport.open();
    const client = new TokenClient(dev.transport, { timeoutMs: 1000 });
    await client.hello();
    await new Promise((r) => setTimeout(r, KEEPALIVE_MS + 300));
    const pings = dev.requests.filter((r) => r.command === COMMANDS.PING);
    expect(pings.length).toBeGreaterThan(0);
    expect(Buffer.from(pings[0].fields.session as Uint8Array).equals(Buffer.from(session))).toBe(true);
    await client.close();
    expect(timers.live()).toBe(0);
  });
});
