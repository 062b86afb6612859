// The simulated OLED as terminal text, at three densities: half blocks (1x2
// pixels per character: 128x64 needs 128x32), quadrant blocks (2x2: 64x32)
// and Braille (2x4: 64x16, fits a default 80x24 terminal). Pure: no PNG, no
// terminal; host/cli/sim-view.ts picks the one that fits.
import type { Framebuffer } from '../../ui/framebuffer.ts';

export type TextMode = 'half' | 'quadrant' | 'braille';

/** Pixels per character cell, by mode. */
export const CELL: Record<TextMode, { w: number; h: number }> = {
  half: { w: 1, h: 2 },
  quadrant: { w: 2, h: 2 },
  braille: { w: 2, h: 4 },
};

/** Characters needed for a width x height display in `mode`. */
export function textSize(mode: TextMode, width: number, height: number): { cols: number; rows: number } {
  return { cols: Math.ceil(width / CELL[mode].w), rows: Math.ceil(height / CELL[mode].h) };
}

const HALF = [' ', '▀', '▄', '█']; // bit 0 top, bit 1 bottom
// Unicode block elements by lit quadrant: bit 0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right.
const QUADRANT = [' ', '▘', '▝', '▀', '▖', '▌', '▞', '▛', '▗', '▚', '▐', '▜', '▄', '▙', '▟', '█'];
// Unicode Braille patterns (U+2800 + dot bits): dots 1-2-3-7 down the left column, 4-5-6-8 down the right.
const BRAILLE_BIT = [
  [0x01, 0x08],
  [0x02, 0x10],
  [0x04, 0x20],
  [0x40, 0x80],
];

function cellChar(mode: TextMode, lit: (dx: number, dy: number) => boolean): string {
  if (mode === 'half') return HALF[(lit(0, 0) ? 1 : 0) | (lit(0, 1) ? 2 : 0)];
  if (mode === 'quadrant') return QUADRANT[(lit(0, 0) ? 1 : 0) | (lit(1, 0) ? 2 : 0) | (lit(0, 1) ? 4 : 0) | (lit(1, 1) ? 8 : 0)];
  let bits = 0;
  for (let dy = 0; dy < 4; dy++) for (let dx = 0; dx < 2; dx++) if (lit(dx, dy)) bits |= BRAILLE_BIT[dy][dx];
  return String.fromCharCode(0x2800 + bits);
}

/** The display as lines of text, one character per cell of `mode` (half blocks by default: full resolution). */
export function framebufferToText(fb: Framebuffer, mode: TextMode = 'half'): string {
  const { w, h } = CELL[mode];
  const lines: string[] = [];
  for (let y = 0; y < fb.height; y += h) {
    let line = '';
    for (let x = 0; x < fb.width; x += w) line += cellChar(mode, (dx, dy) => x + dx < fb.width && y + dy < fb.height && fb.pixel(x + dx, y + dy));
    lines.push(line);
  }
  return lines.join('\n');
}
