import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { afterAll, describe, expect, it } from 'vitest';
import { classifyText } from '../../host/lib/import/classify.ts';
import { parseMigrationUri, readMigrationQr } from '../../host/lib/import/migration.ts';
import { decodeMessage } from '../../host/lib/import/protobuf.ts';
import { parseUriList } from '../../host/lib/import/uri-list.ts';
import { fieldBytes, fieldVarint, migrationPayload, migrationUri } from './helpers/protobuf-encode.ts';
import type { OtpParams } from './helpers/protobuf-encode.ts';

const seed = (n: number, fill: number) => new Uint8Array(n).map((_, i) => (fill + i * 7) & 255);
const dir = mkdtempSync(join(tmpdir(), 'migration-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('protobuf decoder', () => {
  it('reads varints of every length as unsigned 64-bit and length-delimited fields', () => {
    for (const n of [0, 1, 127, 128, 300, 2 ** 31, 2 ** 32 + 5, 2 ** 53 - 1, 2 ** 53]) {
      const f = decodeMessage(new Uint8Array(fieldVarint(7, n)), 't');
      expect(f).toEqual([{ field: 7, wireType: 0, value: BigInt(n) }]);
    }
    const f = decodeMessage(new Uint8Array([...fieldBytes(1, [1, 2, 3]), ...fieldVarint(2, 5)]), 't');
    expect(f.map((x) => x.field)).toEqual([1, 2]);
    expect(Array.from(f[0].value as Uint8Array)).toEqual([1, 2, 3]);
  });

  it('reads fixed-width fields, skips groups, refuses cut-short data and impossible wire types', () => {
    expect(decodeMessage(new Uint8Array([(9 << 3) | 5, 1, 2, 3, 4, ...fieldVarint(1, 2)]), 't')).toEqual([
      { field: 9, wireType: 5, value: 0x04030201n },
      { field: 1, wireType: 0, value: 2n },
    ]);
    // group 3 { field 1 = 5 } then field 2 = 7
    expect(decodeMessage(new Uint8Array([(3 << 3) | 3, 0x08, 5, (3 << 3) | 4, 0x10, 7]), 't')).toEqual([{ field: 2, wireType: 0, value: 7n }]);
    expect(() => decodeMessage(new Uint8Array(fieldBytes(1, [1, 2, 3])).subarray(0, 4), 't')).toThrow(/claims 3 bytes but only 2 remain/);
    expect(() => decodeMessage(new Uint8Array([0x08, 0x80]), 't')).toThrow(/truncated varint/);
    expect(() => decodeMessage(new Uint8Array([(1 << 3) | 3]), 't')).toThrow(/group 1 has no end/);
    expect(() => decodeMessage(new Uint8Array([(1 << 3) | 6]), 't')).toThrow(/wire type 6/);
    expect(() => decodeMessage(new Uint8Array([0x08, ...new Array(10).fill(0xff), 1]), 't')).toThrow(/longer than 10 bytes/);
  });
});

