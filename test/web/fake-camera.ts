// A camera for headless Chromium: --use-file-for-fake-video-capture plays a
// Y4M file as the webcam (Chromium's media/capture/video/file_video_capture_device.cc
// reads "YUV4MPEG2 W.. H.. F..:.. ..." then "FRAME\n" + an I420 frame, and
// loops it). Here one frame: a QR code PNG in grey on white, centred.
import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';

export async function writeQrY4m(file: string, text: string, width = 640, height = 480): Promise<void> {
  const png = PNG.sync.read(await QRCode.toBuffer(text, { type: 'png', margin: 4, scale: 6 }));
  const y = new Uint8Array(width * height).fill(235);
  const x0 = Math.floor((width - png.width) / 2);
  const y0 = Math.floor((height - png.height) / 2);
  for (let j = 0; j < png.height; j++) {
    for (let i = 0; i < png.width; i++) {
      const px = (j * png.width + i) * 4;
      const lum = Math.round(0.299 * png.data[px] + 0.587 * png.data[px + 1] + 0.114 * png.data[px + 2]);
      if (x0 + i >= 0 && x0 + i < width && y0 + j >= 0 && y0 + j < height) y[(y0 + j) * width + x0 + i] = 16 + Math.round((lum * 219) / 255);
    }
  }
  const chroma = new Uint8Array((width / 2) * (height / 2) * 2).fill(128);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\nFRAME\n`, 'latin1');
  writeFileSync(file, Buffer.concat([header, Buffer.from(y), Buffer.from(chroma)]));
}
