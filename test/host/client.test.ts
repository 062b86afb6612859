import { describeClock } from '../../host/cli/commands/time.ts';
import { describe, expect, it } from 'vitest';
import { keyCheckValue } from '../../protocol/keycheck.ts';
import { COMMANDS, ERRORS, HOST_CLOCK_SYNCED, HOST_CLOCK_UNSYNCED, STATUS_WAITING, TYPE_HOTP } from '../../protocol/messages.ts';
import { TokenClient } from '../../host/lib/client.ts';
import type { Waiting } from '../../host/lib/client.ts';
import { TokenError } from '../../host/lib/errors.ts';
import { nodeHashes } from '../../host/lib/hashes/node-hashes.ts';
import { textToWire } from '../../host/lib/text.ts';
import { HELLO_FIELDS, mockDevice } from '../helpers/mock-device.ts';
import type { Responder } from '../helpers/mock-device.ts';
import { tokenOf } from '../../host/lib/device-text.ts';
import { say as sayTokens } from '../../firmware/ports/espruino/say.ts';

async function connected(respond: Responder, opts: ConstructorParameters<typeof TokenClient>[1] = {}) {
  const dev = mockDevice(respond);
  await dev.transport.open();
  return { ...dev, client: new TokenClient(dev.transport, { timeoutMs: 100, ...opts }) };
}

const helloOr = (rest: Responder): Responder => (req, n) => (req.command === COMMANDS.HELLO ? [{ fields: HELLO_FIELDS }] : rest(req, n));

async function rejection(p: Promise<unknown>): Promise<TokenError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(TokenError);
    return e as TokenError;
  }
  throw new Error('expected the promise to reject');
}

