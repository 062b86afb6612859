// What a PSKC refusal tells the user to give, in each host's terms: the CLI
// names its options (--password-stdin, --key-file, --private-key), unchanged;
// the page (host/web/pskc-panel.ts's readPskcInPage, the page's own import
// code) names its form's fields and never a CLI option or node:crypto. The
// rest of each message is the codec's, word for word the same in both.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readImportText } from '../../host/lib/import/source.ts';
import { readPskcInPage } from '../../host/web/pskc-panel.ts';
import type { PskcInputs } from '../../host/web/pskc-panel.ts';
import { oaepFile } from './helpers/pskc-oaep.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });

const PASSWORD_FILE = fixture('rfc6030-figure7.pskcxml'); // PBKDF2 (RFC 6030 §6.2)
// The same values under a pre-shared key (§6.1): only the EncryptionKey differs, and no key is given.
const KEY_FILE = PASSWORD_FILE.replace(/<pskc:EncryptionKey>[\s\S]*<\/pskc:EncryptionKey>/, '<pskc:EncryptionKey><ds:KeyName>Pre-shared-key</ds:KeyName></pskc:EncryptionKey>');
const CERT_FILE = oaepFile(publicKey, Buffer.from('12345678901234567890')); // RSA-OAEP to a certificate (§6.3)
// RSA-OAEP values in a file whose EncryptionKey names a shared key, not a certificate: a shared key is asked for and given.
const CERT_NO_X509 = CERT_FILE.replace(/<EncryptionKey>[\s\S]*<\/EncryptionKey>/, '<EncryptionKey><ds:KeyName>transport</ds:KeyName></EncryptionKey>');
const SHARED_KEY = '12345678901234567890123456789012';

async function cli(text: string, keyFile?: string): Promise<string> {
  const e = await readImportText(text, 'f.pskcxml', { preSharedKey: keyFile === undefined ? undefined : async () => new TextEncoder().encode(keyFile) }).then(
    () => null,
    (x: unknown) => x as Error,
  );
  if (!e) throw new Error('the CLI read it');
  return e.message;
}

async function page(text: string, inputs: PskcInputs = {}): Promise<string> {
  const e = await readPskcInPage(text, 'f.pskcxml', inputs).then(
    () => null,
    (x: unknown) => x as Error,
  );
  if (!e) throw new Error('the page read it');
  return e.message;
}

describe('PSKC: the key a file needs, in the words of the host that asks', () => {
  it("the CLI's messages name its options, as before", async () => {
    expect(await cli(KEY_FILE)).toBe("f.pskcxml: this PSKC file is encrypted under a pre-shared key ('Pre-shared-key'): give that key (--key-file FILE, hex or raw bytes)");
    expect(await cli(CERT_FILE)).toBe('f.pskcxml: this PSKC file is encrypted to a certificate (RFC 6030 §6.3): give the matching private key (--private-key FILE.pem)');
    expect(await cli(CERT_NO_X509, SHARED_KEY)).toBe('f.pskcxml: the values are encrypted to a certificate (RSA): give the private key (--private-key), not a shared key');
  });

  it("the page's name its fields, and nothing else in them differs", async () => {
    const cases: [string, PskcInputs, string, string][] = [
      [KEY_FILE, {}, "choose that key's file (hex or raw bytes) in the pre-shared key field", 'give that key (--key-file FILE, hex or raw bytes)'],
      [CERT_FILE, {}, 'choose the matching private key (PEM) in the private key field', 'give the matching private key (--private-key FILE.pem)'],
      [
        CERT_NO_X509,
        { keyFile: new TextEncoder().encode(SHARED_KEY) },
        'a private key opens them, not a password or shared key, but the file names no certificate (X509Data), so this page cannot ask for one',
        'give the private key (--private-key), not a shared key',
      ],
    ];
    for (const [text, inputs, pageWords, cliWords] of cases) {
      const said = await page(text, inputs);
      expect(said).not.toMatch(/--[a-z]|node:crypto/);
      expect(said.endsWith(pageWords), said).toBe(true);
      expect(said).toBe((await cli(text, inputs.keyFile ? SHARED_KEY : undefined)).replace(cliWords, pageWords));
    }
  });

  it('a password file given no password: the page says so without naming --password-stdin (its form asks before reading)', async () => {
    const said = await page(PASSWORD_FILE);
    expect(said).toBe('f.pskcxml: this PSKC file is protected by a password');
    expect(await cli(PASSWORD_FILE)).toBe(said);
  });
});
