// Shim of the `screen` global that Moddable's commodetto setup creates for a
// target's built-in display (a PixelsOut: begin, send, end). It keeps the
// frame in the panel's pixel format and checks that every begin() window is
// filled exactly, in whole pixels, before end(). On the Linux simulator (mcsim,
// build/simulators/modules/screen.c screen_send) send() takes an ArrayBuffer or
// a host object only: a typed-array view goes to xsGetHostData and throws "not a
// host object"; the ESP32 drivers read any buffer. The host reads it back as
// 1 bit per pixel (any nonzero pixel is lit) in SSD1306 page layout.
import { config, IN, onHost } from './host.ts';

export function installScreen(): void {
  const s = config.screen;
  if (!s) return;
  const frame = new Uint8Array(s.width * s.height * s.bytesPerPixel);
  let area: { x: number; y: number; w: number; h: number } | null = null;
  let sent = 0;
  const screen = {
    width: s.width,
    height: s.height,
    pixelFormat: s.bytesPerPixel === 2 ? 7 : 8,
    pixelsToBytes: (count: number) => count * s.bytesPerPixel,
    begin(x: number, y: number, w: number, h: number): void {
      if (area) throw new Error('screen: begin() before end()');
      if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > s.width || y + h > s.height) throw new Error(`screen: begin(${x}, ${y}, ${w}, ${h}) is outside ${s.width}x${s.height}`);
      area = { x, y, w, h };
      sent = 0;
    },
    send(pixels: ArrayBuffer | ArrayBufferView, offset = 0, count?: number): void {
      if (!area) throw new Error('screen: send() outside begin()/end()');
      if (config.platform === 'lin' && !(pixels instanceof ArrayBuffer)) throw new TypeError('not a host object');
      const all = pixels instanceof ArrayBuffer ? new Uint8Array(pixels) : new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength);
      const bytes = all.subarray(offset, count === undefined ? undefined : offset + count);
      if (bytes.length % s.bytesPerPixel) throw new Error('screen: send() of a partial pixel');
      const total = area.w * area.h * s.bytesPerPixel;
      if (sent + bytes.length > total) throw new Error('screen: send() past the begin() window');
      const rowBytes = area.w * s.bytesPerPixel;
      for (let i = 0; i < bytes.length; ) {
        const at = sent + i;
        const row = Math.floor(at / rowBytes);
        const col = at % rowBytes;
        const n = Math.min(rowBytes - col, bytes.length - i);
        frame.set(bytes.subarray(i, i + n), ((area.y + row) * s.width + area.x) * s.bytesPerPixel + col);
        i += n;
      }
      sent += bytes.length;
    },
    end(): void {
      if (!area) throw new Error('screen: end() without begin()');
      const total = area.w * area.h * s.bytesPerPixel;
      if (sent !== total) throw new Error(`screen: end() after ${sent} of ${total} bytes`);
      area = null;
    },
    continue(): void {},
    adaptInvalid(): void {},
  };
  (globalThis as { screen?: unknown }).screen = screen;
  onHost(IN.DISPLAY, () => {
    const pages = Math.ceil(s.height / 8);
    const out = new Uint8Array(4 + s.width * pages);
    new DataView(out.buffer).setUint16(0, s.width);
    new DataView(out.buffer).setUint16(2, s.height);
    for (let y = 0; y < s.height; y++) {
      for (let x = 0; x < s.width; x++) {
        let lit = 0;
        for (let k = 0; k < s.bytesPerPixel; k++) lit |= frame[(y * s.width + x) * s.bytesPerPixel + k]!;
        if (lit) out[4 + x + (y >> 3) * s.width]! |= 1 << (y & 7);
      }
    }
    return out.buffer;
  });
}
