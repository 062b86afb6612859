// The johnny-five board end to end: the token app on the johnny-five port
// with our mock IO (I2C into an emulated PCF8574 + HD44780, buttons as pin
// changes), its link on a pty pair (as /dev/ttyGS0 would be; TCP without
// socat), and the host's real TokenClient on the other end. Codes are read
// off the emulated LCD's characters and compared with otplib's.
import { SETTLE_MS } from '../../firmware/presence.ts';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BoardProfile } from '../../boards/profile.ts';
import { rpiZeroLcd1602 } from '../../boards/rpi-zero-lcd1602.ts';
import { loadModule, startJ5Token } from '../../firmware/ports/johnny-five/j5-token.ts';
import type { J5Token, JohnnyFive } from '../../firmware/ports/johnny-five/j5-token.ts';
import { hasSocat } from '../../firmware/ports/node/serial-links.ts';
import { TokenClient } from '../../host/lib/client.ts';
import type { Waiting } from '../../host/lib/client.ts';
import { serialTransport } from '../../host/lib/transport/serial.ts';
import { tcpTransport } from '../../host/lib/transport/tcp.ts';
import type { Algorithm } from '../../protocol/hash.ts';
import { otplibTotp } from '../helpers/providers.ts';
import { Hd44780, readCodeScreen } from './hd44780.ts';
import { MockIO } from './mock-io.ts';
import { ptyPair } from './pty-pair.ts';

// Presses wait out the token's 1 s settle time.
vi.setConfig({ testTimeout: 20_000 });

const NEXT = 'GPIO17';
const CONFIRM = 'GPIO27';
const T0 = Date.UTC(2026, 0, 1, 0, 0, 7); // 7 s into a 30 s period
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Seeds as in RFC 6238 appendix B, one per algorithm (20/32/64 bytes). */
const ACCOUNTS: { name: string; issuer: string; algorithm: Algorithm; digits: number; period: number; seed: string }[] = [
  { name: 'alice', issuer: 'GitHub', algorithm: 'SHA1', digits: 6, period: 30, seed: '12345678901234567890' },
  { name: 'root', issuer: 'AWS', algorithm: 'SHA256', digits: 8, period: 60, seed: '12345678901234567890123456789012' },
  { name: 'ops', issuer: '', algorithm: 'SHA512', digits: 8, period: 30, seed: '1234567890'.repeat(6) + '1234' },
];
const seedOf = (a: (typeof ACCOUNTS)[number]) => new Uint8Array(Buffer.from(a.seed, 'ascii'));
const expected = (a: (typeof ACCOUNTS)[number], ms: number) => otplibTotp(seedOf(a), Math.floor(ms / 1000), a.digits, a.period, a.algorithm);

interface Rig {
  token: J5Token;
  panel: Hd44780;
  io: MockIO;
  client: TokenClient;
  close(): Promise<void>;
}

