// The firmware on the real Espruino interpreter (its Linux build), when
// ESPRUINO_BIN names one: the ESP32 board's bundle in its Linux variant
// (linux-entry.ts) is flashed by the real flasher through the interpreter's
// own REPL on a pty (stored pretokenised, as for any 2v26..2v29 board),
// boots with load(), and answers protocol frames; after a
// restart it boots from its Storage with 20 accounts (memory figure), and a
// bench gives the time per code with the native SHA1.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasSocat } from '../../firmware/ports/node/serial-links.ts';
import { flashEspruino } from '../../host/lib/flash/espruino-flash.ts';
import { nodeHashes } from '../../host/lib/hashes/node-hashes.ts';
import { createTransport } from '../../host/lib/transport/index.ts';
import type { Transport } from '../../host/lib/transport/index.ts';
import { SETTLE_MS } from '../../firmware/presence.ts';
import { createFrameReader, encodeFrame } from '../../protocol/frame.ts';
import { keyCheckValue } from '../../protocol/keycheck.ts';
import { COMMANDS, decodeReply, encodeRequest, ERRORS, STATUS_OK, STATUS_WAITING } from '../../protocol/messages.ts';
import { deviceText } from '../../host/lib/device-text.ts';
import { otplibTotp } from '../helpers/providers.ts';
import type { Reply } from '../../protocol/messages.ts';
import type { Fields } from '../../protocol/tlv.ts';
import { ESPRUINO_BIN, ESPRUINO_SKIP_REASON, runOnEspruino, startInterpreter } from '../helpers/espruino-bin.ts';
import { createFramebuffer } from '../../firmware/ui/framebuffer.ts';
import { bundleEntry } from './harness.ts';
import { espruinoStoredForm } from '../../host/lib/build/esbuild-firmware.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const seed = (i: number) => new Uint8Array(40).map((_, j) => (i * 31 + j * 7 + 1) & 255);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (!ESPRUINO_BIN) console.warn(ESPRUINO_SKIP_REASON);

/**
 * Frames over a transport that is already open, spoken as a host does
 * (wire-protocol.md "Sessions"): the session id of the last HELLO goes with
 * every other request, and while a confirmation's outcome is awaited the host
 * pings (the token holds the outcome for the session's next frame).
 */
function frames(t: Transport) {
  const replies: Reply[] = [];
  let raw = '';
  let session: Uint8Array | undefined;
  const reader = createFrameReader(
    '<',
    (b) => {
      const r = decodeReply(b);
      if (r.fields.session instanceof Uint8Array) session = r.fields.session;
      replies.push(r);
    },
    () => replies.push({ id: -1, status: -1, fields: {} }),
  );
  t.onData((d) => {
    raw += d;
    reader.push(d);
  });
  let id = 1;
  return {
    raw: () => raw,
    async send(command: number, fields: Fields, timeoutMs = 5000): Promise<Reply> {
      const want = id++ % 200 || 1;
      const all = command === COMMANDS.HELLO || !session ? fields : { ...fields, session };
      await t.write(encodeFrame('>', encodeRequest({ id: want, command, fields: all })));
      for (const end = Date.now() + timeoutMs; Date.now() < end; await sleep(10)) {
        const r = replies.find((x) => x.id === want);
        if (r) return r;
      }
      throw new Error(`no reply to command ${command} within ${timeoutMs} ms; received: ${JSON.stringify(raw.slice(-300))}`);
    },
    /** The next reply to request `id` that is not a WAITING one (a confirmed action's result). */
    async reply(id: number, timeoutMs = 5000): Promise<Reply> {
      let pinged = 0;
      for (const end = Date.now() + timeoutMs; Date.now() < end; await sleep(10)) {
        const r = replies.find((x) => x.id === id && x.status !== STATUS_WAITING);
        if (r) return r;
        if (session && Date.now() - pinged > 500) {
          pinged = Date.now();
          await t.write(encodeFrame('>', encodeRequest({ id: 250, command: COMMANDS.PING, fields: { session } })));
        }
      }
      throw new Error(`no final reply to request ${id} within ${timeoutMs} ms; received: ${JSON.stringify(raw.slice(-300))}`);
    },
    /** Every account name, following LIST's pages. */
    async names(): Promise<string[]> {
      const names: string[] = [];
      for (let start: number | undefined = 0; start !== undefined; ) {
        const page: Reply = await this.send(COMMANDS.LIST, start ? { start } : {});
        for (const a of page.fields.account as Fields[]) names.push(String(a.name));
        start = page.fields.next as number | undefined;
      }
      return names;
    },
    async memory(): Promise<number> {
      const from = raw.length;
      await t.write('?mem\n');
      for (const end = Date.now() + 10000; Date.now() < end; await sleep(10)) { // generous: the interpreter is slow when the other suites run beside it
        const m = /#mem (\d+) (\d+)/.exec(raw.slice(from));
        if (m) return Number(m[1]);
      }
      throw new Error('no memory figure; received: ' + JSON.stringify(raw.slice(-300)));
    },
  };
}

