import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { OtpAuth } from '../../protocol/otpauth.ts';
import { buildPskc, writePskcFile } from '../../host/lib/export/pskc.ts';
import type { PskcEntry } from '../../host/lib/export/pskc.ts';
import { pskcNeedsPassword } from '../../host/lib/import/pskc.ts';
import { readPskc, readPskcFile } from '../../host/lib/import/pskc-node.ts';
import { pythonWithPskc, runPython } from './helpers/python-pskc.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'pskc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bytes = (n: number, f: number) => new Uint8Array(n).map((_, i) => (f * 31 + i * 13) & 255);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const ITER = 2000; // fast tests; the default is 100,000

function otp(p: Partial<OtpAuth> & { secret: Uint8Array; account: string }): OtpAuth {
  return { type: 'totp', issuer: '', algorithm: 'SHA1', digits: 6, period: 30, counter: 0, ...p };
}

const entries = (): PskcEntry[] => [
  { otp: otp({ account: 'alice@contoso.com', issuer: 'Contoso', secret: bytes(20, 1) }), serial: 'TT-0001', manufacturer: 'totp-token', model: 'sim', userId: 'alice@contoso.com' },
  { otp: otp({ account: 'bob', issuer: 'AWS', secret: bytes(40, 2), period: 60 }), serial: 'TT-0002' },
  { otp: otp({ account: 'carol', secret: bytes(32, 3), algorithm: 'SHA256', digits: 8 }), keyId: 'k-carol' },
  { otp: otp({ account: 'dave & <eve>', issuer: 'Quote "Co"', secret: bytes(64, 4), algorithm: 'SHA512', digits: 10 }) },
  { otp: otp({ account: 'hotp-user', secret: bytes(20, 5), type: 'hotp', counter: 99 }), serial: 'H-1' },
];

function summary(keys: { otp: OtpAuth }[]) {
  return keys.map((k) => ({ ...k.otp, secret: hex(k.otp.secret) }));
}

describe('PSKC reader (RFC 6030)', () => {
  it('reads the RFC 6030 figure 2 plain file', async () => {
    const [k] = await readPskc(fixture('rfc6030-figure2.pskcxml'));
    expect(k.otp).toMatchObject({ type: 'hotp', issuer: 'Issuer', digits: 8, algorithm: 'SHA1', counter: 0, account: 'UID=jsmith,DC=example-bank,DC=net' });
    expect(Buffer.from(k.otp.secret).toString()).toBe('12345678901234567890');
    expect(k).toMatchObject({ keyId: '12345678', serial: '987654321', manufacturer: 'Manufacturer' });
  });

  it('reads the RFC 6030 figure 7 password-protected file (PBKDF2, AES-128-CBC, HMAC-SHA1) with its password', async () => {
    const xml = fixture('rfc6030-figure7.pskcxml');
    expect(pskcNeedsPassword(xml)).toBe('password');
    const [k] = await readPskc(xml, { password: 'qwerty' });
    expect(Buffer.from(k.otp.secret).toString()).toBe('12345678901234567890');
    expect(k.otp).toMatchObject({ type: 'hotp', digits: 8, issuer: 'Example-Issuer', account: '987654321' });
  });

  it('refuses a wrong password clearly, and asks for one when none is given', async () => {
    const xml = fixture('rfc6030-figure7.pskcxml');
    let err: { code?: string; message: string } = { message: '' };
    try {
      await readPskc(xml, { password: 'qwertz', source: 'tokens.pskcxml' });
    } catch (e) {
      err = e as typeof err;
    }
    expect(err.code).toBe('PSKC_WRONG_PASSWORD');
    expect(err.message).toMatch(/^tokens.pskcxml: wrong password or key .*nothing was imported/);
    expect(err.message).not.toMatch(/MTIz|3132|12345678901234567890/);
    await expect(readPskc(xml)).rejects.toThrow(/protected by a password: give it/);
  });

  it('detects a tampered ValueMAC even with the right password', async () => {
    const xml = fixture('rfc6030-figure7.pskcxml').replace('LP6xMvjtypbfT9PdkJhBZ+D6O4w=', 'AP6xMvjtypbfT9PdkJhBZ+D6O4w=');
    await expect(readPskc(xml, { password: 'qwerty' })).rejects.toThrow(/MAC check of key 1 of 1 \(Id '123456'\) Secret failed/);
  });

  it('reads CBC values without a MAC as python-pskc does, with a warning; a bad padding is still a wrong password', async () => {
    const noMac = fixture('rfc6030-figure7.pskcxml').replace(/<pskc:ValueMAC>[^<]*<\/pskc:ValueMAC>/, '');
    const warnings: string[] = [];
    const [k] = await readPskc(noMac, { password: 'qwerty', source: 'nomac.pskcxml', onWarning: (w) => warnings.push(w) });
    expect(Buffer.from(k.otp.secret).toString('ascii')).toBe('12345678901234567890'); // RFC 6030 figure 7's seed
    expect(warnings).toEqual([expect.stringMatching(/^nomac\.pskcxml: .*without a MAC.*a wrong password or key cannot be detected.*verify a code/)]);
    // With a MAC there is nothing to warn about.
    const withMac: string[] = [];
    await readPskc(fixture('rfc6030-figure7.pskcxml'), { password: 'qwerty', onWarning: (w) => withMac.push(w) });
    expect(withMac).toEqual([]);
    // 'qwertz' derives a key under which the PKCS#7 padding is bad: refused as a wrong password, nothing read.
    const bad: string[] = [];
    await expect(readPskc(noMac, { password: 'qwertz', onWarning: (w) => bad.push(w) })).rejects.toThrow(/wrong password or key \(key 1 of 1 .*Secret does not decrypt\)/);
    expect(bad).toEqual([]);
  });

  it('refuses DOCTYPEs, broken XML and keys it cannot use, naming the key', async () => {
    await expect(readPskc('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><KeyContainer/>')).rejects.toThrow(/DOCTYPE/);
    await expect(readPskc('<KeyContainer><KeyPackage></KeyContainer>')).rejects.toThrow(/not well-formed XML/);
    await expect(readPskc('<foo/>')).rejects.toThrow(/no <KeyContainer>/);
    const plain = fixture('rfc6030-figure2.pskcxml');
    await expect(readPskc(plain.replace('pskc:hotp', 'pskc:ocra'))).rejects.toThrow(/key 1 of 1 \(Id '12345678'\): an OCRA \(challenge-response, RFC 6287\) key, which the token cannot hold/);
    await expect(readPskc(plain.replace('<ResponseFormat', '<Suite>HMAC-MD5</Suite><ResponseFormat'))).rejects.toThrow(/Suite 'HMAC-MD5' is not SHA1/);
    await expect(readPskc(plain.replace('Encoding="DECIMAL"', 'Encoding="HEXADECIMAL"'))).rejects.toThrow(/only DECIMAL/);
    await expect(readPskc(plain.replace('Length="8"', 'Length="4"'))).rejects.toThrow(/Length must be 6 to 10/);
  });
});

