// A PSKC document to accounts for an import, the same in the CLI and the
// page: what the file needs (a password, a pre-shared key, a private key) is
// asked for through the caller's callbacks only when the file needs it, then
// the codec reads it with the caller's crypto provider; messages that say
// what key to give use the caller's words (its options, or its fields). Node-free.
import { TokenError } from '../errors.ts';
import { pskcNeedsPassword, readPskcWith } from './pskc.ts';
import type { PskcKeyWords } from './pskc.ts';
import type { PskcCrypto } from './pskc-crypto.ts';
import type { ImportOptions, ImportSet } from './source.ts';

export async function readPskcImport(crypto: PskcCrypto, text: string, source: string, opts: ImportOptions = {}, keyWords?: PskcKeyWords): Promise<ImportSet> {
  const need = pskcNeedsPassword(text, source);
  const ask = async <T>(f: (() => Promise<T>) | undefined, why: string): Promise<T> => {
    if (!f) throw new TokenError('BAD_INPUT', `${source}: ${why}`);
    return f();
  };
  const password = need === 'password' ? await ask(opts.password, 'this PSKC file is protected by a password') : undefined;
  // Without a key the reader still runs: it names an unsupported cipher (RSA PKCS#1 v1.5...) before asking for the key.
  const preSharedKey = need === 'key' && opts.preSharedKey ? await opts.preSharedKey() : undefined;
  const privateKeyPem = need === 'private-key' && opts.privateKeyPem ? await opts.privateKeyPem() : undefined;
  let keys;
  const notes: string[] = [];
  try {
    keys = await readPskcWith(crypto, text, { password, preSharedKey, privateKeyPem, source, keyWords, onWarning: (w) => notes.push(w) });
  } finally {
    preSharedKey?.fill(0);
  }
  return { kind: 'pskc', accounts: keys.map((k, i) => ({ otp: k.otp, from: `key ${i + 1}${k.keyId ? ` (${k.keyId})` : ''}` })), notes };
}
