import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildEntraCsv, ENTRA_HEADER, entraIncompatibility, parseEntraCsv, writeEntraCsvFile } from '../../host/lib/export/entra-csv.ts';
import type { EntraRow } from '../../host/lib/export/entra-csv.ts';
import { writeNewSecretFile } from '../../host/lib/export/secure-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'entra-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bytes = (n: number, f: number) => new Uint8Array(n).map((_, i) => (f * 31 + i * 13) & 255);

const rows = (): EntraRow[] => [
  { upn: 'helga@contoso.com', serial: '1234567', secret: bytes(20, 1), period: 30, manufacturer: 'Contoso', model: 'HardwareKey' },
  { upn: 'bob@contoso.com', serial: 'TT-0002', secret: bytes(40, 2), period: 60, manufacturer: 'totp-token', model: 'Pico, rev "B"' },
  { upn: '', serial: 'spare-1', secret: bytes(10, 3), period: 30, manufacturer: 'totp-token', model: 'sim' },
];

describe('Entra ID OATH token CSV', () => {
  it("writes Microsoft's header and base32 secrets, and round-trips through our reader", () => {
    const csv = buildEntraCsv(rows());
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('upn,serial number,secret key,time interval,manufacturer,model');
    expect(lines[1]).toMatch(/^helga@contoso\.com,1234567,[A-Z2-7]{32},30,Contoso,HardwareKey$/);
    expect(lines[2]).toContain(',"Pico, rev ""B"""');
    const back = parseEntraCsv(csv);
    expect(back.map((r) => ({ ...r, secret: Buffer.from(r.secret).toString('hex') }))).toEqual(rows().map((r) => ({ ...r, secret: Buffer.from(r.secret).toString('hex') })));
  });

  it('says why an account cannot go to Entra', () => {
    const base = { type: 'totp' as const, issuer: '', account: 'a', secret: bytes(20, 1), algorithm: 'SHA1' as const, digits: 6, period: 30, counter: 0 };
    expect(entraIncompatibility(base)).toBeNull();
    expect(entraIncompatibility({ ...base, algorithm: 'SHA256' })).toMatch(/HMAC-SHA1 only/);
    expect(entraIncompatibility({ ...base, digits: 8 })).toMatch(/6-digit/);
    expect(entraIncompatibility({ ...base, period: 45 })).toMatch(/30 or 60/);
    expect(entraIncompatibility({ ...base, type: 'hotp' })).toMatch(/TOTP tokens only/);
  });

  it('refuses bad rows before writing anything', () => {
    const r = rows();
    expect(() => buildEntraCsv([r[0], { ...r[1], serial: '1234567' }])).toThrow(/row 2: serial number '1234567' appears twice/);
    expect(() => buildEntraCsv([{ ...r[0], period: 45 }])).toThrow(/30 or 60/);
    expect(() => buildEntraCsv([{ ...r[0], upn: '=cmd|calc' }])).toThrow(/formula/);
    expect(() => buildEntraCsv([{ ...r[0], model: 'a\nb' }])).toThrow(/line break/);
    expect(() => buildEntraCsv([])).toThrow(/no tokens/);
  });

  it('reads errors by line, never echoing the secret', () => {
    const bad = `${ENTRA_HEADER}\nx@y.z,1,JBSWY3DPEHPK3PX1,30,a,b\n`;
    expect(() => parseEntraCsv(bad)).toThrow(/line 2: secret key: base32: invalid character '1' at position 16/);
    expect(() => parseEntraCsv(bad)).not.toThrow(/JBSWY3DPEHPK3PX/);
    expect(() => parseEntraCsv('upn,serial\n')).toThrow(/header/);
    expect(() => parseEntraCsv(`${ENTRA_HEADER}\na,b,JBSWY3DPEHPK3PXP,90,c,d`)).toThrow(/line 2: time interval must be 30 or 60/);
  });

  it('writes the file owner-only, and a target that exists errors and is left untouched', () => {
    const path = join(dir, 'tokens.csv');
    writeFileSync(path, 'precious\n', { mode: 0o644 });
    expect(() => writeEntraCsvFile(path, rows())).toThrow(/tokens\.csv already exists: refusing to overwrite it/);
    expect(readFileSync(path, 'utf8')).toBe('precious\n');
    expect(statSync(path).mode & 0o777).toBe(0o644);
    const fresh = writeEntraCsvFile(join(dir, 'fresh.csv'), rows());
    expect(fresh).toBe(join(dir, 'fresh.csv'));
    expect(statSync(fresh).mode & 0o777).toBe(0o600);
    expect(parseEntraCsv(readFileSync(fresh, 'utf8'))).toHaveLength(3);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a symlink at the target, dangling or not, and does not follow it', () => {
    const link = join(dir, 'link.csv');
    symlinkSync(join(dir, 'elsewhere.csv'), link);
    expect(() => writeNewSecretFile(link, 'a')).toThrow(/already exists/);
    expect(existsSync(join(dir, 'elsewhere.csv'))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
