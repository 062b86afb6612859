// The flasher over a real pty: against the fake Espruino REPL (echo,
// prompts, DLE, Storage rules), whose load() boots what was written in the
// Espruino harness so the flasher sees the token answer; a corrupted chunk
// fails verification and nothing is started; a pty that is not Espruino and
// a running simulator token are refused with messages that say what to do.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { espruinoPicoSsd1306 as pico } from '../../boards/espruino-pico-ssd1306.ts';
import { startSimToken } from '../../firmware/ports/node/sim-token.ts';
import { hasSocat, openPtyLink } from '../../firmware/ports/node/serial-links.ts';
import { flashEspruino, storedForm } from '../../host/lib/flash/espruino-flash.ts';
import { LEX, lexEspruino, pretokenise, quoteString } from '../../host/lib/flash/espruino-tokens.ts';
import type { FlashOptions, FlashProgress } from '../../host/lib/flash/espruino-flash.ts';
import { createTransport } from '../../host/lib/transport/index.ts';
import { startFakeEspruinoRepl } from '../helpers/fake-espruino-repl.ts';
import type { FakeRepl, FakeReplOptions } from '../helpers/fake-espruino-repl.ts';
import { ensureCli, runCli } from '../e2e/harness.ts';
import { ESPRUINO_BIN, runOnEspruino } from '../helpers/espruino-bin.ts';
import { boolsAsWords, tsTokens } from '../helpers/ts-tokens.ts';
import { bootOnLoad, bundleEntry } from './harness.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tt-flash-'));
let code = '';
/** What the flasher stores for a 2v29 Espruino: the bundle pretokenised. */
let stored = '';
const closers: (() => Promise<void>)[] = [];
let n = 0;

beforeAll(async () => {
  code = await bundleEntry(root + pico.firmwareEntry!);
  stored = Buffer.from(storedForm(Buffer.from(code, 'latin1'), '2v29').stored).toString('latin1');
}, 60_000); // a build and a pretokenisation, under load

afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

/** A fake Pico REPL whose load() runs the written .bootcde in the harness, its USB on the pty. */
async function fakePico(extra: Partial<FakeReplOptions> = {}): Promise<FakeRepl> {
  const ticks: NodeJS.Timeout[] = [];
  const repl = await startFakeEspruinoRepl({
    linkPath: join(dir, `tty${n++}`),
    board: 'PICO_R1_3',
    onLoad: bootOnLoad(ticks),
    ...extra,
  });
  closers.push(async () => {
    ticks.forEach(clearInterval);
    await repl.close();
  });
  return repl;
}

/** The code Espruino's own tokeniser stores for `text` as a function body (E.setFlags({pretokenise:1}): jsparse.c keeps it in "\xFFcod"). */
function espruinoTokenised(text: string): string {
  const script = join(mkdtempSync(join(dir, 'own-')), 'own.js');
  writeFileSync(script, `E.setFlags({pretokenise:1});function f(){${text}}\nprint("OWN",btoa(f["\\xFFcod"]));`, 'latin1');
  const out = runOnEspruino(script).stdout;
  const own = /OWN ([A-Za-z0-9+/=]+)/.exec(out);
  if (!own) throw new Error('Espruino did not tokenise the code: ' + out.slice(-500));
  return Buffer.from(own[1], 'base64').toString('latin1');
}

async function flash(address: string, bytes: string, opts: FlashOptions = {}) {
  const t = createTransport(address);
  await t.open();
  try {
    return await flashEspruino(t, new Uint8Array(Buffer.from(bytes, 'latin1')), { firmwareBoards: pico.espruino.firmwareBoards, replMode: pico.espruino.replMode, ...opts });
  } finally {
    await t.close();
  }
}

describe('storedForm: the bytes the flasher writes', () => {
  // The bundle is bytes (one char per byte, protocol/latin1.ts): a byte >= 0x80 in a
  // string literal must reach Storage as that one byte in every form (not UTF-8's two),
  // and an empty bundle stores nothing. Node's latin1 Buffer codec is the independent check.
  const latin1 = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
  const src = 'var s="caf\xe9\x80\xff";print(s);';

  it('keeps bytes >= 0x80 as single bytes, pretokenised, as text, and written back out as text', () => {
    const tokens = storedForm(latin1(src), '2v29');
    expect(tokens.form).toBe('tokens');
    expect(tokens.stored).toEqual(latin1(pretokenise(src)));
    expect(Buffer.from(tokens.stored).indexOf(Buffer.from([0x66, 0xe9, 0x80, 0xff, 0x22]))).toBeGreaterThan(0);
    expect(storedForm(latin1(src), '2v30')).toMatchObject({ form: 'text', stored: latin1(src) });
    expect(storedForm(tokens.stored, '2v12')).toMatchObject({ form: 'text', stored: latin1(src) });
  });

  it('stores nothing for an empty bundle, in either form', () => {
    expect(storedForm(new Uint8Array(0), '2v29')).toMatchObject({ form: 'tokens', stored: new Uint8Array(0) });
    expect(storedForm(new Uint8Array(0), '2v30')).toMatchObject({ form: 'text', stored: new Uint8Array(0) });
  });
});

