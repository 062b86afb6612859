// Reading a setup QR code with the camera, where the browser offers one:
// frames of the live video go through jsQR (the decoder the file path uses)
// until one holds an otpauth:// key; codes that hold something else are
// reported (without their content) and scanning goes on. Nothing is
// recorded or uploaded; the camera is released as soon as it is done.
import { TokenError } from '../lib/errors.ts';
import { jsQR, whyNotOtpauth } from '../lib/qr-text.ts';

export const hasCamera = (): boolean => !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);

export async function scanOtpauth(video: HTMLVideoElement, signal: AbortSignal, onNotAKey: (why: string) => void): Promise<string> {
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
  } catch (e) {
    throw new TokenError('BAD_INPUT', `no camera to scan with: ${(e as Error).message}`);
  }
  const stop = () => {
    for (const t of stream.getTracks()) t.stop();
    video.srcObject = null;
  };
  try {
    video.srcObject = stream;
    await video.play();
    const canvas = new OffscreenCanvas(1, 1);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new TokenError('BAD_INPUT', 'this browser cannot read camera frames');
    for (;;) {
      if (signal.aborted) throw new TokenError('INTERRUPTED', 'scanning stopped');
      if (video.videoWidth > 0) {
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        ctx.drawImage(video, 0, 0);
        const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
        const found = jsQR(img.data, img.width, img.height, { inversionAttempts: 'attemptBoth' });
        img.data.fill(0);
        if (found) {
          const why = whyNotOtpauth(found.data);
          if (!why) return found.data.trim();
          onNotAKey(why);
        }
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  } finally {
    stop();
  }
}