describe('rpi-zero-lcd1602: the token through johnny-five, over the wire', () => {
  let five: JohnnyFive;
  let dir: string;
  let now = T0;
  const rigs: Rig[] = [];
  const socats: ChildProcess[] = [];

  beforeAll(async () => {
    five = (await loadModule('johnny-five')) as unknown as JohnnyFive;
    dir = mkdtempSync(join(tmpdir(), 'tt-j5-'));
  });
  afterEach(async () => {
    for (const r of rigs.splice(0)) await r.close();
  });
  afterAll(() => {
    for (const c of socats) c.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(bootId: string, opts: { tcp?: boolean; board?: BoardProfile; state?: string } = {}): Promise<Rig> {
    const board = opts.board ?? rpiZeroLcd1602;
    const panel = new Hd44780();
    const io = new MockIO({ [board.display.address as number]: panel });
    let link = 'tcp://127.0.0.1:0';
    let hostPort = '';
    if (!opts.tcp && hasSocat()) {
      const pair = await ptyPair(mkdtempSync(join(dir, 'pty-')));
      socats.push(pair.child);
      link = pair.device;
      hostPort = pair.host;
    }
    const token = await startJ5Token({ five, io, board, link, stateDir: join(dir, opts.state ?? 'state'), bootId, timeSource: () => now });
    const transport = hostPort ? serialTransport(hostPort) : tcpTransport(token.address);
    await transport.open();
    const client = new TokenClient(transport, { timeoutMs: 3000 });
    const rig = {
      token, panel, io, client,
      close: async () => {
        await client.close();
        await token.close();
      },
    };
    rigs.push(rig);
    return rig;
  }

  /** Down, held long enough for johnny-five's 7 ms debounce, up. */
  async function press(io: MockIO, pin: string): Promise<void> {
    io.press(pin);
    await sleep(25);
    io.release(pin);
    await sleep(25);
  }

  /** The code and seconds on the LCD's second line, and the label on the first. */
  function readLcd(panel: Hd44780): { label: string; code: string; secondsLeft: number } {
    const shown = readCodeScreen(panel.lines());
    if (shown.code === null) throw new Error(`no code on the LCD: ${JSON.stringify(panel.lines())}`);
    return { label: shown.label, code: shown.code, secondsLeft: shown.secondsLeft! };
  }

  it('HELLO, TIME_SET, ADD x3, LIST, KEY_CHECK; codes on the LCD equal otplib; CODE after the confirm button', async () => {
    now = T0;
    const { client, panel, io, token } = await start('boot-1');

    const hello = await client.hello();
    expect(hello).toMatchObject({ board: 'rpi-zero-lcd1602', algorithms: ['SHA1', 'SHA256', 'SHA512'], slotsTotal: 32, slotsFree: 32, clock: { set: false } });
    expect(panel.lines()[0]).toBe('Clock not set   ');

    await client.timeSet(T0);
    expect(panel.lines()).toEqual(['No accounts     ', 'totp-token add  ']);

    for (const a of ACCOUNTS) await client.add({ name: a.name, issuer: a.issuer, algorithm: a.algorithm, digits: a.digits, period: a.period, secret: seedOf(a) });
    expect(await client.list()).toEqual(ACCOUNTS.map(({ name, issuer, algorithm, digits, period }) => ({ name, issuer, algorithm, digits, period })));
    for (const a of ACCOUNTS) expect((await client.verify(a.name, a.algorithm, seedOf(a))).match).toBe(true);

    // The display, account by account (the "next" button), read off the HD44780's DDRAM.
    const labels = ['GitHub: alice', 'AWS: root', 'ops'];
    for (let i = 0; i < ACCOUNTS.length; i++) {
      if (i > 0) await press(io, NEXT);
      const shown = readLcd(panel);
      expect(shown.label).toBe(labels[i]);
      expect(shown.code).toBe(expected(ACCOUNTS[i], now));
      expect(shown.secondsLeft).toBe(ACCOUNTS[i].period - 7);
    }
    expect(panel.lines()).toEqual(['ops             ', expected(ACCOUNTS[2], now) + ' 3/3 23s']);

    // CODE over USB waits for the confirm button; the LCD asks for it meanwhile.
    const asked: string[][] = [];
    const waiting: Waiting[] = [];
    const reply = await client.code('root', (w) => {
      waiting.push(w);
      asked.push(panel.lines());
      setTimeout(() => void press(io, CONFIRM), SETTLE_MS + 100); // a press counts once the request has been on screen this long
    });
    expect(waiting).toEqual([{ action: 'send code: "root"', timeoutS: 30 }]);
    expect(asked[0]).toEqual(['Confirm (30s):  ', 'send code: "root']); // the closing quote comes on the next page
    expect(reply.code).toBe(expected(ACCOUNTS[1], now));
    expect(readLcd(panel).label).toBe('ops'); // back to the code screen

    // The next period: the LCD follows the clock (the port's 1 s tick redraws).
    now += 30000;
    await sleep(1100);
    expect(readLcd(panel)).toEqual({ label: 'ops', code: expected(ACCOUNTS[2], now), secondsLeft: 23 });
    expect(expected(ACCOUNTS[2], now)).not.toBe(expected(ACCOUNTS[2], now - 30000));

    // Seeds are in owner-only files.
    const state = join(dir, 'state');
    expect(statSync(state).mode & 0o777).toBe(0o700);
    for (const f of readdirSync(join(state, 'storage'))) expect(statSync(join(state, 'storage', f)).mode & 0o777).toBe(0o600);
    expect(panel.faults).toEqual([]);
    expect(token.lines()).toEqual(panel.lines());
  });

  // Continues from the state the first test left (three accounts, clock set in 'boot-1').
  it('keeps accounts and time across a restart in the same boot; forgets the time after a reboot', async () => {
    now = T0 + 60000;
    const same = await start('boot-1');
    const info = await same.client.hello();
    expect(info.clock.set).toBe(true);
    expect(info.slotsFree).toBe(29);
    expect(readLcd(same.panel).code).toBe(expected(ACCOUNTS[0], now));
    await same.close();
    rigs.splice(0);

    const rebooted = await start('boot-2');
    expect((await rebooted.client.hello()).clock.set).toBe(false);
    expect(rebooted.panel.lines()[0]).toBe('Clock not set   ');
    expect((await rebooted.client.list()).map((a) => a.name)).toEqual(['alice', 'root', 'ops']);
  });

  it('one button over TCP: a short press moves on, holding it confirms', async () => {
    now = T0;
    const oneButton: BoardProfile = { ...rpiZeroLcd1602, buttons: [{ role: 'next+confirm', pin: NEXT, activeLow: true }] };
    const { client, panel, io } = await start('boot-1', { tcp: true, board: oneButton, state: 'state-one-button' });
    await client.hello();
    await client.timeSet(T0);
    for (const a of ACCOUNTS.slice(0, 2)) await client.add({ name: a.name, issuer: a.issuer, algorithm: a.algorithm, digits: a.digits, period: a.period, secret: seedOf(a) });
    expect(readLcd(panel).label).toBe('GitHub: alice');
    await press(io, NEXT);
    expect(readLcd(panel)).toEqual({ label: 'AWS: root', code: expected(ACCOUNTS[1], now), secondsLeft: 53 });

    const reply = await client.code('alice', () => {
      // johnny-five's "hold" fires after 500 ms down; the press comes after the token's settle time.
      setTimeout(() => io.press(NEXT), SETTLE_MS);
      setTimeout(() => io.release(NEXT), SETTLE_MS + 700);
    });
    expect(reply.code).toBe(expected(ACCOUNTS[0], now));
    await sleep(50);
    expect(readLcd(panel).label).toBe('AWS: root'); // the hold confirmed; it did not also move on
  });
});
