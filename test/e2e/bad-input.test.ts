// Bad input, one test each, and after each the token's accounts are what
// they were: malformed and oversized frames and an unknown command (raw
// bytes on the pty), then refusals through the real CLI. Everything that
// reaches the token runs on every board (./boards.ts); what the CLI refuses
// on its own (bad base32, a web-link QR, no port, usage) never depends on the
// board, so it runs once, against the simulator.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { base32Encode } from '../../protocol/base32.ts';
import { encodeFrame } from '../../protocol/frame.ts';
import { COMMANDS, encodeRequest, ERRORS, STATUS_OK } from '../../protocol/messages.ts';
import { describeBoards, startToken } from './boards.ts';
import type { BoardToken } from './boards.ts';
import { cliForSuite, listNames, rawExchange, runCli, seeds, tempDir } from './harness.ts';

const cli = cliForSuite();
const BASELINE = ['alpha', 'beta'];
const newSeed = (n = 20) => {
  const s = new Uint8Array(randomBytes(n));
  seeds.push(s);
  return s;
};

const hello = (id: number) => encodeFrame('>', encodeRequest({ id, command: COMMANDS.HELLO, fields: {} }));

describeBoards('bad input', (board) => {
  let token: BoardToken;
  const add = (name: string, extra: string[] = [], port = token.address) => runCli(cli, ['add', '--name', name, '--port', port, ...extra], { input: base32Encode(newSeed()) });

  beforeAll(async () => {
    // Two slots and no SHA512: a small board, so "full" and "unsupported" are reachable.
    token = await startToken(board, { slots: 2, algorithms: ['SHA1', 'SHA256'] });
    for (const name of BASELINE) expect((await add(name)).code).toBe(0);
  }, 30_000);

  afterEach(async () => {
    expect(await listNames(cli, token.address)).toEqual(BASELINE);
  });

  afterAll(async () => {
    await token?.close();
  });

  describe('malformed frames on the wire', () => {
    it('a corrupt frame gets BAD_FRAME with id 0, and the link resynchronises', async () => {
      const good = hello(5);
      const badCrc = good.slice(0, 5) + (good[5] === 'A' ? 'B' : 'A') + good.slice(6);
      const replies = await rawExchange(token.address, 'line noise\r\n>not*base64\n' + badCrc + 'garbage' + good, 3);
      expect(replies.map((r) => [r.id, r.status])).toEqual([
        [0, ERRORS.BAD_FRAME],
        [0, ERRORS.BAD_FRAME],
        [5, STATUS_OK],
      ]);
    });

    it('an oversized frame gets FRAME_TOO_LONG with id 0, and the next frame is answered', async () => {
      const replies = await rawExchange(token.address, '>' + 'QUFB'.repeat(400) + '\n' + hello(6), 2);
      expect(replies.map((r) => [r.id, r.status])).toEqual([
        [0, ERRORS.FRAME_TOO_LONG],
        [6, STATUS_OK],
      ]);
    });

    it('an unknown command gets UNKNOWN_COMMAND with its id', async () => {
      const [r] = await rawExchange(token.address, (session) => encodeFrame('>', encodeRequest({ id: 7, command: 99, fields: { session } })), 1);
      expect([r.id, r.status, r.fields.message]).toEqual([7, ERRORS.UNKNOWN_COMMAND, 'unknown command 99']);
    });

    it('the device itself refuses an algorithm it lacks (a client that skipped the check)', async () => {
      const fields = { name: 'raw', algorithm: 3, digits: 6, period: 30, secret: newSeed(64) };
      const [r] = await rawExchange(token.address, (session) => encodeFrame('>', encodeRequest({ id: 8, command: COMMANDS.ADD, fields: { ...fields, session } })), 1);
      expect([r.id, r.status]).toEqual([8, ERRORS.UNSUPPORTED_ALGORITHM]);
    });
  });

  describe('refusals through the CLI, by the token', () => {
    it('an algorithm the board lacks is refused before the seed is sent (exit 9)', async () => {
      const r = await add('big', ['--algorithm', 'SHA512']);
      expect(r.code).toBe(9);
      expect(r.stderr).toContain(`board '${board}' cannot compute SHA512 (it has SHA1, SHA256)`);
    });

    it('a duplicate name (exit 7)', async () => {
      const r = await add('alpha');
      expect(r.code).toBe(7);
      expect(r.stderr).toMatch(/"alpha" exists already/);
    });

    it('a full token (exit 8)', async () => {
      const r = await add('gamma');
      expect(r.code).toBe(8);
      expect(r.stderr).toMatch(/no space left on the token for accounts: all 2 account slots are used/);
    });

    it('an unknown account (exit 4), and a name longer than the token keeps (exit 2)', async () => {
      expect((await runCli(cli, ['verify', 'nobody', '--port', token.address])).code).toBe(4);
      const long = await add('n'.repeat(65));
      expect(long.code).toBe(2);
      expect(long.stderr).toMatch(/name is 65 bytes/);
    });
  });

  describe.runIf(board === 'sim')('refusals by the CLI alone (board-independent: once)', () => {
    it('invalid base32 names the character and its position (exit 2)', async () => {
      const r = await runCli(cli, ['add', '--name', 'typo', '--port', token.address], { input: 'JBSWY3DP0HPK3PXP' });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/invalid character '0' at position 9/);
    });

    it('a QR code holding a web link (exit 2)', async () => {
      const png = join(tempDir('qr'), 'link.png');
      await QRCode.toFile(png, 'https://example.com/setup');
      const r = await runCli(cli, ['add', '--qr', png, '--port', token.address]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/this QR code holds a web link, not an otpauth:\/\/ key/);
    });

    it('a port that is not there (exit 3), and no port at all (exit 3)', async () => {
      const r = await runCli(cli, ['list', '--port', join(tempDir('none'), 'tty')]);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/cannot open/);
      const none = await runCli(cli, ['list']);
      expect(none.code).toBe(3);
      expect(none.stderr).toMatch(/no token found.*TOTP_TOKEN_PORT/);
    });

    it('usage errors exit 2', async () => {
      expect((await runCli(cli, ['add', '--digits', 'seven', '--name', 'x', '--port', token.address], { input: 'JBSWY3DPEHPK3PXP' })).code).toBe(2);
      expect((await runCli(cli, ['frobnicate'])).code).toBe(2);
      expect((await runCli(cli, ['wipe', '--port', token.address])).stderr).toMatch(/needs --yes when stdin is not a terminal/);
    });
  });
});
