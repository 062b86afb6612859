import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { decodeQrPng, readOtpauthQr, whyNotOtpauth } from '../../host/lib/qr.ts';

const dir = mkdtempSync(join(tmpdir(), 'tt-qr-'));
async function qrFile(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await QRCode.toFile(file, text, { type: 'png' });
  return file;
}

describe('QR codes', () => {
  it('decodes an otpauth URI from a PNG', async () => {
    const uri = 'otpauth://totp/AWS:root?secret=' + 'B'.repeat(64) + '&issuer=AWS';
    expect(readOtpauthQr(await qrFile('ok.png', uri))).toBe(uri);
  });

  it('refuses a web link, saying what it is and not echoing it', async () => {
    const file = await qrFile('web.png', 'https://example.com/login?token=abc');
    expect(decodeQrPng(file)).toMatch(/^https:/);
    expect(() => readOtpauthQr(file)).toThrow('this QR code holds a web link, not an otpauth:// key');
    expect(() => readOtpauthQr(file)).not.toThrow(/example\.com/);
  });

  it('names other contents and unreadable files', () => {
    expect(whyNotOtpauth('otpauth-migration://offline?data=x')).toMatch(/Google Authenticator export/);
    expect(whyNotOtpauth('hello')).toMatch(/plain text/);
    expect(whyNotOtpauth('WIFI:S:x;;')).toMatch(/wifi: URI/);
    writeFileSync(join(dir, 'bad.png'), 'not a png');
    expect(() => readOtpauthQr(join(dir, 'bad.png'))).toThrow(/not a readable PNG/);
    expect(() => readOtpauthQr(join(dir, 'missing.png'))).toThrow(/no such file/);
  });
});
