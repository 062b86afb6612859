// A 1-bit canvas in SSD1306 page layout: byte (x + (y >> 3) * width), bit
// (y & 7). It is what a 128x64 OLED holds, so a port can send it to the
// panel as is, and tests can read the digits off the same pixels.
import type { Canvas } from '../ports.ts';
import { FONT_5X7, FONT_FIRST } from './font5x7.ts';

export interface Framebuffer extends Canvas {
  buffer: Uint8Array;
  pixel(x: number, y: number): boolean;
}

export function createFramebuffer(width: number, height: number, onFlip: (fb: Framebuffer) => void): Framebuffer {
  const buffer = new Uint8Array((width * height) >> 3);

  function set(x: number, y: number): void {
    if (x >= 0 && y >= 0 && x < width && y < height) buffer[x + (y >> 3) * width] |= 1 << (y & 7);
  }

  function fillRect(x: number, y: number, w: number, h: number): void {
    for (let i = 0; i < w; i++) for (let j = 0; j < h; j++) set(x + i, y + j);
  }

  function glyph(x: number, y: number, code: number, scale: number): void {
    const index = code >= FONT_FIRST && code < FONT_FIRST + 95 ? code - FONT_FIRST : 31; // '?' otherwise
    for (let col = 0; col < 5; col++) {
      const bits = FONT_5X7[index * 5 + col];
      for (let row = 0; row < 7; row++) if (bits & (1 << row)) fillRect(x + col * scale, y + row * scale, scale, scale);
    }
  }

  const fb: Framebuffer = {
    width: width,
    height: height,
    cellW: 6,
    cellH: 8,
    buffer: buffer,
    clear: () => buffer.fill(0),
    text: (x: number, y: number, text: string, scale: number) => {
      for (let i = 0; i < text.length; i++) glyph(x + i * 6 * scale, y, text.charCodeAt(i), scale);
    },
    fillRect: fillRect,
    flip: () => onFlip(fb),
    pixel: (x: number, y: number) => (buffer[x + (y >> 3) * width] & (1 << (y & 7))) !== 0,
  };
  return fb;
}
