// The 1-bit canvas on a colour panel through the target's own display driver:
// the `screen` global (a Commodetto PixelsOut) that Moddable's setup creates
// for targets with a built-in display, such as the ST7789 of esp32/m5stick_cplus.
// Each canvas pixel becomes a scale x scale block, white on black: "on" is every
// byte 0xFF, which is white in RGB565 (either byte order), RGB332 and Gray256.
import { createFramebuffer } from '../../ui/framebuffer.ts';
import type { Framebuffer } from '../../ui/framebuffer.ts';

interface PixelsOut {
  readonly width: number;
  readonly height: number;
  begin(x: number, y: number, width: number, height: number): void;
  send(pixels: ArrayBuffer | ArrayBufferView, offset?: number, count?: number): void;
  end(): void;
  pixelsToBytes?: (count: number) => number;
}

export function screenCanvas(size: { width: number; height: number; scale: number }): Framebuffer {
  const found = (globalThis as unknown as { screen?: PixelsOut }).screen;
  if (!found) throw new Error('no screen: the project must include manifest_commodetto.json so the target creates its display driver');
  const screen: PixelsOut = found;
  const w = screen.width;
  const h = screen.height;
  const scale = size.scale;
  const bpp = screen.pixelsToBytes ? screen.pixelsToBytes(w) / w : 2;
  if (bpp < 1 || bpp !== Math.floor(bpp)) throw new Error('screen pixel format has ' + bpp + ' bytes per pixel; 1, 2 or more are supported');
  if (size.width * scale > w || size.height * scale > h) throw new Error('canvas ' + size.width + 'x' + size.height + ' at ' + scale + 'x does not fit the ' + w + 'x' + h + ' screen');
  const left = Math.floor((w - size.width * scale) / 2);
  const top = Math.floor((h - size.height * scale) / 2);
  // send() gets whole ArrayBuffers: the simulator's screen (mcsim) refuses typed-array views.
  const blank = new Uint8Array(w * bpp);
  // Two row buffers in turn: an asynchronous driver may still be sending the last one.
  const rows = [new Uint8Array(w * bpp), new Uint8Array(w * bpp)];
  let turn = 0;

  function drawRow(fb: Framebuffer, y: number, row: Uint8Array): void {
    row.fill(0);
    const base = (y >> 3) * size.width;
    const bit = 1 << (y & 7);
    const run = scale * bpp;
    for (let x = 0; x < size.width; x++) {
      if (fb.buffer[base + x] & bit) {
        const at = (left + x * scale) * bpp;
        row.fill(0xff, at, at + run);
      }
    }
  }

  function flip(fb: Framebuffer): void {
    screen.begin(0, 0, w, h);
    let drawn = -1;
    let row = blank;
    for (let y = 0; y < h; y++) {
      const cy = Math.floor((y - top) / scale);
      if (y < top || cy >= size.height) {
        screen.send(blank.buffer);
        continue;
      }
      if (cy !== drawn) {
        row = rows[turn];
        turn = 1 - turn;
        drawRow(fb, cy, row);
        drawn = cy;
      }
      screen.send(row.buffer);
    }
    screen.end();
  }

  return createFramebuffer(size.width, size.height, flip);
}
