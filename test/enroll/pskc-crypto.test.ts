// The PSKC codec's two crypto providers (host/lib/import/pskc-crypto-node.ts:
// node:crypto; pskc-crypto-web.ts: @noble/ciphers, @noble/hashes, des.js,
// camellia.ts, WebCrypto) give the same bytes for every primitive, on random
// inputs; the page's Camellia (camellia.ts, written from RFC 3713) gives RFC
// 3713 Appendix A's ciphertexts and OpenSSL's (node:crypto camellia-*-cbc/ecb)
// on random keys, blocks and CBC messages; the codec's own RFC 3394/5649
// unwrap, over either provider, opens what @noble/ciphers' independent
// aeskw/aeskwp wrap, an RFC 3657 Camellia wrap made here over OpenSSL's
// Camellia, and the RFCs' own vectors, and refuses a tampered wrap. (The
// page's whole import is compared with the CLI's in real Chromium:
// test/web/pskc.test.ts.)
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { aeskw, aeskwp } from '@noble/ciphers/aes.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fromHex, toHex } from '../../protocol/bytes.ts';
import { camelliaCbcDecrypt, camelliaCbcEncrypt, camelliaKey } from '../../host/lib/import/camellia.ts';
import { CipherRefusal, WrongKeyError, checkCipher, decrypt } from '../../host/lib/import/pskc-crypto.ts';
import type { HmacHash, PskcCrypto } from '../../host/lib/import/pskc-crypto.ts';
import { nodePskcCrypto } from '../../host/lib/import/pskc-crypto-node.ts';
import { nativePbkdf2 } from '../../host/lib/hashes/pbkdf2-web.ts';
import { webPskcCrypto } from '../../host/lib/import/pskc-crypto-web.ts';

const rnd = (n: number) => new Uint8Array(randomBytes(n));
const HASHES: HmacHash[] = ['sha1', 'sha224', 'sha256', 'sha384', 'sha512'];
const PROVIDERS: [string, PskcCrypto][] = [
  ['node', nodePskcCrypto],
  ['web', webPskcCrypto],
];

describe('PSKC crypto providers: node:crypto and the page\'s agree', () => {
  it('AES and Triple DES in CBC (no unpadding), one AES block, for every key length', async () => {
    for (let i = 0; i < 20; i++) {
      for (const n of [16, 24, 32]) {
        const [key, iv, data] = [rnd(n), rnd(16), rnd(16 * (1 + (i % 4)))];
        expect(toHex(await webPskcCrypto.cbcDecrypt('aes', key, iv, data))).toBe(toHex(await nodePskcCrypto.cbcDecrypt('aes', key, iv, data)));
        expect(toHex(await webPskcCrypto.blockDecrypt('aes', key, data.subarray(0, 16)))).toBe(toHex(await nodePskcCrypto.blockDecrypt('aes', key, data.subarray(0, 16))));
      }
      const [key, iv, data] = [rnd(24), rnd(8), rnd(8 * (1 + (i % 5)))];
      expect(toHex(await webPskcCrypto.cbcDecrypt('des-ede3', key, iv, data))).toBe(toHex(await nodePskcCrypto.cbcDecrypt('des-ede3', key, iv, data)));
    }
  });

  it('HMAC, PBKDF2 and SHA-1 with every hash PSKC names', async () => {
    for (const h of HASHES) {
      const [key, msg, salt] = [rnd(1 + (h.length % 70)), rnd(100), rnd(16)];
      expect(toHex(await webPskcCrypto.hmac(h, key, msg))).toBe(toHex(await nodePskcCrypto.hmac(h, key, msg)));
      expect(toHex(await webPskcCrypto.pbkdf2(h, msg.subarray(0, 12), salt, 50, 32))).toBe(toHex(await nodePskcCrypto.pbkdf2(h, msg.subarray(0, 12), salt, 50, 32)));
    }
    const m = rnd(77);
    expect(toHex(await webPskcCrypto.sha1(m))).toBe(toHex(await nodePskcCrypto.sha1(m)));
  });

  it('PBKDF2 on random passwords, salts, counts and lengths, with every PRF: the WebCrypto path and the JavaScript one', async () => {
    for (let i = 0; i < 25; i++) {
      for (const h of HASHES) {
        const [password, salt] = [rnd(1 + ((i * 7) % 40)), rnd(1 + ((i * 5) % 33))];
        const [iterations, length] = [1 + ((i * 37) % 300), [16, 24, 32][i % 3]];
        const want = toHex(await nodePskcCrypto.pbkdf2(h, password, salt, iterations, length));
        expect(toHex(await webPskcCrypto.pbkdf2(h, password, salt, iterations, length)), `${h} ${iterations}`).toBe(want);
        expect(toHex(password).length).toBe(2 * password.length); // the caller's password is not wiped or replaced by the provider
      }
    }
  });
});

