// Reads text back off the simulator's display pixels: each 6x8 cell (times
// the scale) is matched exactly against the 5x7 glyphs the framebuffer draws
// with (firmware/ui/font5x7.ts). Tests use it to check the code a person
// would see, not what the app meant to draw. Layout: firmware/ui/screen.ts.
import { FONT_5X7, FONT_FIRST } from '../../firmware/ui/font5x7.ts';
import type { Framebuffer } from '../../firmware/ui/framebuffer.ts';

const GLYPHS = new Map<string, string>();
for (let i = 0; i < 95; i++) GLYPHS.set(FONT_5X7.slice(i * 5, i * 5 + 5).join(','), String.fromCharCode(FONT_FIRST + i));

/** The character drawn at (x, y) at this scale, or null if the cell is not exactly one glyph. */
export function glyphAt(fb: Framebuffer, x: number, y: number, scale: number): string | null {
  const cols: number[] = [];
  for (let col = 0; col < 5; col++) {
    let bits = 0;
    for (let row = 0; row < 7; row++) {
      // Every pixel of the scale x scale block must agree.
      const on = fb.pixel(x + col * scale, y + row * scale);
      for (let dx = 0; dx < scale; dx++) for (let dy = 0; dy < scale; dy++) if (fb.pixel(x + col * scale + dx, y + row * scale + dy) !== on) return null;
      if (on) bits |= 1 << row;
    }
    cols.push(bits);
  }
  return GLYPHS.get(cols.join(',')) ?? null;
}

/** `count` characters from (x, y); unreadable cells come back as '\uFFFD'. */
export function readText(fb: Framebuffer, x: number, y: number, scale: number, count: number): string {
  let s = '';
  for (let i = 0; i < count && x + i * 6 * scale + 5 * scale <= fb.width; i++) s += glyphAt(fb, x + i * 6 * scale, y, scale) ?? '\uFFFD';
  return s;
}

function blank(fb: Framebuffer, x0: number, x1: number, y0: number, y1: number): boolean {
  for (let x = Math.max(0, x0); x < Math.min(fb.width, x1); x++) for (let y = y0; y < y1; y++) if (fb.pixel(x, y)) return false;
  return true;
}

/** The big code (centred from y=14 at scale 3, 2 or 1): its digits, or null if none is shown. */
export function readCode(fb: Framebuffer): string | null {
  const y = 14;
  for (let scale = 3; scale >= 1; scale--) {
    for (let n = 10; n >= 1; n--) {
      const width = n * 6 * scale - scale;
      if (width > fb.width) continue;
      const x = Math.floor((fb.width - width) / 2);
      const text = readText(fb, x, y, scale, n);
      // Exact placement: digits all the way, nothing lit beside them.
      if (/^[0-9-]+$/.test(text) && text.length === n && blank(fb, 0, x, y, y + 7 * scale) && blank(fb, x + width, fb.width, y, y + 7 * scale)) return text;
    }
  }
  return null;
}

/** The label row at the top (scale 1), trailing blanks trimmed. */
export function readLabel(fb: Framebuffer): string {
  return readText(fb, 0, 0, 1, Math.floor(fb.width / 6)).trimEnd();
}

/** The account name under the code (shown when the top line holds the issuer). */
export function readSublabel(fb: Framebuffer): string {
  return readText(fb, 0, 38, 1, Math.floor(fb.width / 6)).trimEnd();
}

/** A message line of drawMessage (lines 10 px apart). */
export function readMessageLine(fb: Framebuffer, line: number): string {
  return readText(fb, 0, line * 10, 1, Math.floor(fb.width / 6)).trimEnd();
}
