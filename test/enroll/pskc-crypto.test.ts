// The PSKC codec's two crypto providers (host/lib/import/pskc-crypto-node.ts:
// node:crypto; pskc-crypto-web.ts: @noble/ciphers, @noble/hashes, des.js,
// WebCrypto) give the same bytes for every primitive, on random inputs; the
// codec's own RFC 3394/5649 unwrap, over either provider, opens what
// @noble/ciphers' independent aeskw/aeskwp wrap and the RFCs' own vectors, and
// refuses a tampered wrap. (The page's whole import is compared with the
// CLI's in real Chromium: test/web/pskc.test.ts.)
import { randomBytes } from 'node:crypto';
import { aeskw, aeskwp } from '@noble/ciphers/aes.js';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../protocol/bytes.ts';
import { WrongKeyError, decrypt } from '../../host/lib/import/pskc-crypto.ts';
import type { HmacHash, PskcCrypto } from '../../host/lib/import/pskc-crypto.ts';
import { nodePskcCrypto } from '../../host/lib/import/pskc-crypto-node.ts';
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

  it('only the page lacks Camellia, and says so naming the CLI command', () => {
    expect(nodePskcCrypto.unavailable('camellia', 'camellia128-cbc')).toBeNull();
    expect(webPskcCrypto.unavailable('aes', 'aes128-cbc')).toBeNull();
    expect(webPskcCrypto.unavailable('des-ede3', 'tripledes-cbc')).toBeNull();
    expect(webPskcCrypto.unavailable('camellia', 'kw-camellia256')).toMatch(/^the file is encrypted with Camellia \(kw-camellia256\), .*totp-token import FILE/);
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