describe('Google Authenticator otpauth-migration:// export', () => {
  const mixed = [
    { secret: seed(10, 1), name: 'alice@example.com', issuer: 'Example', algorithm: 1, digits: 1, type: 2 },
    { secret: seed(32, 2), name: 'Big Corp:bob', issuer: 'Big Corp', algorithm: 2, digits: 2, type: 2 },
    { secret: seed(64, 3), name: 'Vault:carol', algorithm: 3, digits: 1, type: 2 }, // no issuer: the name is kept whole
    { secret: seed(20, 4), name: 'dave', issuer: '', algorithm: 0, digits: 0, type: 2 },
    { secret: seed(20, 5), name: 'counter', issuer: 'Old VPN', algorithm: 1, digits: 1, type: 1, counter: 42 },
  ];

  it('decodes several accounts of mixed algorithms, digits and types; period is 30', () => {
    const batch = parseMigrationUri(migrationUri(migrationPayload(mixed)));
    expect(batch).toMatchObject({ version: 1, batchSize: 1, batchIndex: 0, batchId: 123456789 });
    const summary = batch.accounts.map(({ secret, ...rest }) => ({ ...rest, secretLength: secret.length }));
    expect(summary).toEqual([
      { type: 'totp', issuer: 'Example', account: 'alice@example.com', algorithm: 'SHA1', digits: 6, period: 30, counter: 0, secretLength: 10 },
      { type: 'totp', issuer: 'Big Corp', account: 'bob', algorithm: 'SHA256', digits: 8, period: 30, counter: 0, secretLength: 32 },
      { type: 'totp', issuer: '', account: 'Vault:carol', algorithm: 'SHA512', digits: 6, period: 30, counter: 0, secretLength: 64 },
      { type: 'totp', issuer: '', account: 'dave', algorithm: 'SHA1', digits: 6, period: 30, counter: 0, secretLength: 20 },
      { type: 'hotp', issuer: 'Old VPN', account: 'counter', algorithm: 'SHA1', digits: 6, period: 30, counter: 42, secretLength: 20 },
    ]);
    batch.accounts.forEach((a, i) => expect(Array.from(a.secret)).toEqual(Array.from(mixed[i].secret)));
  });

  it('accepts URL-safe base64, missing padding and a "+" turned into a space', () => {
    const payload = migrationPayload(mixed.slice(0, 2));
    const std = Buffer.from(payload).toString('base64');
    const variants = [
      'otpauth-migration://offline?data=' + Buffer.from(payload).toString('base64url'),
      'otpauth-migration://offline?data=' + std.replace(/=+$/, ''),
      'otpauth-migration://offline?data=' + std.replace(/\+/g, ' '),
      'OTPAUTH-MIGRATION://offline?foo=1&data=' + encodeURIComponent(std),
    ];
    for (const v of variants) expect(parseMigrationUri(v).accounts.map((a) => a.account)).toEqual(['alice@example.com', 'bob']);
  });

  it('reports which QR code of a multi-part export this is', () => {
    const b = parseMigrationUri(migrationUri(migrationPayload(mixed.slice(0, 1), { version: 1, size: 3, index: 1, id: 77 })));
    expect(b).toMatchObject({ batchSize: 3, batchIndex: 1, batchId: 77 });
  });

  it('refuses MD5 and unknown types naming the entry, never the secret', () => {
    const secret = new Uint8Array(20).fill(0x41); // base32 'IFAUCQKB...', base64 'QUFB...'
    const md5 = [mixed[0], { secret, name: 'legacy', issuer: 'Oldbank', algorithm: 4, digits: 1, type: 2 }];
    const check = (entries: OtpParams[], pattern: RegExp) => {
      let msg = '';
      try {
        parseMigrationUri(migrationUri(migrationPayload(entries)));
      } catch (e) {
        msg = (e as Error).message;
      }
      expect(msg).toMatch(pattern);
      expect(msg).not.toMatch(/IFAUCQKB|QUFB|AAAA/);
    };
    check(md5, /entry 2 of 2 \(Oldbank: legacy\): uses MD5/);
    check([{ secret, name: 'x', issuer: 'Y', type: 0 }], /entry 1 of 1 \(Y: x\): unspecified OTP type/);
    check([{ secret, name: 'x', issuer: 'Y', type: 7 }], /entry 1 of 1 \(Y: x\): unknown OTP type \(enum value 7\)/);
    check([{ secret, name: 'x', algorithm: 9, type: 2 }], /entry 1 of 1 \(x\): unknown algorithm/);
    check([{ secret, name: 'x', digits: 3, type: 2 }], /unknown digit count/);
    check([{ secret: new Uint8Array(0), name: 'x', type: 2 }], /entry 1 of 1 \(x\): has no secret/);
    check([{ secret: new Uint8Array(129), name: 'x', type: 2 }], /129 bytes; at most 128/);
  });

  it('refuses what is not an export, and cut-short data', () => {
    expect(() => parseMigrationUri('otpauth-migration://offline')).toThrow(/no 'data' parameter/);
    expect(() => parseMigrationUri('otpauth-migration://offline?data=%%%')).toThrow(/%-escape/);
    expect(() => parseMigrationUri('otpauth-migration://offline?data=ab*c')).toThrow(/not base64/);
    const cut = Buffer.from(migrationPayload(mixed)).toString('base64').slice(0, 40);
    expect(() => parseMigrationUri('otpauth-migration://offline?data=' + cut)).toThrow(/cut short/);
    expect(() => parseMigrationUri(migrationUri(new Uint8Array(fieldVarint(2, 1))))).toThrow(/holds no accounts/);
  });

  it('reads the export from a QR code image, and names what a wrong QR code holds', async () => {
    const uri = migrationUri(migrationPayload(mixed.slice(0, 3)));
    const png = join(dir, 'export.png');
    await QRCode.toFile(png, uri, { type: 'png' });
    expect((await readMigrationQr(png)).accounts.map((a) => a.account)).toEqual(['alice@example.com', 'bob', 'Vault:carol']);
    const wrong: [string, RegExp][] = [
      ['https://example.com/setup?token=abc', /a web link/],
      ['WIFI:S:home;T:WPA;P:hunter22;;', /a Wi-Fi network/],
      ['just some words', /plain text/],
      ['otpauth://totp/x?secret=JBSWY3DPEHPK3PXP', /a single otpauth:\/\/ key/],
    ];
    for (const [content, why] of wrong) {
      const f = join(dir, 'wrong.png');
      await QRCode.toFile(f, content, { type: 'png' });
      const err = await readMigrationQr(f).catch((e: Error) => e);
      expect((err as Error).message).toMatch(why);
      expect((err as Error).message).not.toMatch(/hunter22|token=abc/);
    }
  });
});

