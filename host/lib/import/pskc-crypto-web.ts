// The PSKC codec's crypto in the page, where node:crypto is not: AES from
// @noble/ciphers, HMAC and SHA from @noble/hashes (audited, pure JS, the
// libraries host/lib already uses for hashes), PBKDF2 from WebCrypto (native:
// faster than JavaScript, README's figures table has the measured times, and off the page's thread;
// hashes/pbkdf2-web.ts) for the PRFs it has, @noble/hashes for HMAC-SHA224, which it lacks, Triple DES from des.js
// (the DES that browserify's crypto shim uses), RSA-OAEP from WebCrypto,
// which only it has, and Camellia from camellia.ts (RFC 3713, written here:
// neither WebCrypto nor a well-kept JavaScript library has it). So the page
// reads every file the CLI reads. Loaded by the page only when a PSKC file
// is imported.
import { cbc, ecb } from '@noble/ciphers/aes.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha224, sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import des from 'des.js';
import { base64Decode } from '../../../protocol/base64.ts';
import { pbkdf2 } from '../hashes/pbkdf2-web.ts';
import { camelliaCbcDecrypt, camelliaKey } from './camellia.ts';
import { CipherRefusal } from './pskc-crypto.ts';
import type { HmacHash, PskcCrypto, RsaPrivateKey } from './pskc-crypto.ts';

const HASHES = { sha1, sha224, sha256, sha384, sha512 };

const EDE_CBC = des.CBC.instantiate(des.EDE);

/** DER length octets (X.690 §8.1.3). */
function derLength(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return [0x80 | out.length, ...out];
}

/** RFC 5208 PrivateKeyInfo around an RFC 8017 RSAPrivateKey ("BEGIN RSA PRIVATE KEY"), which WebCrypto imports only as PKCS#8. */
function pkcs1ToPkcs8(pkcs1: Uint8Array): Uint8Array<ArrayBuffer> {
  const version = [0x02, 0x01, 0x00];
  const rsaEncryption = [0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00]; // OID 1.2.840.113549.1.1.1, NULL
  const octets = [0x04, ...derLength(pkcs1.length)];
  const body = version.length + rsaEncryption.length + octets.length + pkcs1.length;
  const head = [0x30, ...derLength(body), ...version, ...rsaEncryption, ...octets];
  const out = new Uint8Array(head.length + pkcs1.length);
  out.set(head, 0);
  out.set(pkcs1, head.length);
  return out;
}

/** The DER inside a PEM private key, as PKCS#8; a CipherRefusal saying why not. */
function pemToPkcs8(pem: string): Uint8Array<ArrayBuffer> {
  const m = /-----BEGIN ((?:RSA |ENCRYPTED )?PRIVATE KEY)-----([\s\S]*?)-----END \1-----/.exec(pem);
  if (!m) throw new CipherRefusal('the private key given is not a PEM private key (-----BEGIN PRIVATE KEY-----)');
  if (m[1] === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,ENCRYPTED/.test(m[2])) {
    // node:crypto cannot read it without its passphrase either: the CLI is no way out.
    throw new CipherRefusal('the private key given is itself encrypted (with a passphrase), which this page does not read: choose a decrypted copy (openssl pkey -in KEY.pem -out PLAIN.pem)');
  }
  let der: Uint8Array<ArrayBuffer>;
  try {
    der = new Uint8Array(base64Decode(m[2].replace(/\s+/g, '')));
  } catch {
    throw new CipherRefusal('the private key given is not a PEM private key (its base64 is damaged)');
  }
  if (m[1] !== 'RSA PRIVATE KEY') return der;
  const pkcs8 = pkcs1ToPkcs8(der);
  der.fill(0);
  return pkcs8;
}

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  // WebCrypto's subtle exists only in a secure context (https, or localhost as `totp-token web` serves it).
  if (!s) throw new CipherRefusal('this browser offers no WebCrypto here, so RSA-OAEP cannot be decrypted: open the page over https or from localhost (as totp-token web serves it)');
  return s;
}

export const webPskcCrypto: PskcCrypto = {
  name: 'this browser',
  // WebCrypto has no RSAES-PKCS1-v1_5 at all; the reason is the same as node:crypto's.
  rsa15Refusal: "which this page refuses to decrypt because it cannot be done safely (Bleichenbacher's padding-oracle attack; CVE-2023-46809, the Marvin attack, is its timing form)",
  cbcDecrypt: async (cipher, key, iv, data) => {
    if (cipher === 'aes') return cbc(key, iv, { disablePadding: true }).decrypt(data);
    if (cipher === 'camellia') return camelliaCbcDecrypt(key, iv, data);
    const d = EDE_CBC.create({ type: 'decrypt', key, iv, padding: false });
    return new Uint8Array([...d.update(data), ...d.final()]);
  },
  blockDecrypt: async (cipher, key, block) => {
    if (cipher === 'aes') return ecb(key, { disablePadding: true }).decrypt(block);
    const k = camelliaKey(key);
    try {
      return k.decryptBlock(block);
    } finally {
      k.wipe();
    }
  },
  hmac: async (hash: HmacHash, key, message) => hmac(HASHES[hash], key, message),
  sha1: async (data) => sha1(data),
  // Native where it can be: a costly file (100,000 iterations and more) is several times faster than in JavaScript (README's figures table, from npm run bench) and does not freeze the page.
  pbkdf2,
  async rsaPrivateKey(pem) {
    const der = pemToPkcs8(pem);
    try {
      const key = await subtle().importKey('pkcs8', der, { name: 'RSA-OAEP', hash: 'SHA-1' }, false, ['decrypt']);
      return { rsaPrivateKey: key };
    } catch (e) {
      if (e instanceof CipherRefusal) throw e;
      throw new CipherRefusal('the private key given is not an RSA private key this browser can read');
    } finally {
      der.fill(0);
    }
  },
  async rsaOaepDecrypt(key: RsaPrivateKey, data) {
    return new Uint8Array(await subtle().decrypt({ name: 'RSA-OAEP' }, key.rsaPrivateKey as CryptoKey, new Uint8Array(data)));
  },
};
