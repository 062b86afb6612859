// PSKC files encrypted to a certificate (RFC 6030 §6.3, figure 8). RSA-OAEP
// (xmlenc#rsa-oaep-mgf1p) is decrypted with --private-key; RSA PKCS#1 v1.5
// (xmlenc#rsa-1_5, what figure 8 uses) is refused saying why: node:crypto no
// longer decrypts it (CVE-2023-46809, the Marvin attack). The OAEP file is made
// here with node:crypto's publicEncrypt and a fresh key pair, laid out as figure 8
// (helpers/pskc-oaep.ts; the page's test uses it too).
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readPskc } from '../../host/lib/import/pskc-node.ts';
import { oaepFile } from './helpers/pskc-oaep.ts';

const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'pskc-cert-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const figure8 = join(root, '..', 'shared', 'interop-data', 'pskc-corpus', 'tests', 'rfc6030', 'figure8.pskcxml');

function cli(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(root, 'host', 'cli', 'main.ts'), ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
}

describe('PSKC encrypted to a certificate', () => {
  const pair = () => generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });

  it('RSA-OAEP: read with the private key; a wrong private key is a wrong key; none asks for --private-key', async () => {
    const right = pair();
    const wrong = pair();
    const secret = Buffer.from('12345678901234567890');
    const xml = oaepFile(right.publicKey, secret);
    const [k] = await readPskc(xml, { privateKeyPem: right.privateKey });
    expect(Buffer.from(k.otp.secret)).toEqual(secret);
    expect(k.otp).toMatchObject({ type: 'totp', account: '987654321', issuer: 'Example-Issuer', period: 30 });
    await expect(readPskc(xml, { privateKeyPem: wrong.privateKey })).rejects.toThrow(/wrong password or key/);
    await expect(readPskc(xml)).rejects.toThrow(/encrypted to a certificate .*--private-key/);
    await expect(readPskc(xml, { preSharedKey: new Uint8Array(16) })).rejects.toThrow(/--private-key/);
  });

  it('through the CLI: --private-key FILE.pem', async () => {
    const { publicKey, privateKey } = pair();
    const file = join(dir, 'oaep.pskcxml');
    const pem = join(dir, 'key.pem');
    writeFileSync(file, oaepFile(publicKey, Buffer.from('12345678901234567890')));
    writeFileSync(pem, privateKey, { mode: 0o600 });
    const r = cli(['import', file, '--private-key', pem, '--dry-run']);
    expect(r.stdout).toMatch(/1 account\(s\) in this pskc input[\s\S]*Example-Issuer: 987654321 \(totp, SHA1, 6 digits, 30 s\)/);
    expect(r.status).toBe(0);
  }, 60_000);

  it.skipIf(!existsSync(figure8))('RFC 6030 figure 8 (rsa-1_5) is refused saying exactly why, with or without a key', () => {
    const r = cli(['import', figure8, '--dry-run']);
    expect(r.stderr).toMatch(/RSA PKCS#1 v1\.5 \(xmlenc#rsa-1_5\), which node:crypto refuses to decrypt because it cannot be done safely \(CVE-2023-46809/);
    expect(r.status).toBe(2);
  }, 60_000);
});
