// Importing a PSKC file (RFC 6030) in the page: host/lib/import's one PSKC
// codec and pskc-source.ts, as `totp-token import` runs them, with the page's
// crypto provider (@noble/ciphers, @noble/hashes, des.js, camellia.ts,
// WebCrypto RSA-OAEP) instead of node:crypto, and the page's fields instead of
// the CLI's options where a message says what key to give. Loaded only when a
// PSKC file is chosen: the XML parser and the ciphers stay out of the first load.
import { keyFromFile } from '../lib/import/key-file.ts';
import { pskcNeedsPassword } from '../lib/import/pskc.ts';
import type { PskcKeyWords, PskcProtection } from '../lib/import/pskc.ts';
import { webPskcCrypto } from '../lib/import/pskc-crypto-web.ts';
import { readPskcImport } from '../lib/import/pskc-source.ts';
import type { ImportSet } from '../lib/import/source.ts';

/** What the user gave for the file: the password, the bytes of a key file, a PEM private key. */
export interface PskcInputs {
  password?: string;
  keyFile?: Uint8Array;
  privateKeyPem?: string;
}

/** The form's fields (index.html's #pskc-form labels), where the CLI would name --password-stdin, --key-file, --private-key. */
export const PAGE_KEY_WORDS: PskcKeyWords = {
  password: "enter it in the file's password field",
  key: "choose that key's file (hex or raw bytes) in the pre-shared key field",
  privateKey: 'choose the matching private key (PEM) in the private key field',
  // The page asks for a private key only when the file names a certificate (X509Data); this one does not.
  privateKeyNotShared: 'a private key opens them, not a password or shared key, but the file names no certificate (X509Data), so this page cannot ask for one',
};

/** What the file needs before it can be read (the page shows that field only), or an error saying what is wrong with it. */
export function pskcNeeds(text: string, source: string): PskcProtection {
  return pskcNeedsPassword(text, source);
}

/** The file's accounts, read exactly as the CLI reads it; the key file's bytes are wiped. */
export async function readPskcInPage(text: string, source: string, inputs: PskcInputs): Promise<ImportSet> {
  const keyFile = inputs.keyFile;
  try {
    return await readPskcImport(webPskcCrypto, text, source, {
      password: inputs.password === undefined ? undefined : async () => inputs.password as string,
      preSharedKey: keyFile === undefined ? undefined : async () => keyFromFile(keyFile),
      privateKeyPem: inputs.privateKeyPem === undefined ? undefined : async () => inputs.privateKeyPem as string,
    }, PAGE_KEY_WORDS);
  } finally {
    keyFile?.fill(0);
  }
}