// The page's PBKDF2 runs in WebCrypto (crypto.subtle.importKey 'PBKDF2' +
// deriveBits, W3C Web Cryptography API §29) for SHA-1/256/384/512: the
// JavaScript PBKDF2 took 4 s for 1,000,000 iterations in Chromium. Node 20's
// globalThis.crypto.subtle is that same interface (Node's "Web Crypto API"
// docs: an implementation of the W3C standard), so the calls are watched here.
describe("the page's PBKDF2 uses the browser's native WebCrypto where it has the PRF", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });

  it('SHA-1/256/384/512 go to crypto.subtle.deriveBits with the count and bit length asked; SHA-224 (not in WebCrypto) does not', async () => {
    const derive = vi.spyOn(globalThis.crypto.subtle, 'deriveBits');
    for (const h of HASHES) {
      derive.mockClear();
      const [password, salt] = [rnd(9), rnd(16)];
      const got = await webPskcCrypto.pbkdf2(h, password, salt, 1234, 24);
      expect(toHex(got)).toBe(toHex(await nodePskcCrypto.pbkdf2(h, password, salt, 1234, 24)));
      if (h === 'sha224') {
        expect(derive, h).not.toHaveBeenCalled();
        expect(nativePbkdf2(h)).toBe(false);
      } else {
        expect(derive, h).toHaveBeenCalledTimes(1);
        const [params, , bits] = derive.mock.calls[0] as [Pbkdf2Params, CryptoKey, number];
        expect([params.name, params.hash, params.iterations, bits]).toEqual(['PBKDF2', `SHA-${h.slice(3)}`, 1234, 192]);
        expect(nativePbkdf2(h)).toBe(true);
      }
    }
  });

  it('the password WebCrypto was given is a copy, wiped once imported; a WebCrypto failure is not swallowed', async () => {
    const imported: Uint8Array[] = [];
    const real = globalThis.crypto.subtle.importKey.bind(globalThis.crypto.subtle);
    vi.spyOn(globalThis.crypto.subtle, 'importKey').mockImplementation(((format: 'raw', data: Uint8Array<ArrayBuffer>, alg: string, ex: boolean, use: KeyUsage[]) => {
      imported.push(data);
      return real(format, data, alg, ex, use);
    }) as typeof globalThis.crypto.subtle.importKey);
    const password = new TextEncoder().encode('correct horse');
    await webPskcCrypto.pbkdf2('sha256', password, rnd(8), 10, 16);
    expect(imported).toHaveLength(1);
    expect(imported[0]).not.toBe(password);
    expect([...imported[0]].every((b) => b === 0)).toBe(true);
    expect(new TextDecoder().decode(password)).toBe('correct horse');
    vi.spyOn(globalThis.crypto.subtle, 'deriveBits').mockRejectedValue(new DOMException('boom', 'OperationError'));
    await expect(webPskcCrypto.pbkdf2('sha1', password, rnd(8), 10, 16)).rejects.toThrow(/boom/);
  });

  it('without WebCrypto (a page served over plain http has no crypto.subtle) it falls back to JavaScript with the same bytes', async () => {
    vi.stubGlobal('crypto', {});
    for (const h of HASHES) {
      expect(nativePbkdf2(h)).toBe(false);
      const [password, salt] = [rnd(11), rnd(16)];
      expect(toHex(await webPskcCrypto.pbkdf2(h, password, salt, 77, 32))).toBe(toHex(await nodePskcCrypto.pbkdf2(h, password, salt, 77, 32)));
    }
  });
});