describe.skipIf(!hasSocat())('flash over the Espruino REPL protocol on a pty', () => {
  it('the fake REPL prompts after Ctrl-C, echoes typed lines, stays silent for DLE lines, and fails unknown names', async () => {
    const repl = await fakePico();
    const t = createTransport(repl.address);
    let got = '';
    t.onData((d) => (got += d));
    await t.open();
    try {
      const until = async (re: RegExp) => {
        for (let i = 0; i < 200 && !re.test(got); i++) await new Promise((r) => setTimeout(r, 10));
        expect(got).toMatch(re);
      };
      await t.write('\x03');
      await until(/>$/);
      got = '';
      await t.write('1+2\n');
      await until(/^1\+2\r\n=3\r\n>$/);
      got = '';
      await t.write('\x10print("quiet")\n');
      await until(/^quiet\r\n>$/);
      got = '';
      await t.write('\x10digitalRead(B1)\n');
      await until(/^Uncaught ReferenceError: digitalRead is not defined/);
    } finally {
      await t.close();
    }
  }, 30_000);

  it('writes the bundle in chunks with progress, verifies it, keeps the token files, and the token starts', async () => {
    const files = new Map([
      ['tt.acc.0', 'stored-accounts-record'],
      ['.varimage', 'old saved state'],
      ['.bootrst', 'old reset code'],
      ['.bootcde', 'old boot code'],
      // Espruino runs these at boot besides .bootcde (src/jsflash.c): test/attack/boot-files-on-espruino.test.ts.
      ['.boot0', 'another app\'s boot code'],
      ['.boot3', 'another app\'s boot code'],
      ['.bootPowerOn', 'another app\'s power-on code'],
    ]);
    const repl = await fakePico({ files });
    const progress: FlashProgress[] = [];
    const r = await flash(repl.address, code, { onProgress: (p) => progress.push(p) });
    // Stored pretokenised for this 2v29: smaller than the text, with token bytes, and no NUL byte.
    expect(files.get('.bootcde')).toBe(stored);
    expect(stored.length).toBeLessThan(code.length * 0.92);
    expect(stored).toMatch(/[\x8a-\xd5]/);
    expect(stored).not.toMatch(/\0/);
    expect(files.get('tt.acc.0')).toBe('stored-accounts-record');
    expect([...files.keys()].filter((f) => f.startsWith('.')).sort()).toEqual(['.bootcde']);
    expect(r).toMatchObject({ espruino: { version: '2v29', board: 'PICO_R1_3' }, bytes: stored.length, textBytes: code.length, form: 'tokens', verified: true, wiped: false, keptFiles: 1 });
    expect(r.chunks).toBe(Math.ceil(stored.length / 512));
    expect(r.started).toEqual({ board: pico.id, firmware: expect.any(String) });
    const last = (phase: string) => progress.filter((p) => p.phase === phase).pop();
    expect(last('write')).toEqual({ phase: 'write', done: stored.length, total: stored.length });
    expect(last('verify')).toEqual({ phase: 'verify', done: stored.length, total: stored.length });
    // Every line was sent with echo off, and no line read a token file.
    expect(repl.lines.some((l) => /tt\.acc/.test(l))).toBe(false);
  }, 60_000);

  it('stores plain text on an Espruino whose token table it has not checked, and says why', async () => {
    const repl = await fakePico({ version: '2v30' });
    const r = await flash(repl.address, code);
    expect(repl.files.get('.bootcde')).toBe(code);
    expect(r).toMatchObject({ form: 'text', bytes: code.length, textBytes: code.length, started: { board: pico.id } });
    expect(r.note).toMatch(/stored as text: Espruino 2v30 is newer than 2v29, the last version whose token table \(src\/jslex\.h\) this flasher was checked against/);
  }, 60_000);

  it('writes a bundle given pretokenised back out as text for an Espruino that reads no raw strings, and keywords only from 2v14', async () => {
    const old = await fakePico({ version: '2v12' });
    const r = await flash(old.address, stored, { startTimeoutMs: 0 });
    const text = old.files.get('.bootcde')!;
    expect(r.form).toBe('text');
    expect(text).not.toMatch(/[\x80-\xff]/);
    // The same tokens as the bundle, read by lexers that are not the flasher's own: TypeScript's scanner
    // (strings by value, as they may be quoted differently; `true`/`false` as the `!0`/`!1` they were
    // stored for) and, under ESPRUINO_BIN, Espruino's tokeniser itself (byte for byte, the bundle's
    // `!0`/`!1` spelled as words). atob("...") of a constant is stored as the string it decodes to
    // (jslex.c), so the bundle is compared with that folded (quoted as the flasher quotes, for Espruino's
    // tokeniser keeps a string with raw bytes as text; the scanner compares values).
    const fold = (quote: (s: string) => string) => code.replace(/(?<![.\w$])atob\("([^"]*)"\)/g, (_, b64: string) => quote(atob(b64)));
    expect(tsTokens(text)).toEqual(tsTokens(fold(JSON.stringify)));
    if (ESPRUINO_BIN) expect(espruinoTokenised(text) === espruinoTokenised(boolsAsWords(fold(quoteString))), "Espruino's tokeniser reads the text as the bundle").toBe(true);
    // 2v22: keywords and raw strings, but no raw ints (those came in 2v26).
    const mid = await fakePico({ version: '2v22' });
    await flash(mid.address, code, { startTimeoutMs: 0 });
    expect(lexEspruino(mid.files.get('.bootcde')!).filter((t) => t.raw && t.tk === LEX.INT)).toEqual([]); // tokens, not bytes: a raw string's bytes may be anything
    expect(mid.files.get('.bootcde')).toMatch(/[\x8a-\xc6]/);
  }, 60_000);

  it('--wipe erases the token files', async () => {
    const files = new Map([['tt.acc.0', 'x'], ['tt.acc.1', 'y'], ['tt.clock', '{}'], ['other', 'kept']]);
    const repl = await fakePico({ files });
    const r = await flash(repl.address, code, { wipe: true, startTimeoutMs: 0 });
    expect([...files.keys()].sort()).toEqual(['.bootcde', 'other']);
    expect(r).toMatchObject({ wiped: true, keptFiles: 0 });
  }, 60_000);

  it('fails verification when the board stores a chunk wrongly, and starts nothing', async () => {
    const repl = await fakePico({ corrupt: { file: '.bootcde', offset: 1024 } });
    await expect(flash(repl.address, code)).rejects.toMatchObject({ code: 'FLASH_VERIFY', message: expect.stringMatching(/verification failed: bytes at 1\d\d\d differ/) });
    expect(repl.loaded).toBe(false);
  }, 60_000);

  it('refuses an Espruino of another board before writing', async () => {
    const repl = await fakePico({ board: 'ESP32' });
    await expect(flash(repl.address, code)).rejects.toThrow(/is a ESP32 \(Espruino 2v29\), but this bundle is for PICO_R1_3/);
    expect(repl.files.has('.bootcde')).toBe(false);
  }, 30_000);

  it('refuses a port that is not an Espruino REPL, quoting what it sent', async () => {
    const link = await openPtyLink(join(dir, `tty${n++}`));
    const chatter = setInterval(() => link.write('Hello from an Arduino sketch\r\n'), 200);
    closers.push(async () => {
      clearInterval(chatter);
      await link.close();
    });
    await expect(flash(link.address, code)).rejects.toMatchObject({
      code: 'NOT_ESPRUINO',
      message: expect.stringMatching(/no Espruino REPL on .*did not answer print\(process.env.VERSION\) and sent "Hello from an Arduino sketch/),
    });
  }, 30_000);

  it('refuses a port where totp-token runs, saying how to get the REPL back', async () => {
    const sim = await startSimToken({ stateDir: mkdtempSync(join(dir, 'sim-')) });
    closers.push(() => sim.close());
    await expect(flash(sim.address, code)).rejects.toThrow(/runs totp-token \(board sim, firmware [\d.]+\), not the Espruino REPL.*hold BTN while plugging the Pico in/);
  }, 30_000);
});

describe.skipIf(!hasSocat())('totp-token flash (the CLI)', () => {
  let cli = '';
  beforeAll(async () => {
    cli = await ensureCli();
  }, 300_000);

  it('shows progress on stderr and prints a JSON summary with --json', async () => {
    const repl = await fakePico();
    const bundle = join(dir, 'pico.js');
    writeFileSync(bundle, code, 'latin1');
    const r = await runCli(cli, ['flash', '--board', pico.id, '--port', repl.address, '--bundle', bundle, '--json']);
    expect(r.stderr).toMatch(/writing +\[#{20}\] 100%/);
    expect(r.stderr).toMatch(/verifying \[#{20}\] 100%/);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ board: pico.id, bytes: stored.length, textBytes: code.length, form: 'tokens', verified: true, started: { board: pico.id } });
  }, 60_000);

  it('uses the built dist/espruino bundle and refuses a non-Espruino port with exit code 1', async () => {
    const link = await openPtyLink(join(dir, `tty${n++}`));
    closers.push(() => link.close());
    const r = await runCli(cli, ['flash', '--board', pico.id, '--port', link.address]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/flashing .*dist\/espruino\/espruino-pico-ssd1306\.js/);
    expect(r.stderr).toMatch(/totp-token: no Espruino REPL on .* and sent nothing/);
  }, 60_000);

  it('refuses a board that is not an Espruino board', async () => {
    const r = await runCli(cli, ['flash', '--board', 'sim', '--port', '/dev/null']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--board sim is not an Espruino board; flash knows: .*espruino-pico-ssd1306, espruino-esp32-ssd1306/);
  }, 30_000);
});
