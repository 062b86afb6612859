// The simulator's display as terminal text (issue 17): each density decodes
// back to the framebuffer's exact pixels (decoded here from the Unicode
// charts, not from the renderer's tables), the screen picks the sharpest one
// that fits 80x24, 120x40 and 200x60 without wrapping, and the code printed
// under the picture is the one otplib computes for the key at that time.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { framebufferToText } from '../../firmware/ports/node/render-text.ts';
import type { TextMode } from '../../firmware/ports/node/render-text.ts';
import { describeScreen } from '../../firmware/ports/node/screen-text.ts';
import { startSimToken } from '../../firmware/ports/node/sim-token.ts';
import type { SimToken } from '../../firmware/ports/node/sim-token.ts';
import { createFramebuffer } from '../../firmware/ui/framebuffer.ts';
import type { Framebuffer } from '../../firmware/ui/framebuffer.ts';
import { TokenClient } from '../../host/lib/client.ts';
import { openTransport } from '../../host/lib/transport/index.ts';
import { layoutScreen, shownLine } from '../../host/cli/sim-view.ts';
import { ascii, otplibTotp } from '../helpers/providers.ts';

/** Pixels lit by one character, per the Unicode charts: [dx, dy] pairs. */
function litBy(mode: TextMode, ch: string): [number, number][] {
  const cp = ch.codePointAt(0)!;
  if (mode === 'braille') {
    // U+2800 + dots: dot 1..3 left column top to third row, 4..6 right column, 7 left bottom, 8 right bottom.
    const dots: [number, number][] = [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2], [0, 3], [1, 3]];
    expect(cp >= 0x2800 && cp <= 0x28ff, `not Braille: ${ch}`).toBe(true);
    return dots.filter((_, bit) => (cp - 0x2800) & (1 << bit));
  }
  // Block Elements chart: which quarter (or half) each glyph fills.
  const blocks: Record<string, string[]> = {
    ' ': [], '█': ['tl', 'tr', 'bl', 'br'], '▀': ['tl', 'tr'], '▄': ['bl', 'br'], '▌': ['tl', 'bl'], '▐': ['tr', 'br'],
    '▘': ['tl'], '▝': ['tr'], '▖': ['bl'], '▗': ['br'], '▚': ['tl', 'br'], '▞': ['tr', 'bl'],
    '▛': ['tl', 'tr', 'bl'], '▜': ['tl', 'tr', 'br'], '▙': ['tl', 'bl', 'br'], '▟': ['tr', 'bl', 'br'],
  };
  expect(blocks[ch], `not a block element: ${ch}`).toBeDefined();
  const at: Record<string, [number, number]> = { tl: [0, 0], tr: [1, 0], bl: [0, 1], br: [1, 1] };
  // Half blocks are one pixel wide: their left and right halves are the same pixel.
  return blocks[ch].map((q) => at[q]).filter(([dx]) => mode === 'quadrant' || dx === 0);
}

function decode(text: string, mode: TextMode, width: number, height: number): boolean[][] {
  const cell = { half: [1, 2], quadrant: [2, 2], braille: [2, 4] }[mode];
  const px = Array.from({ length: height }, () => new Array<boolean>(width).fill(false));
  text.split('\n').forEach((line, row) =>
    [...line].forEach((ch, col) => {
      for (const [dx, dy] of litBy(mode, ch)) {
        const x = col * cell[0] + dx;
        const y = row * cell[1] + dy;
        if (x < width && y < height) px[y][x] = true;
      }
    }),
  );
  return px;
}

function randomFramebuffer(width: number, height: number, seed: number): Framebuffer {
  const fb = createFramebuffer(width, height, () => {});
  let s = seed;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      s = (s * 1103515245 + 12345) & 0x7fffffff;
      if (s & 0x100) fb.fillRect(x, y, 1, 1);
    }
  return fb;
}

const pixels = (fb: Framebuffer): boolean[][] => Array.from({ length: fb.height }, (_, y) => Array.from({ length: fb.width }, (_, x) => fb.pixel(x, y)));

