// The PSKC codec's crypto for the CLI: node:crypto (OpenSSL), which has every
// cipher PSKC names, Camellia included.
import { constants, createDecipheriv, createHash, createHmac, createPrivateKey, privateDecrypt } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { pbkdf2 } from '../hashes/pbkdf2-node.ts';
import { CipherRefusal } from './pskc-crypto.ts';
import type { BlockCipher, PskcCrypto, RsaPrivateKey } from './pskc-crypto.ts';

/** OpenSSL's name for a block cipher in a mode, by key length. */
function opensslName(cipher: BlockCipher, keyLength: number, mode: 'cbc' | 'ecb'): string {
  return cipher === 'des-ede3' ? 'des-ede3-cbc' : `${cipher}-${keyLength * 8}-${mode}`;
}

function run(name: string, key: Uint8Array, iv: Uint8Array | null, data: Uint8Array): Uint8Array {
  const d = createDecipheriv(name, key, iv);
  d.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([d.update(data), d.final()]));
}

export const nodePskcCrypto: PskcCrypto = {
  name: 'node:crypto',
  rsa15Refusal: 'which node:crypto refuses to decrypt because it cannot be done safely (CVE-2023-46809, the Marvin attack)',
  cbcDecrypt: async (cipher, key, iv, data) => run(opensslName(cipher, key.length, 'cbc'), key, iv, data),
  blockDecrypt: async (cipher, key, block) => run(opensslName(cipher, key.length, 'ecb'), key, null, block),
  hmac: async (hash, key, message) => new Uint8Array(createHmac(hash, key).update(message).digest()),
  sha1: async (data) => new Uint8Array(createHash('sha1').update(data).digest()),
  pbkdf2,
  async rsaPrivateKey(pem) {
    try {
      return { rsaPrivateKey: createPrivateKey(pem) };
    } catch {
      throw new CipherRefusal('the private key given is not a PEM private key node:crypto can read');
    }
  },
  rsaOaepDecrypt: async (key: RsaPrivateKey, data) =>
    new Uint8Array(privateDecrypt({ key: key.rsaPrivateKey as KeyObject, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, data)),
};
