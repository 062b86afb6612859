// The simulated OLED as a PNG, pixel-exact, scaled up. Loaded only when an
// image is asked for (sim --png, the p key): pngjs and zlib are not free.
// Terminal text is in render-text.ts.
import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import type { Framebuffer } from '../../ui/framebuffer.ts';

/** Write the display as a PNG: lit pixels in OLED blue-white on black, each pixel `scale` x `scale`. */
export function framebufferToPng(fb: Framebuffer, file: string, scale = 4): void {
  const png = new PNG({ width: fb.width * scale, height: fb.height * scale });
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      const on = fb.pixel(Math.floor(x / scale), Math.floor(y / scale));
      const i = (y * png.width + x) * 4;
      png.data[i] = on ? 0xc8 : 0;
      png.data[i + 1] = on ? 0xf0 : 0;
      png.data[i + 2] = on ? 0xff : 0;
      png.data[i + 3] = 0xff;
    }
  }
  writeFileSync(file, PNG.sync.write(png));
}
