// `npm start` in a real terminal (issue 17): the demo runs in tmux at 80x24,
// 120x40 and 200x60 and is read back with capture-pane. The picture must fit
// (no line wrapped by the terminal, the header still on the first row), use
// the sharpest cells that fit, and print the code and seconds left as text
// that matches otplib; a resize redraws it to fit the new size.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCli, releaseCli, runCli } from './harness.ts';
import { ascii, otplibTotp } from '../helpers/providers.ts';

const SOCKET = `totp-e2e-${process.pid}`;
const hasTmux = spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;
const DEMO_KEY = ascii('12345678901234567890'); // the demo's key: RFC 6238's SHA1 test key

/** tmux on a server of this test's own; -u: UTF-8 whatever the locale (Braille and block characters). */
function tmux(...args: string[]): string {
  const r = spawnSync('tmux', ['-u', '-L', SOCKET, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/**
 * The pane as shown (rows cut where the terminal wrapped them) and with wrapped
 * rows joined (-J), from the same frame: the demo redraws every second (the
 * seconds-left bar), so the two captures are taken again until the pane did not
 * change between them (a loaded machine once drew between the two).
 */
function capture(session: string): { shown: string; joined: string } {
  for (let i = 0; ; i++) {
    const shown = tmux('capture-pane', '-p', '-t', session);
    const joined = tmux('capture-pane', '-p', '-J', '-t', session);
    if (shown === tmux('capture-pane', '-p', '-t', session) || i === 20) return { shown, joined };
  }
}

async function waitFor(session: string, ok: (shown: string) => boolean, what: string): Promise<string> {
  let last = '';
  for (let i = 0; i < 300; i++) {
    last = capture(session).shown;
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; the pane shows:\n${last}`);
}

/** Rows of the picture: between the header's `try:` line and the `code` line. */
function picture(shown: string): string[] {
  const lines = shown.split('\n');
  return lines.slice(lines.findIndex((l) => l.startsWith('try: ')) + 1, lines.findIndex((l) => l.startsWith('code ')));
}

/** The code line agrees with otplib for the time around the capture. */
function expectOtplibCode(shown: string, before: number): void {
  const m = /^code (\d{6}) {2}(\d+) s left {2}\(Demo \/ alice@demo \/ 1\/1\)$/m.exec(shown);
  expect(m, shown).not.toBeNull();
  const now = Math.floor(Date.now() / 1000);
  expect([otplibTotp(DEMO_KEY, now, 6, 30, 'SHA1'), otplibTotp(DEMO_KEY, before - 1, 6, 30, 'SHA1')]).toContain(m![1]);
}

/** The picture fits: nothing wrapped, the header on the first row, `rows` picture rows of `cols` characters in `glyphs`. */
function expectFits(session: string, size: { rows: number; cols: number; glyphs: RegExp }): string {
  const { shown, joined } = capture(session);
  // -J joins the rows the terminal wrapped (and keeps trailing blanks): none were wrapped.
  const rowsOf = (text: string) => text.trimEnd().split('\n').map((l) => l.trimEnd());
  expect(rowsOf(joined)).toEqual(rowsOf(shown));
  expect(shown.split('\n')[0]).toMatch(/^totp-token demo: a simulator token on /);
  const rows = picture(shown);
  expect(rows.length, shown).toBe(size.rows);
  for (const row of rows) {
    expect([...row].length).toBeLessThanOrEqual(size.cols); // tmux drops trailing blanks
    expect(row).toMatch(size.glyphs);
  }
  return shown;
}

const BRAILLE = { rows: 16, cols: 64, glyphs: /^[\u2800-\u28ff]*$/ };
const QUADRANT = { rows: 32, cols: 64, glyphs: /^[ \u2580-\u259f]*$/ };
const HALF = { rows: 32, cols: 128, glyphs: /^[ ▀▄█]*$/ };

describe.skipIf(!hasTmux)('npm start in a terminal (tmux)', () => {
  let cli: string;
  beforeAll(async () => {
    cli = await ensureCli();
  }, 120_000);
  afterAll(() => {
    spawnSync('tmux', ['-L', SOCKET, 'kill-server'], { stdio: 'ignore' });
    releaseCli(cli);
  });

  const start = (name: string, cols: number, rows: number): void =>
    void tmux('new-session', '-d', '-s', name, '-x', String(cols), '-y', String(rows), `${process.execPath} ${cli} demo`);

  for (const [cols, rows, size, label] of [[80, 24, BRAILLE, 'Braille'], [120, 40, QUADRANT, 'quadrants'], [200, 60, HALF, 'half blocks']] as const) {
    it(`${cols}x${rows}: ${label}, nothing wrapped, the code as text matching otplib`, async () => {
      const name = `s${cols}`;
      const before = Math.floor(Date.now() / 1000);
      start(name, cols, rows);
      await waitFor(name, (s) => /^code \d{6}/m.test(s), 'the code line');
      expectOtplibCode(expectFits(name, size), before);
      // q quits the demo, which ends its session (and the server with its last session).
      tmux('send-keys', '-t', name, 'q');
      for (let i = 0; i < 100 && spawnSync('tmux', ['-L', SOCKET, 'has-session', '-t', name], { stdio: 'ignore' }).status === 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(spawnSync('tmux', ['-L', SOCKET, 'has-session', '-t', name], { stdio: 'ignore' }).status).not.toBe(0);
    }, 60_000);
  }

  it('redraws to fit when the terminal is resized (200x60 -> 80x24 -> 120x40)', async () => {
    const before = Math.floor(Date.now() / 1000);
    start('resize', 200, 60);
    await waitFor('resize', (s) => /^code \d{6}/m.test(s) && picture(s).length === 32, 'half blocks');
    expectFits('resize', HALF);
    tmux('resize-window', '-t', 'resize', '-x', '80', '-y', '24');
    await waitFor('resize', (s) => /^code \d{6}/m.test(s) && picture(s).length === 16, 'Braille after shrinking');
    expectOtplibCode(expectFits('resize', BRAILLE), before);
    tmux('resize-window', '-t', 'resize', '-x', '120', '-y', '40');
    await waitFor('resize', (s) => /^code \d{6}/m.test(s) && /[\u2580-\u259f]/.test(s), 'quadrants after growing');
    expectFits('resize', QUADRANT);
    tmux('kill-session', '-t', 'resize');
  }, 60_000);
});

describe('the shown code for scripts', () => {
  let cli: string;
  beforeAll(async () => {
    cli = await ensureCli();
  }, 120_000);
  afterAll(() => releaseCli(cli));

  it('demo --once --json carries the display text, its code matching otplib', async () => {
    const before = Math.floor(Date.now() / 1000);
    const r = await runCli(cli, ['demo', '--once', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const { shown } = JSON.parse(r.stdout) as { shown: { lines: string[]; code: string; secondsLeft: number } };
    expect(shown.lines).toEqual(['Demo', shown.code, 'alice@demo', `1/1  ${shown.secondsLeft}s`]);
    const now = Math.floor(Date.now() / 1000);
    expect([otplibTotp(DEMO_KEY, now, 6, 30, 'SHA1'), otplibTotp(DEMO_KEY, before - 1, 6, 30, 'SHA1')]).toContain(shown.code);
  }, 60_000);
});
