import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPskc } from '../../host/lib/export/pskc.ts';
import { readImport } from '../../host/lib/import/source.ts';
import type { ImportedAccount } from '../../host/lib/import/source.ts';
import { importToToken } from '../../host/lib/import/to-token.ts';
import { FakeFleetToken, virtualClock } from './helpers/fake-token.ts';
import { migrationPayload, migrationUri } from './helpers/protobuf-encode.ts';

const dir = mkdtempSync(join(tmpdir(), 'import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const seed = (n: number, f: number) => new Uint8Array(n).map((_, i) => (f + i * 5) & 255);
const token = () => new FakeFleetToken(virtualClock(1_750_000_000_000));

describe('import: recognising the input', () => {
  it('takes a migration URI, a single URI, a QR image of either, a PSKC file (asking for its password) and a URI list', async () => {
    const mig = migrationUri(migrationPayload([
      { secret: seed(20, 1), name: 'a@x', issuer: 'X', type: 2 },
      { secret: seed(32, 2), name: 'b@y', issuer: 'Y', algorithm: 2, type: 2 },
    ], { version: 1, size: 2, index: 0, id: 5 }));
    const m = await readImport(mig);
    expect([m.kind, m.accounts.map((a) => a.from), m.notes[0]]).toEqual(['migration', ['entry 1', 'entry 2'], expect.stringMatching(/QR code 1 of 2 .* import the others too/)]);
    expect((await readImport('otpauth://totp/X:me?secret=JBSWY3DPEHPK3PXP')).kind).toBe('otpauth');

    const png = join(dir, 'mig.png');
    await QRCode.toFile(png, mig, { type: 'png' });
    expect((await readImport(png)).accounts.map((a) => a.otp.account)).toEqual(['a@x', 'b@y']);

    const pskc = join(dir, 'keys.xml');
    writeFileSync(pskc, buildPskc([{ otp: { type: 'totp', issuer: 'P', account: 'p1', secret: seed(20, 3), algorithm: 'SHA1', digits: 6, period: 30, counter: 0 }, serial: 'S1' }], { password: 'pw', iterations: 1000 }));
    let asked = 0;
    const p = await readImport(pskc, { password: async () => (asked++, 'pw') });
    expect([p.kind, asked, p.accounts[0].from, p.accounts[0].otp.account]).toEqual(['pskc', 1, 'key 1 (S1)', 'p1']);
    await expect(readImport(pskc, { password: async () => 'nope' })).rejects.toMatchObject({ code: 'PSKC_WRONG_PASSWORD' });

    const list = join(dir, 'list.txt');
    writeFileSync(list, '# mine\notpauth://totp/A:one?secret=JBSWY3DPEHPK3PXP\n\notpauth://totp/B:two?secret=GEZDGNBVGY3TQOJQ\n');
    expect((await readImport(list)).accounts.map((a) => [a.from, a.otp.account])).toEqual([['line 2', 'one'], ['line 4', 'two']]);
  });

  it('refuses the QR codes people scan by mistake, and files that are not keys', async () => {
    for (const [content, why] of [['https://example.com/menu', /this QR code holds a web link/], ['WIFI:S:x;T:WPA;P:secretpw;;', /a Wi-Fi network/]] as const) {
      const png = join(dir, 'oops.png');
      await QRCode.toFile(png, content, { type: 'png' });
      const err = (await readImport(png).catch((e: Error) => e)) as Error;
      expect(err.message).toMatch(why);
      expect(err.message).not.toContain('secretpw');
    }
    const txt = join(dir, 'notes.txt');
    writeFileSync(txt, 'my bank pin is 1234\n');
    await expect(readImport(txt)).rejects.toThrow(/notes.txt, line 1 holds plain text/);
    await expect(readImport(join(dir, 'missing.txt'))).rejects.toThrow(/no such file/);
  });
});

describe('import: onto the token', () => {
  const accounts = (): ImportedAccount[] => [
    { from: 'entry 1', otp: { type: 'totp' as const, issuer: 'GitHub', account: 'me@example.com', secret: seed(20, 1), algorithm: 'SHA1' as const, digits: 6, period: 30, counter: 0 } },
    { from: 'entry 2', otp: { type: 'totp' as const, issuer: 'GitLab', account: 'me@example.com', secret: seed(20, 2), algorithm: 'SHA256' as const, digits: 8, period: 30, counter: 0 } },
    { from: 'entry 3', otp: { type: 'totp' as const, issuer: '', account: 'vpn', secret: seed(64, 3), algorithm: 'SHA512' as const, digits: 6, period: 60, counter: 0 } },
  ];

  it('adds every account, telling same-named accounts apart by issuer', async () => {
    const t = token();
    const lines: string[] = [];
    await importToToken(t, accounts(), (p, check) => lines.push(`${p.name} ${check.length}`));
    expect([...t.accounts.keys()]).toEqual(['me@example.com (GitHub)', 'me@example.com (GitLab)', 'vpn']);
    expect(lines).toHaveLength(3);
    expect(t.accounts.get('vpn')).toMatchObject({ algorithm: 'SHA512', period: 60 });
  });

  it('adds HOTP accounts with their counters, first: a token without HOTP refuses before anything is stored', async () => {
    const list = accounts();
    list.push({ from: 'entry 4', otp: { ...list[0].otp, type: 'hotp', account: 'counter', secret: seed(20, 4), counter: 41 } });
    const t = token();
    await importToToken(t, list, () => {});
    expect([...t.accounts.keys()][0]).toBe('counter');
    expect(t.accounts.get('counter')).toMatchObject({ type: 'hotp', counter: 41 });
    const old = token();
    old.hotp = false;
    const list2 = accounts();
    list2.push({ from: 'entry 4', otp: { ...list2[0].otp, type: 'hotp', account: 'counter', secret: seed(20, 4), counter: 41 } });
    await expect(importToToken(old, list2, () => {})).rejects.toThrow(/importing 'counter' failed: the firmware on 'fake-board' .*predates HOTP accounts.*none were added/);
    expect(old.accounts.size).toBe(0);
  });

  it('checks everything first: algorithms the board lacks, clashes and slots all refuse with nothing added', async () => {
    const t = token();
    t.algorithms = ['SHA1'];
    await t.add({ name: 'vpn', issuer: '', algorithm: 'SHA1', digits: 6, period: 30, secret: seed(20, 9) });
    const list = accounts();
    list.push({ from: 'entry 4', otp: { ...list[0].otp, type: 'hotp', account: 'counter', secret: seed(20, 4) } });
    const err = (await importToToken(t, list, () => {}).catch((e: Error) => e)) as Error;
    expect(err.message).toMatch(/^nothing was imported:/);
    expect(err.message).toMatch(/entry 2 \(GitLab: me@example.com\): SHA256, which board 'fake-board' cannot compute/);
    expect(err.message).toMatch(/entry 3 \(vpn\): the token already has an account named 'vpn'/);
    expect([...t.accounts.keys()]).toEqual(['vpn']);
    const small = token();
    small.slots = 2;
    await expect(importToToken(small, accounts(), () => {})).rejects.toThrow(/3 accounts but only 2 free slots/);
  });

  it('a key under 80 bits (the token takes 10 to 64 bytes) refuses the whole import before anything is sent', async () => {
    const t = token();
    const list = accounts();
    list.push({ from: 'entry 4', otp: { ...list[0].otp, type: 'hotp', account: 'short', secret: seed(8, 4), counter: 1 } });
    const err = (await importToToken(t, list, () => {}).catch((e: Error) => e)) as Error;
    expect(err.message).toMatch(/^nothing was imported:\n  entry 4 \(GitHub: short\): the key is 8 bytes; the token takes 10 to 64 bytes \(80 bits at least\)$/);
    expect(t.accounts.size).toBe(0);
  });

  it('says which accounts were stored when the link fails midway', async () => {
    const t = token();
    t.failAfterAdds = 1;
    await expect(importToToken(t, accounts(), () => {})).rejects.toThrow(/importing 'me@example.com \(GitLab\)' failed: the link closed .*; 1 of 3 were added \(me@example.com \(GitHub\)\), the rest were not/);
  });
});

describe('import: text given directly', () => {
  it('reads stdin content as a list (comments first), and never echoes an argument that is not a path', async () => {
    const { readImportText } = await import('../../host/lib/import/source.ts');
    const set = await readImportText('# from my password manager\notpauth://totp/A:x?secret=JBSWY3DPEHPK3PXP\n', 'stdin');
    expect(set.accounts.map((a) => a.from)).toEqual(['line 2']);
    await expect(readImportText('otpauth://totp/A:x?secret=JBSWY3DPEHPK3PXP\nhttp://x.y\n', 'stdin')).rejects.toThrow(/^stdin, line 2 holds a web link/);
    const err = (await readImport('WIFI:S:x;T:WPA;P:hunter2;;').catch((e: Error) => e)) as Error;
    expect(err.message).toBe('the argument is neither a file nor a key: it is a Wi-Fi network (WIFI:), not a key');
  });
});

describe('import: --key-file contents', () => {
  it('hex (spaces, colons, 0x and a newline allowed) or else the raw bytes', async () => {
    const { keyFromFile } = await import('../../host/lib/import/source.ts');
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    expect(hex(keyFromFile(Buffer.from('12345678901234567890123456789012\n')))).toBe('12345678901234567890123456789012');
    expect(hex(keyFromFile(Buffer.from('0x0001 0203:0405\r\n')))).toBe('000102030405');
    const raw = new Uint8Array([0xff, 0x00, 0x10, 0x80, 0x7f, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b]);
    expect(hex(keyFromFile(raw))).toBe(hex(raw));
  });
});