describe.skipIf(!ESPRUINO_BIN || !hasSocat())('the firmware on the real Espruino interpreter', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tt-espruino-real-'));
  let code = '';
  const figures: string[] = [];

  beforeAll(async () => {
    code = await bundleEntry(join(here, 'linux-entry.ts'));
  }, 30_000);

  afterAll(() => {
    if (figures.length) console.log('Espruino figures:\n  ' + figures.join('\n  '));
  });

  it('is flashed through the interpreter\'s REPL, boots with load(), and answers HELLO, TIME_SET, ADD, KEY_CHECK, LIST', async () => {
    const esp = await startInterpreter(dir);
    const t = createTransport(esp.link.address);
    await t.open();
    try {
      const r = await flashEspruino(t, new Uint8Array(Buffer.from(code, 'latin1')), { firmwareBoards: ['LINUX'], startTimeoutMs: 15000 });
      // What ships: the flasher stores the bundle pretokenised for this 2v29, and the interpreter runs that.
      expect(r).toMatchObject({ espruino: { board: 'LINUX' }, form: 'tokens', textBytes: Buffer.byteLength(code, 'latin1'), verified: true, started: { board: 'espruino-esp32-ssd1306' } });
      expect(r.bytes).toBeLessThan(r.textBytes);
      figures.push(`flash over the real REPL: ${r.bytes} bytes stored (pretokenised from ${r.textBytes} bytes of text) in ${r.seconds} s`);
      const f = frames(t);
      const hello = await f.send(COMMANDS.HELLO, {});
      expect(hello.fields).toMatchObject({ board: 'espruino-esp32-ssd1306', algorithms: 7, slotsFree: 32 });
      figures.push(`process.memory().usage after boot, 0 accounts: ${await f.memory()}`);
      expect((await f.send(COMMANDS.TIME_SET, { timeMs: T0 })).fields).toMatchObject({ clock: 1 });
      for (let i = 0; i < 20; i++) {
        const add = await f.send(COMMANDS.ADD, { name: 'account' + i, issuer: 'Example', algorithm: (i % 3) + 1, digits: 6, period: 30, secret: seed(i) });
        expect(add.status, String(add.fields.message)).toBe(STATUS_OK);
      }
      const check = await f.send(COMMANDS.KEY_CHECK, { name: 'account4' });
      const sha256 = nodeHashes().SHA256!;
      expect(Buffer.from(check.fields.check as Uint8Array)).toEqual(Buffer.from(keyCheckValue(sha256, seed(4))));
      expect(await f.names()).toEqual(Array.from({ length: 20 }, (_, i) => 'account' + i));
      // Errors come tokenized; the host reads the words of the sources.
      const missing = await f.send(COMMANDS.REMOVE, { name: 'ghost' });
      expect(missing.status).toBe(ERRORS.NOT_FOUND);
      expect(String(missing.fields.message)).toMatch(/^\x1e/);
      expect(deviceText(String(missing.fields.message))).toBe('no account named "ghost"');
      const digits = await f.send(COMMANDS.ADD, { name: 'd', digits: 12, secret: seed(1) });
      expect([digits.status, deviceText(String(digits.fields.message))]).toEqual([ERRORS.BAD_REQUEST, 'digits must be 6..10, got 12']);
      // No REPL on the link any more: a line that would print a stored record gets no answer.
      const before = f.raw().length;
      await t.write('\x10print("TT"+"X",require("Storage").read("tt.acc.0"))\n');
      await sleep(1000);
      expect(f.raw().slice(before)).not.toMatch(/TTX/);
      expect((await f.send(COMMANDS.HELLO, {})).status).toBe(STATUS_OK);
    } finally {
      await t.close();
      await esp.stop();
    }
  }, 120_000);

  it('restarts from its Storage with the 20 accounts and the clock', async () => {
    const esp = await startInterpreter(dir);
    const t = createTransport(esp.link.address);
    await t.open();
    try {
      const f = frames(t);
      await sleep(1500);
      const usage = await f.memory();
      figures.push(`process.memory().usage after boot with 20 accounts: ${usage}`);
      const hello = await f.send(COMMANDS.HELLO, {});
      expect(hello.fields).toMatchObject({ clock: 1, slotsFree: 12 });
      expect((await f.names()).length).toBe(20);
      figures.push(`process.memory().usage after LIST of 20: ${await f.memory()}`);
    } finally {
      await t.close();
      await esp.stop();
    }
  }, 60_000);

  it('answers CODE over the wire after a long press with otplib\'s code: SHA1/256/512, 6-8 digits, 15/30/60 s, keys of 10-64 bytes', async () => {
    const esp = await startInterpreter(dir);
    const t = createTransport(esp.link.address);
    await t.open();
    try {
      const f = frames(t);
      await sleep(1500);
      expect((await f.send(COMMANDS.HELLO, {})).status).toBe(STATUS_OK);
      // Every algorithm with every digit count; each algorithm with every period and three key sizes.
      const matrix = [
        ['SHA1', 6, 30, 10], ['SHA1', 7, 60, 20], ['SHA1', 8, 15, 64],
        ['SHA256', 6, 15, 32], ['SHA256', 7, 30, 64], ['SHA256', 8, 60, 10],
        ['SHA512', 6, 60, 64], ['SHA512', 7, 15, 10], ['SHA512', 8, 30, 32],
      ] as const;
      const algorithmTag = { SHA1: 1, SHA256: 2, SHA512: 3 };
      // linux-entry holds the button 2.5 s per `?press`; a press before the
      // last one's release would end in that release and read as a short press.
      let released = 0;
      const press = async () => {
        await sleep(Math.max(SETTLE_MS, released - Date.now())); // a press counts once the request has been on screen for the settle time
        released = Date.now() + 3000;
        await t.write('?press\n');
      };
      for (const [i, [alg, digits, period, keyBytes]] of matrix.entries()) {
        const secret = new Uint8Array(keyBytes).map((_, j) => (i * 53 + j * 11 + 7) & 255);
        const name = `m${i}`;
        const add = await f.send(COMMANDS.ADD, { name, algorithm: algorithmTag[alg], digits, period, secret });
        expect(add.status, String(add.fields.message)).toBe(STATUS_OK);
        const before = (await f.send(COMMANDS.TIME_GET, {})).fields.timeMs as number;
        const h0 = Date.now();
        const waiting = await f.send(COMMANDS.CODE, { name });
        expect(waiting.status).toBe(STATUS_WAITING);
        const id = waiting.id;
        await press();
        const done = await f.reply(id, 10000);
        const after = before + (Date.now() - h0);
        expect(done.status, String(done.fields.message)).toBe(STATUS_OK);
        // The token computed the code at a time between `before` and `after`
        // (its clock): one of those steps' codes, by otplib.
        const steps = new Set([Math.floor(before / 1000 / period), Math.floor(after / 1000 / period)]);
        const want = [...steps].map((s) => otplibTotp(secret, s * period, digits, period, alg));
        expect(want, `${alg} ${digits} digits ${period} s ${keyBytes}-byte key`).toContain(done.fields.code);
        expect(String(done.fields.code)).toHaveLength(digits);
        await f.send(COMMANDS.REMOVE, { name }).then(async (r) => {
          if (r.status === STATUS_WAITING) {
            await press();
            await f.reply(r.id, 10000);
          }
        });
      }
    } finally {
      await t.close();
      await esp.stop();
    }
  }, 300_000);

  it('computes otplib\'s codes with the native SHA1/SHA256 and the pure SHA1 (and prints the time per code)', async () => {
    const bundle = join(dir, 'bench.js');
    writeFileSync(bundle, espruinoStoredForm(await bundleEntry(join(here, 'code-bench-entry.ts'))), 'latin1'); // pretokenised, as stored
    const { stdout } = runOnEspruino(bundle);
    const ms: Record<string, number> = {};
    const codes: Record<string, string> = {};
    for (const m of stdout.matchAll(/BENCH (\S+) ([\d.]+) (\d+)/g)) {
      ms[m[1]] = Number(m[2]);
      codes[m[1]] = m[3];
    }
    expect(Object.keys(ms), stdout.slice(-500)).toEqual(['native-SHA1', 'native-SHA256', 'pure-SHA1']);
    // Each run's last code (10 or 100 steps from 2026-01-01) is otplib's; the times are figures only.
    const secret = new Uint8Array(40).map((_, i) => (i * 37 + 11) & 255);
    expect(codes['native-SHA1']).toBe(otplibTotp(secret, 1767225600 + 99 * 30, 6, 30, 'SHA1'));
    expect(codes['native-SHA256']).toBe(otplibTotp(secret, 1767225600 + 99 * 30, 6, 30, 'SHA256'));
    expect(codes['pure-SHA1']).toBe(otplibTotp(secret, 1767225600 + 9 * 30, 6, 30, 'SHA1'));
    figures.push(`ms per code: ${Object.entries(ms).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  }, 120_000);
});

describe.skipIf(!ESPRUINO_BIN)('the SSD1306 canvas on the real interpreter', () => {
  it('sends the panel the same pixels as the shared framebuffer (bit 0 = top row of a page)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tt-espruino-panel-'));
    const bundle = join(dir, 'display.js');
    writeFileSync(bundle, espruinoStoredForm(await bundleEntry(join(here, 'display-entry.ts'))), 'latin1'); // pretokenised, as stored
    const { stdout } = runOnEspruino(bundle);
    const panels: Record<string, { bytes: Buffer; cellW: number; cellH: number }> = {};
    for (const m of stdout.matchAll(/PANEL (\w+) ([0-9a-f]*) (\d+)x(\d+)/g)) panels[m[1]] = { bytes: Buffer.from(m[2], 'hex'), cellW: Number(m[3]), cellH: Number(m[4]) };
    const fb = createFramebuffer(128, 64, () => {});
    fb.fillRect(0, 0, 1, 1);
    fb.fillRect(100, 40, 20, 4);
    expect(panels.rects?.bytes.length, stdout.slice(-300)).toBe(1024);
    expect(panels.rects.bytes.equals(Buffer.from(fb.buffer))).toBe(true);
    // Text in each built-in font: lit pixels only inside the cells the canvas
    // reports (2 glyphs at scale 2 from (8, 8)), so the layout's arithmetic holds.
    expect([panels.esp32.cellW, panels.esp32.cellH, panels.pico.cellW, panels.pico.cellH]).toEqual([6, 8, 4, 6]);
    for (const name of ['esp32', 'pico']) {
      const { bytes, cellW, cellH } = panels[name];
      let inside = 0;
      let outside = 0;
      for (let y = 0; y < 64; y++) {
        for (let x = 0; x < 128; x++) {
          if (!(bytes[x + (y >> 3) * 128] & (1 << (y & 7)))) continue;
          if (x >= 8 && x < 8 + 2 * cellW * 2 && y >= 8 && y < 8 + cellH * 2) inside++;
          else outside++;
        }
      }
      expect(inside, name).toBeGreaterThan(20);
      expect(outside, name).toBe(0);
    }
  }, 60_000);
});
