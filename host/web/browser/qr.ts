// host/lib/qr.ts as the page sees it (swapped in by host/tools/build-web.ts):
// a browser has no file paths to read, so the page reads QR images from its
// file picker itself (host/web/qr-image.ts). Anything that still asks for a
// file here is told so instead of pulling node:fs into the page.
import { TokenError } from '../../lib/errors.ts';

export { whyNotOtpauth } from '../../lib/qr-text.ts';

export function decodeQrPng(file: string): string {
  throw new TokenError('BAD_INPUT', `cannot read ${file} here: in the web page, pick the QR image with the file chooser`);
}

export const readOtpauthQr = decodeQrPng;