describe('TokenClient over a mock transport', () => {
  it('says HELLO and decodes the capabilities', async () => {
    const { client, requests } = await connected(() => [{ fields: HELLO_FIELDS }]);
    const info = await client.hello();
    expect(info).toMatchObject({ board: 'mock', algorithms: ['SHA1', 'SHA256'], slotsTotal: 4, clock: { set: false } });
    expect(requests[0]).toMatchObject({ id: 1, command: COMMANDS.HELLO });
  });

  it('uses ids 1..255 and wraps past 0, which is reserved for faults', async () => {
    const { client, requests } = await connected(() => [{ fields: HELLO_FIELDS }]);
    for (let i = 0; i < 257; i++) await client.timeGet();
    expect(requests.map((r) => r.id).slice(253, 257)).toEqual([254, 255, 1, 2]);
  });

  it('times out when the device says nothing', async () => {
    const { client } = await connected(() => [], { timeoutMs: 40 });
    const e = await rejection(client.hello());
    expect(e.code).toBe('TIMEOUT');
    expect(e.message).toMatch(/no reply.*0\.04? s|no reply/);
  });

  it('retransmits once after a BAD_FRAME fault, then gives up', async () => {
    const once = await connected((_req, n) => (n === 1 ? [{ id: 0, status: ERRORS.BAD_FRAME, fields: { message: 'frame failed its check' } }] : [{ fields: HELLO_FIELDS }]));
    await once.client.hello();
    expect(once.transport.writes).toHaveLength(2);
    expect(once.transport.writes[1]).toBe(once.transport.writes[0]); // the same frame, same id

    const always = await connected(() => [{ id: 0, status: ERRORS.BAD_FRAME, fields: { message: 'frame failed its check' } }]);
    const e = await rejection(always.client.hello());
    expect(e.code).toBe('BAD_FRAME');
    expect(always.transport.writes).toHaveLength(2);
  });

  it('reports FRAME_TOO_LONG without retrying', async () => {
    const { client, transport } = await connected(() => [{ id: 0, status: ERRORS.FRAME_TOO_LONG, fields: { message: 'frame longer than the device accepts' } }]);
    expect((await rejection(client.hello())).code).toBe('FRAME_TOO_LONG');
    expect(transport.writes).toHaveLength(1);
  });

  it('surfaces WAITING, then waits past the normal timeout for the final reply', async () => {
    const seen: Waiting[] = [];
    const { client } = await connected(
      helloOr(() => [{ status: STATUS_WAITING, fields: { action: textToWire('WIPE all 2 accounts'), timeoutS: 0 } }, { delayMs: 150 }]),
      { timeoutMs: 50, presenceGraceMs: 300, onWaiting: (w) => seen.push(w) },
    );
    await client.wipe();
    expect(seen).toEqual([{ action: 'WIPE all 2 accounts', timeoutS: 0 }]);
  });

  it('ignores replies with another id (stale answers to abandoned requests)', async () => {
    const { client } = await connected((req) => [{ id: req.id + 7, fields: { ...HELLO_FIELDS, board: 'stale' } }, { fields: HELLO_FIELDS }]);
    expect((await client.hello()).board).toBe('mock');
  });

  it('turns device errors into TokenError with the ERRORS name and the device message', async () => {
    const { client } = await connected(helloOr(() => [{ status: ERRORS.NOT_FOUND, fields: { message: 'no account named "x"' } }]));
    const e = await rejection(client.keyCheck('x'));
    expect(e).toMatchObject({ code: 'NOT_FOUND', deviceMessage: 'no account named "x"' });
    const unknown = await connected(() => [{ status: 77, fields: {} }]);
    expect((await rejection(unknown.client.hello())).code).toBe('ERROR_77');
  });

  it('fails a request in flight when the link closes', async () => {
    const { client, transport } = await connected(() => []);
    const p = client.hello();
    await Promise.resolve();
    transport.emitClose();
    expect((await rejection(p)).code).toBe('DISCONNECTED');
  });

  it('keeps one request in flight: the next is written only after the reply', async () => {
    const { client, transport } = await connected(() => [{ fields: HELLO_FIELDS, delayMs: 20 }]);
    const a = client.hello();
    const b = client.timeGet();
    await new Promise((r) => setTimeout(r, 5));
    expect(transport.writes).toHaveLength(1);
    await Promise.all([a, b]);
    expect(transport.writes).toHaveLength(2);
  });

  it('refuses an algorithm the board lacks before the seed is written', async () => {
    const { client, requests } = await connected(helloOr(() => [{ fields: {} }]));
    const secret = new Uint8Array(64).fill(9);
    const e = await rejection(client.add({ name: 'a', issuer: '', algorithm: 'SHA512', digits: 6, period: 30, secret }));
    expect(e.code).toBe('UNSUPPORTED_ALGORITHM');
    expect(e.message).toMatch(/SHA512.*SHA1, SHA256/);
    expect(requests.map((r) => r.command)).toEqual([COMMANDS.HELLO]);
    expect(secret.every((b) => b === 0)).toBe(true);
  });

  it('adds with UTF-8 names, checks the key check and wipes the seed', async () => {
    const seed = new Uint8Array(40).fill(0xa5);
    const good = keyCheckValue(nodeHashes().SHA1!, seed);
    const { client, requests } = await connected(helloOr(() => [{ fields: { check: good } }]));
    const secret = new Uint8Array(seed);
    const r = await client.add({ name: 'Zoë', issuer: 'Bänk', algorithm: 'SHA1', digits: 6, period: 30, secret });
    expect(r.check).toBe(Buffer.from(good).toString('hex'));
    expect(requests[1].fields).toMatchObject({ name: 'Zo\u00c3\u00ab', issuer: 'B\u00c3\u00a4nk', algorithm: 1 });
    expect(secret.every((b) => b === 0)).toBe(true);
  });

  it('rejects a key check that does not match what was sent', async () => {
    const { client } = await connected(helloOr(() => [{ fields: { check: new Uint8Array(8) } }]));
    const e = await rejection(client.add({ name: 'a', issuer: '', algorithm: 'SHA1', digits: 6, period: 30, secret: new Uint8Array(20).fill(1) }));
    expect(e.code).toBe('KEY_CHECK_MISMATCH');
  });

  it('refuses seeds under 80 bits before anything is sent, and wipes them (KEY_CHECK would be an oracle)', async () => {
    for (const n of [1, 3, 9]) {
      const { client, requests } = await connected(helloOr(() => [{ fields: {} }]));
      const secret = new Uint8Array(n).fill(7);
      const e = await rejection(client.add({ name: 'short', issuer: '', algorithm: 'SHA1', digits: 6, period: 30, secret }));
      expect(e).toMatchObject({ code: 'BAD_INPUT' });
      expect(e.message).toMatch(new RegExp(`${n} bytes .*10 to 64 bytes \\(80 bits at least\\)`));
      expect(requests).toHaveLength(0);
      expect(secret.every((b) => b === 0)).toBe(true);
    }
  });

  it("carries HELLO's session id on every later request, and reads a locked HELLO's held-back fields from UNLOCK", async () => {
    const session = new Uint8Array(8).fill(0x5a);
    const salt = new Uint8Array(16).fill(3);
    const { client, requests } = await connected((req) => {
      if (req.command === COMMANDS.HELLO) return [{ fields: { protocol: 1, firmware: '1', board: 'b', locked: 1, salt, iterations: 10000, challenge: new Uint8Array(16).fill(4), session } }];
      if (req.command === COMMANDS.UNLOCK) return [{ fields: { algorithms: 1, slotsTotal: 32, slotsFree: 30, clock: 1, timeMs: 1_800_000_000_000, maxBody: 600, type: TYPE_HOTP } }];
      return [{ fields: { account: [], total: 0 } }];
    });
    const info = await client.hello();
    expect(info).toMatchObject({ locked: true, board: 'b', slotsTotal: 0, hotp: false });
    await client.unlock('pw');
    expect(client.info).toMatchObject({ locked: false, algorithms: ['SHA1'], slotsTotal: 32, slotsFree: 30, clock: { set: true }, hotp: true }); // HOTP support too comes with UNLOCK
    await client.list();
    expect(requests.map((r) => r.command)).toEqual([COMMANDS.HELLO, COMMANDS.UNLOCK, COMMANDS.LIST]);
    expect(requests[0].fields.session).toBeUndefined();
    for (const r of requests.slice(1)) expect(Buffer.from(r.fields.session as Uint8Array)).toEqual(Buffer.from(session));
  });

  it('pings while it waits for the button, collects the held outcome, and fails the wait when the token ends the session', async () => {
    const session = new Uint8Array(8).fill(1);
    let pings = 0;
    const { client, requests } = await connected(
      (req) => {
        if (req.command === COMMANDS.HELLO) return [{ fields: { ...HELLO_FIELDS, session } }];
        if (req.command === COMMANDS.CODE) return [{ status: STATUS_WAITING, fields: { action: 'send code: "a"', timeoutS: 30 } }];
        if (req.command === COMMANDS.PING && ++pings === 1) return [{ id: 2, fields: { code: '123456', secondsLeft: 9 } }, { fields: {} }];
        return [{ status: ERRORS.NO_SESSION, fields: { message: 'not in this session' } }];
      },
      { timeoutMs: 3000 },
    );
    await client.hello();
    expect(await client.code('a')).toEqual({ code: '123456', type: 'totp', secondsLeft: 9 }); // no type field on the wire: TOTP
    expect(requests.filter((r) => r.command === COMMANDS.PING).every((r) => Buffer.from(r.fields.session as Uint8Array).equals(Buffer.from(session)))).toBe(true);
    expect((await rejection(client.code('a'))).code).toBe('SESSION_ENDED'); // the next ping is refused: another host said HELLO
    await client.close();
  });

  it('refuses names over the byte limit counted in UTF-8', async () => {
    const { client, requests } = await connected(helloOr(() => [{ fields: {} }]));
    const e = await rejection(client.add({ name: 'é'.repeat(33), issuer: '', algorithm: 'SHA1', digits: 6, period: 30, secret: new Uint8Array(20) }));
    expect(e).toMatchObject({ code: 'BAD_INPUT' });
    expect(e.message).toMatch(/66 bytes/);
    expect(requests).toHaveLength(0);
  });

  it('follows LIST pages and decodes UTF-8', async () => {
    const acc = (name: string) => ({ name: textToWire(name), issuer: '', algorithm: 2, digits: 8, period: 60 });
    const { client, requests } = await connected((req) =>
      req.fields.start === undefined ? [{ fields: { account: [acc('ä'), acc('b')], total: 3, next: 2 } }] : [{ fields: { account: [acc('c')], total: 3 } }],
    );
    expect(await client.list()).toEqual([
      { name: 'ä', issuer: '', algorithm: 'SHA256', digits: 8, period: 60 },
      { name: 'b', issuer: '', algorithm: 'SHA256', digits: 8, period: 60 },
      { name: 'c', issuer: '', algorithm: 'SHA256', digits: 8, period: 60 },
    ]);
    expect(requests[1].fields.start).toBe(2);
  });

  it('syncs the clock to the midpoint of a measured round trip', async () => {
    let now = 1_800_000_000_000;
    const { client, requests } = await connected((req) => {
      now += 40; // each exchange takes 40 ms of "host time"
      return req.command === COMMANDS.TIME_GET ? [{ fields: { clock: 1, timeMs: now - 20 + 1500 } }] : [{ fields: { clock: 1, timeMs: req.fields.timeMs } }];
    });
    const r = await client.syncTime(() => now);
    expect(r.roundTripMs).toBe(40);
    expect(r.offsetBeforeMs).toBe(1500);
    expect(requests[1].fields.timeMs).toBe(1_800_000_000_040 + 20);
    expect(requests[1].fields.roundTripMs).toBe(40); // tells the device how much to trust this sync
  });

  it('sends no sync whose round trip was over MAX_ROUND_TRIP_MS (the device would refuse it) and says why', async () => {
    let now = 1_800_000_000_000;
    const { client, requests } = await connected((req) => {
      now += 12000; // a device answering this slowly says nothing about the time
      return [{ fields: { clock: 1, timeMs: req.fields.timeMs ?? now } }];
    });
    await expect(client.syncTime(() => now)).rejects.toThrow(/12000 ms to answer, over 10000 ms/);
    expect(requests.some((r) => r.command === COMMANDS.TIME_SET)).toBe(false);
  });

  it('tells the token whether this computer says its clock is synchronized, and nothing when it cannot tell', async () => {
    const { client, requests } = await connected((req) => [{ fields: { clock: 1, timeMs: req.fields.timeMs ?? 1_800_000_000_000 } }]);
    await client.syncTime(Date.now, undefined, 'unsynced');
    await client.syncTime(Date.now, undefined, 'synced');
    await client.syncTime(Date.now, undefined, 'unknown');
    expect(requests.filter((r) => r.command === COMMANDS.TIME_SET).map((r) => r.fields.hostClock)).toEqual([HOST_CLOCK_UNSYNCED, HOST_CLOCK_SYNCED, undefined]);
  });

  it('reads the last inconsistent sync and time show names it', async () => {
    const { client } = await connected(() => [{ fields: { clock: 1, timeMs: 1_800_000_000_000, errorMs: 3100, suspectAtMs: 1_799_999_000_000, suspectMs: -3012 } }]);
    const c = await client.timeGet();
    expect([c.suspectAtMs, c.suspectMs]).toEqual([1_799_999_000_000, -3012]);
    expect(describeClock(c)).toContain('the sync at 2027-01-15T07:43:20Z looked inconsistent: 3.012 s behind the token');
  });

  it('a Ctrl-C while the device waits sends a HELLO out of turn, which cancels it there', async () => {
    const { client, requests, transport } = await connected((req) =>
      req.command === COMMANDS.WIPE ? [{ status: STATUS_WAITING, fields: { action: 'WIPE', timeoutS: 30 } }] : [{ id: 1, status: ERRORS.PRESENCE_DENIED, fields: { message: 'cancelled: a new host session started' } }],
    );
    const p = client.wipe();
    await new Promise((r) => setTimeout(r, 5));
    expect(client.awaitingPresence).toBe(true);
    await client.interrupt();
    expect((await rejection(p)).code).toBe('PRESENCE_DENIED');
    expect(requests.map((r) => r.command)).toEqual([COMMANDS.WIPE, COMMANDS.HELLO]);
    expect(transport.writes).toHaveLength(2);
  });
});

