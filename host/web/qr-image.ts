// A QR code image file the user picked, decoded in the page: the browser
// decodes the image, jsQR (the same decoder the CLI uses) reads the code.
// Nothing is uploaded; the pixels are wiped after. Loaded only when used.
import { TokenError } from '../lib/errors.ts';
import { jsQR, whyNotOtpauth } from '../lib/qr-text.ts';

/** The text of the first QR code in an image file, whatever it holds. */
export async function decodeQrImage(file: File): Promise<string> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new TokenError('BAD_INPUT', `cannot read QR image ${file.name}: not an image this browser can decode`);
  }
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new TokenError('BAD_INPUT', 'this browser cannot draw images off screen');
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
  const found = jsQR(img.data, img.width, img.height, { inversionAttempts: 'attemptBoth' });
  img.data.fill(0); // the image shows the seed
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  if (!found) throw new TokenError('BAD_INPUT', `no QR code found in ${file.name}`);
  return found.data;
}

/** The otpauth:// URI in a QR code image, or a BAD_INPUT error saying what the code holds instead. */
export async function readOtpauthFromImage(file: File): Promise<string> {
  const text = await decodeQrImage(file);
  const why = whyNotOtpauth(text);
  if (why) throw new TokenError('BAD_INPUT', `${file.name}: ${why}`);
  return text.trim();
}
