// Reading a key from a QR code image (a screenshot of a setup page). The
// file is read where it is, never copied: it shows a seed. The decoded text
// is returned only when it is an otpauth:// URI; anything else is refused
// with what it holds instead, without echoing the content.
import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { TokenError } from './errors.ts';
import { jsQR, whyNotOtpauth } from './qr-text.ts';

export { whyNotOtpauth } from './qr-text.ts';


/** Decode the first QR code in a PNG file to its text, whatever it holds. */
export function decodeQrPng(file: string): string {
  let png: PNG;
  try {
    png = PNG.sync.read(readFileSync(file));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such file' : err.code ? err.code : `not a readable PNG (${err.message})`;
    throw new TokenError('BAD_INPUT', `cannot read QR image ${file}: ${why}`);
  }
  const pixels = new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length);
  const found = jsQR(pixels, png.width, png.height, { inversionAttempts: 'attemptBoth' });
  png.data.fill(0); // the image shows the seed
  if (!found) throw new TokenError('BAD_INPUT', `no QR code found in ${file}`);
  return found.data;
}

/** The otpauth:// URI in a QR code PNG, or a BAD_INPUT error saying what the code holds instead. */
export function readOtpauthQr(file: string): string {
  const text = decodeQrPng(file);
  const why = whyNotOtpauth(text);
  if (why) throw new TokenError('BAD_INPUT', `${file}: ${why}`);
  return text.trim();
}
