// Real Google Authenticator exports (../shared/interop-data/google-authenticator,
// from scito/extract_otp_secrets): every export imports with the accounts that
// tool prints for it (example_output.json: names, issuers, secrets, types,
// counters, UTF-8 names; for the QR image, the expected output of its
// tests for test_googleauth_export.png), and every bad input gets one clear
// line and exit 2 from the CLI.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { base32Encode } from '../../protocol/base32.ts';
import { readImport } from '../../host/lib/import/source.ts';
import type { ImportSet } from '../../host/lib/import/source.ts';

const root = join(import.meta.dirname, '..', '..');
const dir = join(root, '..', 'shared', 'interop-data', 'google-authenticator');
const ready = existsSync(dir);
if (!ready) console.warn(`Google Authenticator export test skipped: ${dir} is missing`);

interface Expected {
  name: string;
  secret: string;
  issuer: string;
  type: string;
  counter: number | null;
}

/** Our accounts in extract_otp_secrets' terms: its name keeps the "Issuer:" prefix; ours drops it when it is the issuer. */
function asTheirs(set: ImportSet, theirs: Expected[]): Expected[] {
  return set.accounts.map((a, i) => ({
    name: theirs[i] && theirs[i].name === `${a.otp.issuer}:${a.otp.account}` ? theirs[i].name : a.otp.account,
    secret: base32Encode(a.otp.secret).replace(/=+$/, ''),
    issuer: a.otp.issuer,
    type: a.otp.type,
    counter: a.otp.type === 'hotp' ? a.otp.counter : null,
  }));
}

const load = (): Expected[] =>
  (JSON.parse(readFileSync(join(dir, 'example_output.json'), 'utf8')) as (Expected & { url: string })[]).map((t) => ({ name: t.name, secret: t.secret, issuer: t.issuer, type: t.type, counter: t.counter }));

function cli(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(root, 'host', 'cli', 'main.ts'), ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
}

describe.skipIf(!ready)('Google Authenticator exports (real files)', () => {
  it('example_export.txt: the accounts of example_output.json and .csv, in order', async () => {
    const theirs = load();
    const set = await readImport(join(dir, 'example_export.txt'));
    expect(asTheirs(set, theirs)).toEqual(theirs);
    const csv = readFileSync(join(dir, 'example_output.csv'), 'utf8').trim().split('\n').slice(1);
    expect(csv.map((l) => l.split(',').slice(0, 5).join(','))).toEqual(theirs.map((t) => [t.name, t.secret, t.issuer, t.type, t.counter ?? ''].join(',')));
    expect(theirs.some((t) => t.type === 'hotp' && t.counter === 4)).toBe(true); // the file does test HOTP
    expect(theirs.some((t) => /¿äÄéÉ/.test(t.name))).toBe(true); // and UTF-8
  });

  it('example_export_only_totp.txt: the same accounts less the HOTP one', async () => {
    const theirs = load().filter((t) => t.type === 'totp');
    const set = await readImport(join(dir, 'example_export_only_totp.txt'));
    expect(asTheirs(set, theirs)).toEqual(theirs);
  });

  it('example_export.png (the QR image) and test_plus_problem_export.txt', async () => {
    const png = await readImport(join(dir, 'example_export.png'));
    // extract_otp_secrets' tests, expected output for this image
    const theirs: Expected[] = [1, 2, 3].map((n) => ({ name: `Test${n}:test${n}@example${n}.com`, secret: `JBSWY3DPEHPK3PX${'PQR'[n - 1]}`, issuer: `Test${n}`, type: 'totp', counter: null }));
    expect(asTheirs(png, theirs)).toEqual(theirs);
    const plus = await readImport(join(dir, 'test_plus_problem_export.txt'));
    expect(plus.accounts.map((a) => `${a.otp.issuer}:${a.otp.account}`)).toEqual([1, 2, 3, 4].map((n) => `SerenityLabs:test${n}@serenitylabs.co.uk`));
  });

  it('a negative batch_id (a 10-byte varint) is read: the issue\'s own command exits 0', () => {
    const line = readFileSync(join(dir, 'example_export.txt'), 'utf8').split('\n').find((l) => l.startsWith('otpauth-migration'))!;
    const r = cli(['import', line, '--dry-run']);
    expect(r.stderr).toMatch(/warning: a key given on the command line/);
    expect(r.stdout).toMatch(/1 account\(s\) in this migration input/);
    expect(r.status).toBe(0);
  });

  it('bad inputs: one clear line each, exit 2', () => {
    const cases: [string, RegExp][] = [
      ['test_export_wrong_prefix.txt', /line 1 holds a qr-code: URI, not an otpauth:\/\/ key/],
      ['test_export_wrong_data.txt', /otpauth-migration: .*(cut short|not protobuf)/],
      ['test_export_wrong_content.txt', /line 1 holds plain text, not an otpauth:\/\/ key/],
      ['qr_but_without_otp.png', /this QR code holds plain text, not an otpauth:\/\/ key/],
      ['text_masquerading_as_image.jpeg', /not an image \(no PNG data\): it holds plain text, not an otpauth:\/\/ key/],
      ['empty_file.txt', /holds no otpauth:\/\/ URIs/],
      ['only_comments.txt', /holds no otpauth:\/\/ URIs/],
    ];
    for (const [file, why] of cases) {
      const r = cli(['import', join(dir, file), '--dry-run']);
      const lines = r.stderr.trim().split('\n');
      expect(lines, file).toHaveLength(1);
      expect(lines[0], file).toMatch(/^totp-token: /);
      expect(lines[0], file).toMatch(why);
      expect(r.stdout, file).toBe('');
      expect(r.status, file).toBe(2);
    }
  }, 120_000);
});