describe('PSKC writer', () => {
  it('round-trips plain files through our reader: secrets, digits, periods, algorithms, counters, names', async () => {
    const xml = buildPskc(entries());
    expect(xml).toContain('<pskc:PlainValue>');
    const back = await readPskc(xml);
    expect(summary(back)).toEqual(summary(entries()));
    expect(back.map((k) => [k.keyId, k.serial, k.userId])).toEqual([
      ['TT-0001', 'TT-0001', 'alice@contoso.com'],
      ['TT-0002', 'TT-0002', ''],
      ['k-carol', '', ''],
      ['key-4', '', ''],
      ['H-1', 'H-1', ''],
    ]);
  });

  it('round-trips password-protected files; fresh salt and IVs each time; a wrong password errors', async () => {
    const a = buildPskc(entries(), { password: 'correct horse', iterations: ITER });
    const b = buildPskc(entries(), { password: 'correct horse', iterations: ITER });
    expect(a).not.toContain('PlainValue>' + Buffer.from(bytes(20, 1)).toString('base64'));
    expect(a).not.toBe(b);
    expect(pskcNeedsPassword(a)).toBe('password');
    expect(summary(await readPskc(a, { password: 'correct horse' }))).toEqual(summary(entries()));
    await expect(readPskc(a, { password: 'correct horsE' })).rejects.toThrow(/wrong password/);
  });

  it('writes owner-only files and refuses to overwrite, leaving the old file untouched and no temp files', async () => {
    const path = join(dir, 'fleet.pskcxml');
    const where = writePskcFile(path, entries(), { password: 'pw-123456', iterations: ITER });
    expect(where).toBe(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const before = readFileSync(path, 'utf8');
    expect(() => writePskcFile(path, entries())).toThrow(/already exists: refusing to overwrite/);
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(summary(await readPskcFile(path, { password: 'pw-123456' }))).toEqual(summary(entries()));
  });

  it('refuses to write nothing, duplicate Ids and control characters', async () => {
    expect(() => buildPskc([])).toThrow(/no accounts/);
    const e = entries();
    expect(() => buildPskc([e[0], { ...e[1], serial: 'TT-0001' }])).toThrow(/two keys would have the Id 'TT-0001'/);
    expect(() => buildPskc([{ otp: otp({ account: 'a\u0007b', secret: bytes(20, 1) }) }])).toThrow(/control character/);
  });
});

const python = pythonWithPskc();
const READ_PY = `
import sys, json, base64, pskc
p = pskc.PSKC(sys.argv[1])
pw = sys.stdin.read()
if pw:
    p.encryption.derive_key(pw)
print(json.dumps([dict(id=k.id, secret=k.secret.hex(), digits=k.response_length, period=k.time_interval,
    algorithm=k.algorithm, suite=k.algorithm_suite, issuer=k.issuer, serial=k.serial, manufacturer=k.manufacturer,
    model=k.model, userid=k.key_userid, name=k.friendly_name, counter=k.counter) for k in p.keys]))
`;

describe.skipIf(!python)('PSKC files checked by an independent reader (Debian python3-pskc)', () => {
  const py = python as string;
  const expected = entries().map((e, i) => ({
    secret: hex(e.otp.secret),
    digits: e.otp.digits,
    period: e.otp.type === 'totp' ? e.otp.period : null,
    counter: e.otp.type === 'hotp' ? e.otp.counter : null,
    algorithm: `urn:ietf:params:xml:ns:keyprov:pskc:${e.otp.type}`,
    suite: `HMAC-${e.otp.algorithm}`,
    issuer: e.otp.issuer || null,
    name: e.otp.account,
    serial: e.serial ?? null,
    id: e.keyId ?? e.serial ?? `key-${i + 1}`,
  }));

  it('reads our plain file', async () => {
    const path = writePskcFile(join(dir, 'plain-for-python.pskcxml'), entries());
    const got = JSON.parse(runPython(py, READ_PY, [path], ''));
    expect(got).toMatchObject(expected);
    expect(got[0]).toMatchObject({ manufacturer: 'totp-token', model: 'sim', userid: 'alice@contoso.com' });
  });

  it('reads our password-protected file with the password, and fails with a wrong one', async () => {
    const path = writePskcFile(join(dir, 'protected-for-python.pskcxml'), entries(), { password: 's3cret pass', iterations: ITER });
    expect(JSON.parse(runPython(py, READ_PY, [path], 's3cret pass'))).toMatchObject(expected);
    expect(() => runPython(py, READ_PY, [path], 'not it')).toThrow(/DecryptionError/);
  });

  it('writes files that our reader reads: PBKDF2 with AES-128-CBC, and a pre-shared key with AES key wrap', async () => {
    const WRITE_PY = `
import sys, pskc
p = pskc.PSKC()
p.add_key(id='py-1', secret=bytes(range(1, 33)), algorithm='urn:ietf:params:xml:ns:keyprov:pskc:totp', response_length=8,
    time_interval=60, issuer='Py', serial='S-1', algorithm_suite='HMAC-SHA256', friendly_name='py-user')
p.add_key(id='py-2', secret=bytes(range(40)), algorithm='urn:ietf:params:xml:ns:keyprov:pskc:totp', response_length=6, serial='S-2')
if sys.argv[2] == 'pbkdf2':
    p.encryption.setup_pbkdf2('from python', iterations=2000)
else:
    p.encryption.setup_preshared_key(key=bytes(range(16)), algorithm='kw-aes128')
p.write(sys.argv[1])
`;
    const pbk = join(dir, 'from-python.pskcxml');
    runPython(py, WRITE_PY, [pbk, 'pbkdf2']);
    const keys = await readPskcFile(pbk, { password: 'from python' });
    expect(keys.map((k) => [k.keyId, k.otp.account, k.otp.issuer, k.otp.algorithm, k.otp.digits, k.otp.period, hex(k.otp.secret)])).toEqual([
      ['py-1', 'py-user', 'Py', 'SHA256', 8, 60, hex(new Uint8Array(32).map((_, i) => i + 1))],
      ['py-2', 'S-2', '', 'SHA1', 6, 30, hex(new Uint8Array(40).map((_, i) => i))],
    ]);
    await expect(readPskcFile(pbk, { password: 'from pythoN' })).rejects.toThrow(/wrong password/);
    const kw = join(dir, 'from-python-kw.pskcxml');
    runPython(py, WRITE_PY, [kw, 'kw']);
    expect(pskcNeedsPassword(readFileSync(kw, 'utf8'))).toBe('key');
    expect((await readPskcFile(kw, { preSharedKey: new Uint8Array(16).map((_, i) => i) })).map((k) => hex(k.otp.secret))[1]).toBe(hex(new Uint8Array(40).map((_, i) => i)));
    await expect(readPskcFile(kw, { preSharedKey: new Uint8Array(16) })).rejects.toThrow(/wrong password or key/);
  });
});

it('writes nothing to a folder that is not there', () => {
  expect(() => writePskcFile(join(dir, 'missing', 'x.pskcxml'), entries())).toThrow(/does not exist/);
});