describe('a plain list of otpauth URIs', () => {
  it('takes URIs and migration lines, skipping blanks and # comments', () => {
    const list = [
      '# exported 2024-05-01',
      '',
      'otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP&issuer=Example',
      '   ',
      'otpauth://totp/bob?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&algorithm=SHA256&digits=8&period=60',
      migrationUri(migrationPayload([{ secret: seed(20, 9), name: 'carol', issuer: 'C', type: 2 }])),
    ].join('\r\n');
    const got = parseUriList(list, 'keys.txt');
    expect(got.map((a) => [a.line, a.otp.issuer, a.otp.account, a.otp.algorithm, a.otp.digits, a.otp.period])).toEqual([
      [3, 'Example', 'alice', 'SHA1', 6, 30],
      [5, '', 'bob', 'SHA256', 8, 60],
      [6, 'C', 'carol', 'SHA1', 6, 30],
    ]);
  });

  it('refuses the whole file on a line that is not a key, naming the line and what it holds', () => {
    const cases: [string, RegExp][] = [
      ['http://example.com/login', /keys.txt, line 2 holds a web link/],
      ['WIFI:S:cafe;T:WPA;P:latte123;;', /line 2 holds a Wi-Fi network/],
      ['hello world', /line 2 holds plain text/],
      ['otpauth://totp/x?secret=JBSWY3DPEHPK3PX1', /line 2: otpauth: parameter 'secret' is not valid base32: invalid character '1' at position 16/],
      ['otpauth:/totp/x?secret=AA', /malformed otpauth URI/],
    ];
    for (const [line, why] of cases) {
      const err = (() => {
        try {
          parseUriList('otpauth://totp/ok?secret=JBSWY3DPEHPK3PXP\n' + line, 'keys.txt');
        } catch (e) {
          return e as Error;
        }
      })();
      expect(err?.message).toMatch(why);
      expect(err?.message).not.toMatch(/latte123/);
    }
    expect(() => parseUriList('# nothing\n\n', 'empty.txt')).toThrow(/holds no otpauth/);
  });

  it('classifies what people scan by mistake', () => {
    expect(classifyText('otpauth://totp/x?secret=AA').kind).toBe('otpauth');
    expect(classifyText(' otpauth-migration://offline?data=x').kind).toBe('migration');
    expect(classifyText('<?xml version="1.0"?>\n<pskc:KeyContainer Version="1.0">').kind).toBe('pskc');
    expect(classifyText('BEGIN:VCARD\nFN:x').what).toMatch(/contact card/);
    expect(classifyText('mailto:a@b.c').what).toMatch(/e-mail/);
    expect(classifyText('JBSWY3DPEHPK3PXP').what).toMatch(/bare base32 key/);
    expect(classifyText('<html><body>').what).toMatch(/not a PSKC/);
  });
});
