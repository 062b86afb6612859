// The app draws on a pixel Canvas (firmware/ui/screen.ts); an HD44780 is a
// 16x2 grid of characters. This adapter keeps the app unchanged: it records
// the text calls between clear() and flip() and lays them out by their y
// position, which screen.ts fixes:
//   drawCode:    label at y=0, code at y=14 (scaled), account name at y=38, footer at y=56
//                ("1/3 clock?" at x=0, "12s" right-aligned)
//                -> line 1: label; line 2: code left, seconds right, and
//                   between them the footer's left part, or what fits of it.
//   drawMessage: lines at y=0, 10, 20 ... (never 14)
//                -> its first two non-empty lines.
// fillRect (the progress bar) has no character equivalent and is dropped.
import type { Canvas } from '../../ports.ts';

interface TextCall {
  x: number;
  y: number;
  text: string;
}

/** Where screen.ts draws the code; drawMessage's rows (multiples of 10) never land here. */
const CODE_Y = 14;
const FOOTER_Y = 56;

export interface LcdCanvas extends Canvas {
  /** The lines last laid out, each exactly `cols` characters. */
  lines(): string[];
}

/**
 * A Canvas whose flip() hands `show` the 16x2 (cols x rows) text. Its pixel
 * width is cols * 6, so the app's fitText() already cuts labels and message
 * lines to `cols` characters (ending in '~', which an HD44780's A00 ROM
 * shows as an arrow: "more").
 */
export function lcdCanvas(cols: number, rows: number, show: (lines: string[]) => void): LcdCanvas {
  let calls: TextCall[] = [];
  let shown: string[] = [];
  const pad = (s: string) => (s.length > cols ? s.slice(0, cols) : s + ' '.repeat(cols - s.length));

  function codeLayout(): string[] {
    // Issuer (top row) and account name (the row under the code) share line 1.
    const joined = calls.filter((c) => c.y !== CODE_Y && c.y < FOOTER_Y).sort((a, b) => a.y - b.y).map((c) => c.text).join(': ');
    const label = joined.length > cols ? joined.slice(0, cols - 1) + '~' : joined;
    const code = calls.filter((c) => c.y === CODE_Y).map((c) => c.text).join('');
    const footer = calls.filter((c) => c.y >= FOOTER_Y);
    const seconds = footer.filter((c) => c.x > 0 && /^\d+s$/.test(c.text)).map((c) => c.text).join('');
    // The footer's left part is "2/5" or "2/5 clock?": when both do not fit
    // between code and seconds, the warning matters more than the index.
    const left = footer.filter((c) => c.x === 0).map((c) => c.text).join(' ');
    const space = left.indexOf(' ');
    const candidates = space < 0 ? [left] : [left, left.slice(space + 1), left.slice(0, space)];
    const room = cols - code.length - seconds.length;
    const middle = candidates.find((m) => m !== '' && room >= m.length + 2) ?? '';
    let line2 = code;
    if (middle) line2 += ' '.repeat(Math.floor((room - middle.length) / 2)) + middle;
    line2 = pad(line2);
    if (seconds) line2 = line2.slice(0, Math.max(0, cols - seconds.length)) + seconds.slice(-cols);
    return [label, line2];
  }

  function messageLayout(): string[] {
    return calls
      .slice()
      .sort((a, b) => a.y - b.y || a.x - b.x)
      .map((c) => c.text.trim())
      .filter((t) => t !== '');
  }

  return {
    width: cols * 6,
    height: 64,
    cellW: 6,
    cellH: 8,
    clear: () => {
      calls = [];
    },
    text: (x, y, text) => {
      calls.push({ x, y, text });
    },
    fillRect: () => {},
    flip: () => {
      const isCode = calls.some((c) => c.y === CODE_Y);
      const laid = isCode ? codeLayout() : messageLayout();
      const out: string[] = [];
      for (let r = 0; r < rows; r++) out.push(pad(laid[r] ?? ''));
      shown = out;
      show(out);
    },
    lines: () => shown.slice(),
  };
}
