// Importing a PSKC file (RFC 6030) in the page: host/lib/import's one PSKC
// codec and pskc-source.ts, as `totp-token import` runs them, with the page's
// crypto provider (@noble/ciphers, @noble/hashes, des.js, WebCrypto RSA-OAEP)
// instead of node:crypto. Loaded only when a PSKC file is chosen: the XML
// parser and the ciphers stay out of the first load.
import { keyFromFile } from '../lib/import/key-file.ts';
import { pskcCheckCiphers, pskcNeedsPassword } from '../lib/import/pskc.ts';
import type { PskcProtection } from '../lib/import/pskc.ts';
import { webPskcCrypto } from '../lib/import/pskc-crypto-web.ts';
import { readPskcImport } from '../lib/import/pskc-source.ts';
import type { ImportSet } from '../lib/import/source.ts';

/** What the user gave for the file: the password, the bytes of a key file, a PEM private key. */
export interface PskcInputs {
  password?: string;
  keyFile?: Uint8Array;
  privateKeyPem?: string;
}

/**
 * What the file needs before it can be read (the page shows that field only),
 * or an error saying what is wrong with it: also a cipher the page lacks
 * (Camellia), before the user looks for a password or key it could not use.
 */
export function pskcNeeds(text: string, source: string): PskcProtection {
  const need = pskcNeedsPassword(text, source);
  pskcCheckCiphers(webPskcCrypto, text, source);
  return need;
}

/** The file's accounts, read exactly as the CLI reads it; the key file's bytes are wiped. */
export async function readPskcInPage(text: string, source: string, inputs: PskcInputs): Promise<ImportSet> {
  const keyFile = inputs.keyFile;
  try {
    return await readPskcImport(webPskcCrypto, text, source, {
      password: inputs.password === undefined ? undefined : async () => inputs.password as string,
      preSharedKey: keyFile === undefined ? undefined : async () => keyFromFile(keyFile),
      privateKeyPem: inputs.privateKeyPem === undefined ? undefined : async () => inputs.privateKeyPem as string,
    });
  } finally {
    keyFile?.fill(0);
  }
}