describe('PSKC crypto providers, continued', () => {
  it('Camellia in CBC (no unpadding) and one Camellia block, for every key length', async () => {
    for (let i = 0; i < 40; i++) {
      for (const n of [16, 24, 32]) {
        const [key, iv, data] = [rnd(n), rnd(16), rnd(16 * (1 + (i % 4)))];
        expect(toHex(await webPskcCrypto.cbcDecrypt('camellia', key, iv, data))).toBe(toHex(await nodePskcCrypto.cbcDecrypt('camellia', key, iv, data)));
        expect(toHex(await webPskcCrypto.blockDecrypt('camellia', key, data.subarray(0, 16)))).toBe(toHex(await nodePskcCrypto.blockDecrypt('camellia', key, data.subarray(0, 16))));
      }
    }
  });

  it("RSA PKCS#1 v1.5 is refused by both, each saying why in its host's words: the page names neither node:crypto nor a CLI option", () => {
    const refusal = (p: PskcCrypto) => {
      try {
        checkCipher(p, 'rsa-1_5', 'http://www.w3.org/2001/04/xmlenc#rsa-1_5', null);
      } catch (e) {
        expect(e).toBeInstanceOf(CipherRefusal);
        return (e as Error).message;
      }
      throw new Error('not refused');
    };
    // The CLI's words, unchanged.
    expect(refusal(nodePskcCrypto)).toBe(
      'the file is encrypted to a certificate with RSA PKCS#1 v1.5 (xmlenc#rsa-1_5), which node:crypto refuses to decrypt because it cannot be done safely (CVE-2023-46809, the Marvin attack); ask the sender for RSA-OAEP (rsa-oaep-mgf1p), a pre-shared key or a password',
    );
    const page = refusal(webPskcCrypto);
    expect(page).toMatch(/RSA PKCS#1 v1\.5 .*which this page refuses to decrypt because it cannot be done safely \(Bleichenbacher's padding-oracle attack; CVE-2023-46809/);
    expect(page).not.toMatch(/node|--[a-z]/);
  });
});

// OpenSSL's Camellia (node:crypto), an implementation independent of camellia.ts.
function openssl(mode: 'cbc' | 'ecb', dir: 'encrypt' | 'decrypt', key: Uint8Array, iv: Uint8Array | null, data: Uint8Array): string {
  const name = `camellia-${key.length * 8}-${mode}`;
  const c = dir === 'encrypt' ? createCipheriv(name, key, iv) : createDecipheriv(name, key, iv);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(data), c.final()]).toString('hex');
}

describe("the page's Camellia (camellia.ts, RFC 3713)", () => {
  // RFC 3713 Appendix A: the plaintext is 0123456789abcdeffedcba9876543210, the keys start with it.
  const plain = fromHex('0123456789abcdeffedcba9876543210');
  const vectors: [string, string][] = [
    ['0123456789abcdeffedcba9876543210', '67673138549669730857065648eabe43'],
    ['0123456789abcdeffedcba98765432100011223344556677', 'b4993401b3e996f84ee5cee7d79b09b9'],
    ['0123456789abcdeffedcba987654321000112233445566778899aabbccddeeff', '9acc237dff16d76c20ef7c919e3a7509'],
  ];

  it('RFC 3713 Appendix A: each key length encrypts and decrypts the example block', () => {
    for (const [key, cipher] of vectors) {
      const k = camelliaKey(fromHex(key));
      expect(toHex(k.encryptBlock(plain)), key).toBe(cipher);
      expect(toHex(k.decryptBlock(fromHex(cipher))), key).toBe(toHex(plain));
      // And OpenSSL agrees, so the vectors are read right.
      expect(openssl('ecb', 'encrypt', fromHex(key), null, plain)).toBe(cipher);
    }
  });

  it("random keys, blocks and CBC messages give OpenSSL's bytes, both ways", () => {
    for (let i = 0; i < 200; i++) {
      for (const n of [16, 24, 32]) {
        const [key, iv, data] = [rnd(n), rnd(16), rnd(16 * (1 + (i % 6)))];
        const k = camelliaKey(key);
        const block = data.subarray(0, 16);
        expect(toHex(k.encryptBlock(block))).toBe(openssl('ecb', 'encrypt', key, null, block));
        expect(toHex(k.decryptBlock(block))).toBe(openssl('ecb', 'decrypt', key, null, block));
        const sealed = openssl('cbc', 'encrypt', key, iv, data);
        expect(toHex(camelliaCbcEncrypt(key, iv, data))).toBe(sealed);
        expect(toHex(camelliaCbcDecrypt(key, iv, fromHex(sealed)))).toBe(toHex(data));
        k.wipe();
        expect(toHex(k.encryptBlock(block))).not.toBe(openssl('ecb', 'encrypt', key, null, block)); // wiped subkeys are gone
      }
    }
  });

  it('refuses a key, IV or message of the wrong length, naming it', () => {
    expect(() => camelliaKey(rnd(20))).toThrow(/key must be 16, 24, 32 bytes, got length=20/);
    expect(() => camelliaCbcDecrypt(rnd(16), rnd(8), rnd(16))).toThrow(/iv must be 16 bytes, got length=8/);
    expect(() => camelliaCbcDecrypt(rnd(16), rnd(16), rnd(17))).toThrow(/data must be whole 16-byte blocks, got length=17/);
    expect(() => camelliaKey(rnd(16)).decryptBlock(rnd(15))).toThrow(/block must be 16 bytes/);
  });
});