describe('the display as terminal text', () => {
  for (const mode of ['half', 'quadrant', 'braille'] as TextMode[]) {
    it(`${mode}: decodes back to the same pixels (random 128x64 and an odd 13x7)`, () => {
      for (const [w, h, seed] of [[128, 64, 1], [128, 64, 2], [13, 7, 3]]) {
        const fb = randomFramebuffer(w, h, seed);
        expect(decode(framebufferToText(fb, mode), mode, w, h)).toEqual(pixels(fb));
      }
    });
  }

  it('sizes: 128x64 is 128x32 in half blocks, 64x32 in quadrants, 64x16 in Braille', () => {
    const fb = randomFramebuffer(128, 64, 9);
    const size = (m: TextMode) => framebufferToText(fb, m).split('\n').map((l) => [...l].length);
    expect(size('half')).toEqual(new Array(32).fill(128));
    expect(size('quadrant')).toEqual(new Array(32).fill(64));
    expect(size('braille')).toEqual(new Array(16).fill(64));
  });

  it('reads the code and seconds off what drawCode drew, and nothing off a message screen', () => {
    const code = describeScreen([
      { x: 0, y: 0, text: 'Demo', scale: 1 },
      { x: 10, y: 14, text: '287082', scale: 3 },
      { x: 0, y: 38, text: 'alice@demo', scale: 1 },
      { x: 0, y: 56, text: '1/1', scale: 1 },
      { x: 110, y: 56, text: '14s', scale: 1 },
    ]);
    expect(code).toEqual({ lines: ['Demo', '287082', 'alice@demo', '1/1  14s'], code: '287082', secondsLeft: 14 });
    expect(shownLine(code)).toBe('code 287082  14 s left  (Demo / alice@demo / 1/1)');
    const message = describeScreen([{ x: 0, y: 0, text: 'Clock not set', scale: 1 }, { x: 0, y: 10, text: 'No codes until synced.', scale: 1 }]);
    expect(message).toEqual({ lines: ['Clock not set', 'No codes until synced.'], code: null, secondsLeft: null });
    expect(shownLine(message)).toBe('Clock not set / No codes until synced.');
  });
});

describe('the simulator screen in a terminal', () => {
  const KEY = ascii('12345678901234567890'); // RFC 6238's SHA1 key, as the demo uses
  let dir: string;
  let sim: SimToken;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sim-display-'));
    sim = await startSimToken({ stateDir: dir, link: 'tcp' });
    const client = new TokenClient(await openTransport(sim.address));
    await client.hello();
    await client.add({ name: 'alice@demo', issuer: 'Demo', algorithm: 'SHA1', digits: 6, period: 30, secret: KEY.slice() });
    await client.syncTime();
    await client.close();
  }, 30_000);

  afterAll(async () => {
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const [cols, rows, mode, pictureRows] of [[80, 24, 'braille', 16], [120, 40, 'quadrant', 32], [200, 60, 'half', 32]] as const) {
    it(`${cols}x${rows}: ${mode}, nothing wider or taller than the terminal, the code as text under the picture`, () => {
      sim.app.render();
      const before = Math.floor(Date.now() / 1000);
      const lines = layoutScreen(sim, ['totp-token demo: a simulator token on ' + sim.address], ['keys: n next  space confirm  c cancel  p png  q quit'], cols, rows);
      expect(lines.length).toBeLessThanOrEqual(rows);
      for (const l of lines) expect([...l].length).toBeLessThanOrEqual(cols);
      // Header, then the picture (every character one of the mode's glyphs: decode() checks), then the text.
      const picture = lines.slice(1, 1 + pictureRows);
      expect(picture.map((l) => [...l].length)).toEqual(new Array(pictureRows).fill(mode === 'half' ? 128 : 64));
      expect(decode(picture.join('\n'), mode, 128, 64)).toEqual(pixels(sim.framebuffer));
      const m = /^code (\d{6}) {2}(\d+) s left {2}\(Demo \/ alice@demo \/ 1\/1\)$/.exec(lines[1 + pictureRows]);
      expect(m, lines.join('\n')).not.toBeNull();
      // The frame was drawn within this test: the code is otplib's for now or, at a step boundary, the one before.
      const after = Math.floor(Date.now() / 1000);
      expect([otplibTotp(KEY, after, 6, 30, 'SHA1'), otplibTotp(KEY, before - 1, 6, 30, 'SHA1')]).toContain(m![1]);
      expect(Number(m![2])).toBeGreaterThanOrEqual(1);
      expect(Number(m![2])).toBeLessThanOrEqual(30);
    });
  }

  it('a terminal too small for any picture still gets Braille, cut to its width', () => {
    const lines = layoutScreen(sim, ['header'], [], 40, 10);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(40);
    expect(lines.filter((l) => /[\u2800-\u28ff]/.test(l)).length).toBe(16);
  });
});
