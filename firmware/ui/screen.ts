// What the token shows. Drawn on the port's 1-bit canvas in its monospaced
// font (6x8 or 4x6 cells); layout for 128x64 (scaled text shrinks to fit
// narrower displays).
import type { Canvas } from '../ports.ts';

export interface CodeView {
  /** Top line: the service (issuer), or the account name when there is none. */
  label: string;
  /** Line under the code: the account name when the top line shows the issuer. */
  sublabel: string;
  code: string;
  secondsLeft: number;
  period: number;
  index: number;
  count: number;
  /** Short footer warning, e.g. when the clock's estimated error is over a few seconds. */
  warning: string;
}

/** How many cells fit across the canvas at scale 1. */
function columns(canvas: Canvas): number {
  return Math.floor(canvas.width / canvas.cellW);
}

/** Text cut to one row at scale 1, ending in '~' when cut. */
export function fitText(canvas: Canvas, text: string): string {
  const max = columns(canvas);
  return text.length > max ? text.slice(0, max - 1) + '~' : text;
}

/** Largest scale at which the code fits the width and the 24-pixel band it has (3 for 6x8 cells, 4 for 4x6). */
export function codeScale(canvas: Canvas, digits: number): number {
  for (let s = Math.floor(24 / canvas.cellH); s > 1; s--) if (digits * canvas.cellW * s - s <= canvas.width) return s;
  return 1;
}

/**
 * Label row y=0, code from y=14, account name y=38, progress bar at y=48,
 * footer y=56. What CodeView describes, as arguments in its order (the
 * Espruino bundle then carries no object keys for its two callers).
 */
export function drawCode(canvas: Canvas, label: string, sublabel: string, code: string, secondsLeft: number, period: number, index: number, count: number, warning: string): void {
  canvas.clear();
  canvas.text(0, 0, fitText(canvas, printable(label)), 1);
  const scale = codeScale(canvas, code.length);
  const width = code.length * canvas.cellW * scale - scale;
  canvas.text(Math.max(0, Math.floor((canvas.width - width) / 2)), 14, code, scale);
  if (sublabel) canvas.text(0, 38, fitText(canvas, printable(sublabel)), 1);
  const bar = Math.round((canvas.width * secondsLeft) / period);
  canvas.fillRect(0, 48, bar, 4);
  canvas.text(0, 56, index + 1 + '/' + count + (warning ? ' ' + warning : ''), 1);
  const left = secondsLeft + 's';
  canvas.text(canvas.width - left.length * canvas.cellW, 56, left, 1);
  canvas.flip();
}

/** drawCode with a CodeView (the tests' and host tools' form). */
export function drawCodeView(canvas: Canvas, v: CodeView): void {
  drawCode(canvas, v.label, v.sublabel, v.code, v.secondsLeft, v.period, v.index, v.count, v.warning);
}

/** Lines of text, one per row (cellH + 2 pixels apart), each cut to the width. */
export function drawMessage(canvas: Canvas, lines: string[]): void {
  canvas.clear();
  lines.forEach((line, i) => canvas.text(0, i * (canvas.cellH + 2), fitText(canvas, line), 1));
  canvas.flip();
}

/**
 * The confirmation screen: the seconds left, what is asked - whole, wrapped
 * over the rows the screen has (3 at 6x8 on 128x64, 5 at 4x6), because the
 * names in it are what the user checks - then how to confirm and cancel.
 */
export function drawConfirm(canvas: Canvas, action: string, hint: string, secondsLeft: number): void {
  const rows = Math.floor((canvas.height + 2) / (canvas.cellH + 2)) - 3;
  // Longer than the rows: show it a page at a time, turning every 2 s, so no part of it (a renamed account's new name) is ever hidden.
  const all = rowsOf(canvas, action);
  const pages = Math.ceil(all.length / rows);
  const from = (Math.floor(secondsLeft / 2) % pages) * rows;
  drawMessage(canvas, ['Confirm (' + secondsLeft + 's):'].concat(all.slice(from, from + rows), [hint, 'Other press: cancel']));
}

/** Text cut into rows that fit the width, all of them (drawConfirm pages through them). */
function rowsOf(canvas: Canvas, text: string): string[] {
  const perLine = columns(canvas);
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += perLine) lines.push(text.slice(i, i + perLine));
  return lines;
}

/** Text cut into rows that fit the width, at most `rows` of them; the last ends in '~' if text is left over. */
export function wrapText(canvas: Canvas, text: string, rows: number): string[] {
  const lines = rowsOf(canvas, text).slice(0, rows);
  if (text.length > rows * columns(canvas)) lines[rows - 1] = fitText(canvas, lines[rows - 1] + '~');
  return lines;
}

/**
 * A name as the display shows it. Names are byte strings (UTF-8 usually) and
 * the font has ASCII only: every other byte, and the quote and backslash that
 * confirmation texts use, show as \xHH. So two names never draw alike ("bank"
 * and "bank\x80"), and a quoted name cannot close its quote early.
 */
export function printable(text: string): string {
  let s = '';
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    s += c >= 32 && c < 127 && c !== 34 && c !== 92 ? ch : '\\x' + (c < 16 ? '0' : '') + c.toString(16).toUpperCase();
  }
  return s;
}

/** A name inside a confirmation text (which is then all printable ASCII, drawn as it is). */
export function quote(name: string): string {
  return '"' + printable(name) + '"';
}