describe('RFC 3394 / 5649 key unwrap over either provider', () => {
  it("opens the RFCs' vectors (RFC 3394 §4.1, RFC 5649 §6)", async () => {
    for (const [, p] of PROVIDERS) {
      const kek = fromHex('000102030405060708090a0b0c0d0e0f');
      expect(toHex(await decrypt(p, 'kw-aes128', '', kek, fromHex('1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5'), null))).toBe('00112233445566778899aabbccddeeff');
      const kek192 = fromHex('5840df6e29b02af1ab493b705bf16ea1ae8338f4dcc176a8');
      expect(toHex(await decrypt(p, 'kw-aes192', '', kek192, fromHex('138bdeaa9b8fa7fc61f97742e72248ee5ae6ae5360d1ae6a5f54f373fa543b6a'), null))).toBe('c37b7e6492584340bed12207808941155068f738');
      expect(toHex(await decrypt(p, 'kw-aes192', '', kek192, fromHex('afbeb0f07dfbf5419200f2ccb50bb24f'), null))).toBe('466f7250617369');
    }
  });

  it("opens what @noble/ciphers' aeskw and aeskwp wrap (keys of 1 to 64 bytes), and refuses a flipped bit as a wrong key", async () => {
    for (let n = 1; n <= 64; n += 3) {
      for (const k of [16, 24, 32]) {
        const kek = rnd(k);
        const plain = rnd(n);
        const wrapped = n % 8 === 0 && n >= 16 ? aeskw(kek).encrypt(plain) : aeskwp(kek).encrypt(plain);
        for (const [name, p] of PROVIDERS) {
          expect(toHex(await decrypt(p, `kw-aes${k * 8}`, '', kek, wrapped, null)), `${name} ${n} bytes`).toBe(toHex(plain));
          const bad = wrapped.slice();
          bad[n % bad.length] ^= 1;
          await expect(decrypt(p, `kw-aes${k * 8}`, '', kek, bad, null)).rejects.toBeInstanceOf(WrongKeyError);
        }
      }
    }
  });
});

/** RFC 3394 §2.2.1 wrap (index-based), as RFC 3657 §2.2 applies it to Camellia, over OpenSSL's Camellia block. */
function camelliaWrap(kek: Uint8Array, plain: Uint8Array): Uint8Array {
  const n = plain.length / 8;
  let a: Uint8Array = new Uint8Array(8).fill(0xa6);
  const r = Array.from({ length: n }, (_, i) => plain.slice(8 * i, 8 * i + 8));
  for (let j = 0; j <= 5; j++) {
    for (let i = 1; i <= n; i++) {
      const b = fromHex(openssl('ecb', 'encrypt', kek, null, new Uint8Array([...a, ...r[i - 1]])));
      a = b.slice(0, 8);
      a[7] ^= (n * j + i) & 0xff; // n * j + i < 256 here
      r[i - 1] = b.slice(8);
    }
  }
  return new Uint8Array([...a, ...r.flatMap((x) => [...x])]);
}

describe('RFC 3657 Camellia key wrap over either provider', () => {
  it('opens what OpenSSL-based wrapping made (keys of 16 to 40 bytes), and refuses a flipped bit as a wrong key', async () => {
    for (let n = 16; n <= 40; n += 8) {
      for (const k of [16, 24, 32]) {
        const kek = rnd(k);
        const plain = rnd(n);
        const wrapped = camelliaWrap(kek, plain);
        for (const [name, p] of PROVIDERS) {
          expect(toHex(await decrypt(p, `kw-camellia${k * 8}`, '', kek, wrapped, null)), `${name} ${n} bytes`).toBe(toHex(plain));
          const bad = wrapped.slice();
          bad[n % bad.length] ^= 1;
          await expect(decrypt(p, `kw-camellia${k * 8}`, '', kek, bad, null)).rejects.toBeInstanceOf(WrongKeyError);
        }
      }
    }
  });
});