describe('TokenClient and tokenized device text', () => {
  it('shows an Espruino token\'s error in the words of the firmware sources', async () => {
    const tokenized = sayTokens(tokenOf('no account named "%"'), 'ghost');
    const { client } = await connected(helloOr(() => [{ status: ERRORS.NOT_FOUND, fields: { message: tokenized } }]));
    const e = await rejection(client.remove('ghost'));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toBe('no account named "ghost"');
  });
});

describe('TokenClient and the USB password', () => {
  it('refuses a token that asks for too many (or too few) PBKDF2 iterations, before deriving anything', async () => {
    for (const iterations of [1e9, 1000]) {
      const hello = { ...HELLO_FIELDS, locked: 1, salt: new Uint8Array(16).fill(3), iterations, challenge: new Uint8Array(16).fill(4) };
      const { client, requests } = await connected((req) => (req.command === COMMANDS.HELLO ? [{ fields: hello }] : []));
      await client.hello();
      // 1e9 iterations would hold the host for minutes: the check comes before any derivation.
      const e = await rejection(client.unlock('a long enough password'));
      expect(e.code).toBe('BAD_REPLY');
      expect(e.message).toMatch(new RegExp(`asks for ${iterations} PBKDF2 iterations`));
      expect(requests.map((r) => r.command)).toEqual([COMMANDS.HELLO]);
    }
  });
});
