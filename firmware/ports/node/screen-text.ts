// What the simulated display says, as text: the canvas the app draws on is
// wrapped so every text() call between clear() and flip() is recorded. The
// app's own strings, not pixels read back, so a person (or a script) can copy
// the code the display shows. Node only: nothing here ships to a device.
import type { Canvas } from '../../ports.ts';

export interface ScreenText {
  /** The text drawn, one entry per text row (top to bottom), items in a row left to right. */
  lines: string[];
  /** The code, when the screen shows one: the digits drawn large (drawCode's layout). */
  code: string | null;
  /** Seconds until the code changes: the "<n>s" drawn beside it. */
  secondsLeft: number | null;
}

interface Drawn {
  x: number;
  y: number;
  text: string;
  scale: number;
}

export function describeScreen(drawn: Drawn[]): ScreenText {
  const rows = new Map<number, Drawn[]>();
  for (const d of drawn) rows.set(d.y, [...(rows.get(d.y) ?? []), d]);
  const lines = [...rows.keys()].sort((a, b) => a - b).map((y) => rows.get(y)!.sort((a, b) => a.x - b.x).map((d) => d.text).join('  '));
  const big = drawn.find((d) => d.scale > 1 && /^\d{6,10}$/.test(d.text));
  const left = big ? drawn.find((d) => d.y > big.y && /^\d+s$/.test(d.text)) : undefined;
  return { lines, code: big ? big.text : null, secondsLeft: left ? parseInt(left.text, 10) : null };
}

/** A canvas that draws on `canvas` and remembers the text of the last frame flipped to the display. */
export function textRecordingCanvas<C extends Canvas>(canvas: C): { canvas: Canvas; shown(): ScreenText } {
  let drawing: Drawn[] = [];
  let shown = describeScreen([]);
  const recording: Canvas = {
    width: canvas.width,
    height: canvas.height,
    cellW: canvas.cellW,
    cellH: canvas.cellH,
    clear: () => {
      drawing = [];
      canvas.clear();
    },
    text: (x, y, text, scale) => {
      drawing.push({ x, y, text, scale });
      canvas.text(x, y, text, scale);
    },
    fillRect: (x, y, w, h) => canvas.fillRect(x, y, w, h),
    flip: () => {
      shown = describeScreen(drawing);
      canvas.flip();
    },
  };
  return { canvas: recording, shown: () => shown };
}
