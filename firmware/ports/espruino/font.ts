// For firmware builds without Graphics' "6x8" font (the Pico's): the shared
// 5x7 glyphs as an Espruino custom font of 6 columns per glyph (the sixth is
// the gap), one byte per column. Custom fonts are MSB-first (the top pixel in
// bit 7); font5x7.ts keeps the top pixel in bit 0, so each column is reversed.
import { FONT_5X7, FONT_FIRST } from '../../ui/font5x7.ts';

export interface CustomFont {
  bitmap: string;
  first: number;
}

export function font6x8(): CustomFont {
  let bitmap = '';
  for (let i = 0; i < FONT_5X7.length; i++) {
    let c = FONT_5X7[i];
    let r = 0;
    for (let b = 0; b < 8; b++) {
      r = (r << 1) | (c & 1);
      c = c >> 1;
    }
    bitmap += String.fromCharCode(r);
    if (i % 5 === 4) bitmap += '\0';
  }
  return { bitmap: bitmap, first: FONT_FIRST };
}
