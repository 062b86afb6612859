// Importing a PSKC file (RFC 6030) in the page: host/lib/import's one PSKC
// codec and pskc-source.ts, as `totp-token import` runs them, with the page's
// crypto provider (@noble/ciphers, @noble/hashes, des.js, camellia.ts,
// WebCrypto RSA-OAEP and PBKDF2) instead of node:crypto, and the page's fields instead of
// the CLI's options where a message says what key to give. Loaded only when a
// PSKC file is chosen: the XML parser and the ciphers stay out of the first load.
import { keyFromFile } from '../lib/import/key-file.ts';
import { pskcNeedsPassword } from '../lib/import/pskc.ts';
import type { PskcKeyWords, PskcProtection } from '../lib/import/pskc.ts';
import type { HmacHash, PskcCrypto } from '../lib/import/pskc-crypto.ts';
import { nativePbkdf2 } from '../lib/hashes/pbkdf2-web.ts';
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

/** A password's key derivation under way: the file's own count (up to the codec's 10,000,000) can take seconds. */
export interface KeyDerivation {
  iterations: number;
  prf: HmacHash;
  /** In WebCrypto (native, off the page's thread), or in JavaScript (no secure context, or HMAC-SHA224). */
  native: boolean;
}

/** The status line while it runs: what is happening and how much of it, so a long wait is not a hang. */
export function keyDerivationWords(d: KeyDerivation): string {
  const how = d.native ? '' : ' in JavaScript (this browser offers no native PBKDF2 for it here), which can take minutes';
  return `Deriving the key from the password: ${d.iterations.toLocaleString('en-US')} PBKDF2 iterations (HMAC-${d.prf.toUpperCase()})${how}...`;
}

/** The page's provider, telling `onKeyDerivation` when a PBKDF2 starts (its count) and when it ends (null). */
function watchedCrypto(onKeyDerivation: ((d: KeyDerivation | null) => void) | undefined): PskcCrypto {
  if (!onKeyDerivation) return webPskcCrypto;
  return {
    ...webPskcCrypto,
    async pbkdf2(hash, password, salt, iterations, length) {
      onKeyDerivation({ iterations, prf: hash, native: nativePbkdf2(hash) });
      try {
        return await webPskcCrypto.pbkdf2(hash, password, salt, iterations, length);
      } finally {
        onKeyDerivation(null);
      }
    },
  };
}

/** The file's accounts, read exactly as the CLI reads it; the key file's bytes are wiped. */
export async function readPskcInPage(text: string, source: string, inputs: PskcInputs, onKeyDerivation?: (d: KeyDerivation | null) => void): Promise<ImportSet> {
  const keyFile = inputs.keyFile;
  try {
    return await readPskcImport(watchedCrypto(onKeyDerivation), text, source, {
      password: inputs.password === undefined ? undefined : async () => inputs.password as string,
      preSharedKey: keyFile === undefined ? undefined : async () => keyFromFile(keyFile),
      privateKeyPem: inputs.privateKeyPem === undefined ? undefined : async () => inputs.privateKeyPem as string,
    }, PAGE_KEY_WORDS);
  } finally {
    keyFile?.fill(0);
  }
}
