// What a QR code's text holds, and the jsQR decoder, platform-free: the CLI
// reads PNG files (qr.ts), the web page decodes images the browser drew.
import jsQRModule from 'jsqr';

// jsqr is CommonJS typed as an ES default export: under Node's ESM interop
// (and esbuild's) the default import is module.exports, whose .default is the function.
export type JsQr = typeof jsQRModule.default;
export const jsQR: JsQr = (jsQRModule as unknown as { default?: JsQr }).default ?? (jsQRModule as unknown as JsQr);

/** Why a QR code's text is not a key we can take, or null if it is an otpauth:// URI. */
export function whyNotOtpauth(text: string): string | null {
  const t = text.trim().toLowerCase();
  if (t.startsWith('otpauth://')) return null;
  if (t.startsWith('otpauth-migration://')) return 'this QR code holds a Google Authenticator export (otpauth-migration://), not an otpauth:// key';
  if (t.startsWith('http://') || t.startsWith('https://')) return 'this QR code holds a web link, not an otpauth:// key';
  if (/^[a-z][a-z0-9+.-]*:/.test(t)) return `this QR code holds a ${t.slice(0, t.indexOf(':'))}: URI, not an otpauth:// key`;
  return 'this QR code holds plain text, not an otpauth:// key';
}

