// Showing a simulator token in the terminal and driving its buttons: the
// live display drawn to fit the terminal (half blocks, quadrants or Braille,
// whichever is the sharpest that fits) and redrawn when the pixels change or
// the terminal is resized, with the code and the seconds left as plain text
// under it; keys n / space / c / p / q; the line-based --control mode for
// scripts. Used by `sim` and `demo`.
import { createInterface } from 'node:readline';
import { framebufferToText, textSize } from '../../firmware/ports/node/render-text.ts';
import type { TextMode } from '../../firmware/ports/node/render-text.ts';
import type { ScreenText } from '../../firmware/ports/node/screen-text.ts';
import type { SimToken } from '../../firmware/ports/node/sim-token.ts';

const HELP = 'keys: n next  space confirm  c cancel  p png  q quit';

/** Sharpest first: a mode is used when the picture and the `textRows` lines around it fit. */
const MODES: TextMode[] = ['half', 'quadrant', 'braille'];

/** The display's text as one line a person can read and copy: the code first when there is one. */
export function shownLine(shown: ScreenText): string {
  if (shown.code === null) return shown.lines.join(' / ');
  const left = shown.secondsLeft === null ? '' : `  ${shown.secondsLeft} s left`;
  // The other lines as drawn, less the code itself and the seconds already said (the footer keeps its "1/2" and any warning).
  const rest = shown.lines.filter((l) => l !== shown.code).map((l) => (shown.secondsLeft !== null && l.endsWith(`${shown.secondsLeft}s`) ? l.slice(0, -`${shown.secondsLeft}s`.length).trim() : l)).filter((l) => l);
  return `code ${shown.code}${left}${rest.length ? `  (${rest.join(' / ')})` : ''}`;
}

/** Hard-wrap text lines to `cols` columns (a long header or port path stays whole, over several lines). */
function wrap(lines: string[], cols: number): string[] {
  const out: string[] = [];
  for (const line of lines) {
    if (line.length === 0) out.push('');
    for (let i = 0; i < line.length; i += cols) out.push(line.slice(i, i + cols));
  }
  return out;
}

/**
 * One whole screen for a terminal of cols x rows: the header, the display in
 * the sharpest mode that leaves room for the text lines, then the text.
 * Never wider than `cols`, and no taller than `rows` unless even Braille cannot fit.
 */
export function layoutScreen(sim: Pick<SimToken, 'framebuffer' | 'shown' | 'app'>, header: string[], footer: string[], cols: number, rows: number): string[] {
  const fb = sim.framebuffer;
  const pending = sim.app.pendingAction();
  const top = wrap(header, cols);
  const bottom = wrap([shownLine(sim.shown()), ...(pending ? [`waiting for confirm: ${pending}`] : []), ...footer], cols);
  const room = rows - top.length - bottom.length;
  const mode = MODES.find((m) => textSize(m, fb.width, fb.height).cols <= cols && textSize(m, fb.width, fb.height).rows <= room) ?? 'braille';
  const picture = framebufferToText(fb, mode)
    .split('\n')
    .map((l) => [...l].slice(0, cols).join(''));
  return [...top, ...picture, ...bottom];
}

/** Repaint the display in place on every change and on resize; returns a function that stops it. */
export function showLive(sim: SimToken, header: string[], pngFile: string): { stop(): void; paint(): void } {
  const out = process.stdout;
  let last = '';
  let note = '';
  const paint = (force = false): void => {
    const lines = layoutScreen(sim, header, [`${HELP}   ${note}`], out.columns || 80, out.rows || 24);
    const screen = lines.join('\n');
    if (screen === last && !force) return;
    last = screen;
    // Home, clear, draw; no newline after the last line, so a screen that fills the terminal does not scroll.
    out.write('\x1b[H\x1b[2J' + screen);
  };
  const onResize = (): void => paint(true);
  out.write('\x1b[?25l'); // hide the cursor while repainting
  out.on('resize', onResize);
  const timer = setInterval(paint, 200);
  paint();
  return {
    paint: () => {
      note = `wrote ${pngFile}`;
      paint();
    },
    stop: () => {
      clearInterval(timer);
      out.off('resize', onResize);
      out.write('\n\x1b[?25h');
    },
  };
}

/** Single keys on a terminal. Resolves when the user quits. */
export function keyboard(sim: SimToken, pngFile: string, onPng: () => void): Promise<void> {
  return new Promise((resolve) => {
    const stdin = process.stdin;
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    stdin.on('data', (key: string) => {
      if (key === 'q' || key === '\u0003') {
        stdin.setRawMode(false);
        stdin.pause();
        resolve();
      } else if (key === 'n') sim.press('next');
      else if (key === ' ') sim.press('confirm');
      else if (key === 'c' && sim.app.pendingAction()) sim.press('next'); // the other button cancels
      else if (key === 'p') void sim.savePng(pngFile).then(onPng);
    });
  });
}

/**
 * --control: one command per stdin line, one answer line on stdout:
 *   press confirm | press next | cancel | png FILE | status | quit
 * `status` answers {"pending", "shown"}: what waits for the button, and the display's text (code, seconds left, lines).
 * Resolves on `quit` or end of input.
 */
export function controlLoop(sim: SimToken): Promise<void> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin });
    const answer = (text: string): void => void process.stdout.write(text + '\n');
    // Answers keep the order of the commands, even when one (png) takes a while.
    let queue = Promise.resolve();
    rl.on('line', (line) => {
      queue = queue.then(() => obey(line));
    });
    const obey = async (line: string): Promise<void> => {
      const [verb, ...rest] = line.trim().split(/\s+/);
      const arg = rest.join(' ');
      if (verb === '') return;
      if (verb === 'press' && (arg === 'confirm' || arg === 'next')) {
        sim.press(arg);
        answer('ok');
      } else if (verb === 'cancel') {
        if (sim.app.pendingAction()) sim.press('next');
        answer('ok');
      } else if (verb === 'png' && arg) {
        await sim.savePng(arg).then(
          () => answer('ok'),
          (e: Error) => answer(`error: cannot write ${arg}: ${e.message}`),
        );
      } else if (verb === 'status') {
        answer(JSON.stringify({ pending: sim.app.pendingAction(), shown: sim.shown() }));
      } else if (verb === 'quit') {
        answer('ok');
        rl.close();
      } else answer(`error: unknown control command '${line.trim()}' (press confirm|next, cancel, png FILE, status, quit)`);
    };
    rl.on('close', () => void queue.then(() => resolve()));
  });
}
