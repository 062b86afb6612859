// Showing a simulator token in the terminal and driving its buttons: the
// live display (redrawn when the pixels change), keys n / space / c / p / q,
// and the line-based --control mode for scripts. Used by `sim` and `demo`.
import { createInterface } from 'node:readline';
import { framebufferToText } from '../../firmware/ports/node/render.ts';
import type { SimToken } from '../../firmware/ports/node/sim-token.ts';

const HELP = 'keys: n next  space confirm  c cancel  p png  q quit';

/** Repaint the display in place on every change; returns a function that stops it. */
export function showLive(sim: SimToken, header: string, pngFile: string): { stop(): void; paint(): void } {
  let last = '';
  let note = '';
  const paint = (): void => {
    const pending = sim.app.pendingAction();
    const frame = framebufferToText(sim.framebuffer);
    const screen = [header, frame, pending ? `waiting for confirm: ${pending}` : '', `${HELP}   ${note}`].join('\n');
    if (screen === last) return;
    last = screen;
    process.stdout.write('\x1b[H\x1b[2J' + screen + '\n');
  };
  process.stdout.write('\x1b[?25l'); // hide the cursor while repainting
  const timer = setInterval(paint, 200);
  paint();
  return {
    paint: () => {
      note = `wrote ${pngFile}`;
      paint();
    },
    stop: () => {
      clearInterval(timer);
      process.stdout.write('\x1b[?25h');
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
      else if (key === 'p') {
        sim.savePng(pngFile);
        onPng();
      }
    });
  });
}

/**
 * --control: one command per stdin line, one answer line on stdout:
 *   press confirm | press next | cancel | png FILE | status | quit
 * Resolves on `quit` or end of input.
 */
export function controlLoop(sim: SimToken): Promise<void> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin });
    const answer = (text: string): void => void process.stdout.write(text + '\n');
    rl.on('line', (line) => {
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
        sim.savePng(arg);
        answer('ok');
      } else if (verb === 'status') {
        answer(JSON.stringify({ pending: sim.app.pendingAction() }));
      } else if (verb === 'quit') {
        answer('ok');
        rl.close();
      } else answer(`error: unknown control command '${line.trim()}' (press confirm|next, cancel, png FILE, status, quit)`);
    });
    rl.on('close', () => resolve());
  });
}
