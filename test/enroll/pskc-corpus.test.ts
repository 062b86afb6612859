// python-pskc's whole test corpus (../shared/interop-data/pskc-corpus), read
// by python-pskc itself (the oracle: helpers/pskc-oracle.py) and by our import,
// with no key and with each key/password its doctests try (KEYS.tsv, wrong ones
// included). For every file and attempt:
// - where python-pskc reads TOTP/HOTP keys the token can hold, our import
//   (the CLI's path: readImport with the key or password callbacks) yields the
//   same keys: secret, algorithm, digits, period, counter, issuer, name; TOTP
//   files are also imported into a simulator token and each key check compared
//   with one computed here from python-pskc's secret (HOTP ones once the
//   host sends account types, i.e. after the HOTP wire fields merge);
// - where python-pskc refuses, or a key is something the token cannot hold
//   (OCRA, a PIN policy, a YubiKey AES key...), our import refuses, with a
//   message naming that reason, and returns nothing.
// The expected reason is derived from what python-pskc reports, not from our
// code. Counts are printed. Skips (saying so) without python3-pskc or the corpus.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimToken } from '../../firmware/ports/node/sim-token.ts';
import { keyCheckValue } from '../../protocol/keycheck.ts';
import { TokenClient } from '../../host/lib/client.ts';
import { nodeHashes } from '../../host/lib/hashes/node-hashes.ts';
import { readImport } from '../../host/lib/import/source.ts';
import type { ImportSet } from '../../host/lib/import/source.ts';
import { importToToken } from '../../host/lib/import/to-token.ts';
import { openTransport } from '../../host/lib/transport/index.ts';
import { MAX_COUNTER } from '../../protocol/hotp.ts';
import { MIN_SECRET } from '../../protocol/messages.ts';
import { pythonWithPskc } from './helpers/python-pskc.ts';

const root = join(import.meta.dirname, '..', '..');
const corpus = join(root, '..', 'shared', 'interop-data', 'pskc-corpus');
const python = existsSync(corpus) ? pythonWithPskc() : null;
if (!existsSync(corpus)) console.warn(`PSKC corpus test skipped: ${corpus} is missing`);

interface PyKey {
  id: string | null;
  algorithm: string | null;
  suite: string | null;
  issuer: string | null;
  friendly_name: string | null;
  key_userid: string | null;
  device_userid: string | null;
  serial: string | null;
  response_encoding: string | null;
  response_length: number | null;
  pin_usage: string | null;
  pin_key_id: string | null;
  unknown_policy: boolean;
  key_usage: string[];
  may_use: boolean;
  number_of_transactions: number | null;
  expiry_date: string | null;
  secret?: string | null;
  secret_error?: string;
  counter?: number | null;
  counter_error?: string;
  time_offset?: number | null;
  time_interval?: number | null;
  time_drift?: number | null;
  [k: string]: unknown;
}
interface Attempt {
  kind: 'key' | 'password' | null;
  value: string | null;
  ok: boolean;
  error?: string;
  keys?: PyKey[];
}

/**
 * Files whose CBC values carry no ValueMAC: python-pskc decrypts them (only the padding catches a
 * wrong key), and so do we, with a warning that a wrong password or key cannot be detected.
 * Checked both ways: these files must warn, and no other file read may. (tests/misc/integers.pskcxml
 * has no MAC either; its values decrypt too, but its keys name no Algorithm and hold no secret, so it
 * is refused for that, as python-pskc reads no seed from it.)
 */
const NO_MAC = ['tests/draft-ietf-keyprov-pskc-02/figure5.pskcxml'];
const NO_MAC_WARNING = /without a MAC .*a wrong password or key cannot be detected/;

/** Why python-pskc refused the whole file or a value, as a pattern our message must match. */
function reasonOfPythonError(error: string, attempt: Attempt): RegExp {
  if (/No key available/.test(error)) return /protected by a password|pre-shared key|encrypted to a certificate/;
  if (/Invalid key length/.test(error)) return /the key given is \d+ bytes but/;
  if (/Invalid padding|MAC value does not match|checksum|Ciphertext length/.test(error)) return /wrong password or key/;
  if (/Unsupported MAC algorithm/.test(error)) return /MAC algorithm/;
  if (/Unsupported algorithm/.test(error)) return /encryption algorithm '.*' is not supported/;
  if (/No algorithm specified/.test(error)) return attempt.kind === 'password' ? /pre-shared key/ : /names no encryption algorithm|not supported/;
  if (/Incomplete PBKDF2/.test(error)) return /key derivation is incomplete/;
  if (/Error parsing XML/.test(error)) return /not well-formed XML/;
  if (/Missing KeyContainer/.test(error)) return /no <KeyContainer>/;
  if (/Unsupported version/.test(error)) return /PSKC version .* is not supported/;
  if (/invalid boolean/.test(error)) return /is not a boolean/;
  if (/invalid literal for int/.test(error)) return /is not a whole number/;
  return /^$/; // an error this table does not know: the test fails and says which
}

const isOtp = (k: PyKey): boolean => /(?:^|[:#])(totp|hotp)$/i.test(k.algorithm ?? '');

/** Reasons the token cannot take this key (empty: it can), each as a pattern for our message. */
function keyProblems(k: PyKey): RegExp[] {
  const out: RegExp[] = [];
  const a = (k.algorithm ?? '').toLowerCase();
  for (const [field, v] of Object.entries(k)) if (field.endsWith('_error')) out.push(reasonOfPythonError(String(v), { kind: null, value: null, ok: false }));
  if (!isOtp(k)) {
    if (a === '') out.push(/no Algorithm/);
    else if (/ocra/.test(a)) out.push(/an OCRA/);
    else if (/[:#]pin$/.test(a)) out.push(/a PIN \(the PIN of another key\)/);
    else if (/yubikey/.test(a)) out.push(/YubiKey AES/);
    else if (/securid/.test(a)) out.push(/SecurID/);
    else if (/actividentity/.test(a)) out.push(/ActivIdentity/);
    else out.push(/key, which the token cannot hold/);
  }
  if (k.secret === null && !k.secret_error) out.push(/holds no secret|no Data\/Secret/);
  if (k.unknown_policy) out.push(/rules this reader does not know/);
  if (k.pin_usage || k.pin_key_id) out.push(/requires a PIN/);
  if (k.number_of_transactions !== null) out.push(/NumberOfTransactions/);
  if (k.key_usage.length > 0 && k.key_usage.indexOf('OTP') < 0) out.push(/allows it only for/);
  if (!k.may_use) out.push(/expired on|may be used only from/);
  if (k.suite && !/^(hmac-?)?sha-?(1|256|512)$/i.test(k.suite)) out.push(/Suite/);
  if (k.response_encoding && k.response_encoding.toUpperCase() !== 'DECIMAL') out.push(/not supported \(only DECIMAL\)/);
  if (k.response_check) out.push(/check digit/);
  if (k.response_length !== null && (k.response_length < 6 || k.response_length > 10)) out.push(/Length must be/);
  if (/totp$/i.test(a) && k.time_interval != null && (k.time_interval < 1 || k.time_interval > 86400)) out.push(/TimeInterval must be/);
  if (/totp$/i.test(a) && k.time_offset != null && k.time_offset !== 0) out.push(/Time \(T0\)/);
  if (/hotp$/i.test(a) && k.counter != null && k.counter > MAX_COUNTER) out.push(/HOTP counter \d+ is beyond/);
  return out;
}

function expectedAccount(k: PyKey) {
  const type = /totp$/i.test(k.algorithm ?? '') ? 'totp' : 'hotp';
  const suite = (k.suite ?? 'SHA1').toUpperCase().replace(/[^A-Z0-9]/g, '').replace(/^HMAC/, '');
  return {
    type,
    account: k.friendly_name || k.key_userid || k.device_userid || k.serial || k.id,
    issuer: k.issuer ?? '',
    secret: k.secret,
    algorithm: suite,
    digits: k.response_length ?? 6,
    period: type === 'totp' ? (k.time_interval ?? 30) : 30,
    counter: type === 'hotp' ? (k.counter ?? 0) : 0,
  };
}

const dir = mkdtempSync(join(tmpdir(), 'pskc-corpus-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function files(d: string): string[] {
  return readdirSync(d).flatMap((n) => {
    const p = join(d, n);
    if (statSync(p).isDirectory()) return n === 'certificate' ? [] : files(p);
    return [p];
  });
}

async function ourRead(file: string, a: Attempt): Promise<ImportSet> {
  const keyFile = join(dir, 'key');
  if (a.kind === 'key') writeFileSync(keyFile, a.value as string); // hex, as --key-file takes it
  return readImport(file, {
    password: a.kind === 'password' ? async () => a.value as string : undefined,
    preSharedKey: a.kind === 'key' ? async () => (await import('../../host/lib/import/source.ts')).keyFromFile(readFileSync(keyFile)) : undefined,
  });
}

describe.skipIf(!python)('python-pskc corpus: same keys, or refused with the right reason', () => {
  let oracle: { [file: string]: Attempt[] } = {};
  const paths = python ? files(join(corpus, 'tests')).sort() : [];
  const verdicts = new Map<string, 'identical' | 'refused' | 'wrong'>();
  const readByPython = new Set<string>();
  const totpFiles: { file: string; attempt: Attempt; keys: PyKey[] }[] = [];
  const hotpFiles: { file: string; attempt: Attempt; keys: PyKey[] }[] = [];

  beforeAll(() => {
    const out = execFileSync(python as string, [join(import.meta.dirname, 'helpers', 'pskc-oracle.py'), ...paths], { input: readFileSync(join(corpus, 'KEYS.tsv')), encoding: 'utf8', maxBuffer: 64 << 20 });
    oracle = JSON.parse(out);
  }, 120_000);

  afterAll(() => {
    if (!python) return;
    const count = (v: string) => [...verdicts.values()].filter((x) => x === v).length;
    console.log(
      `PSKC corpus: ${paths.length} files; python-pskc reads TOTP/HOTP keys in ${readByPython.size}; ` +
        `imported identically: ${count('identical')}; refused with the right reason: ${count('refused')}; wrong: ${count('wrong')}` +
        ` (read with a no-MAC warning: ${NO_MAC.join(', ')})`,
    );
  });

  it('every file: the same keys as python-pskc, or a refusal naming the reason', async () => {
    expect(paths.length).toBeGreaterThan(70);
    const failures: string[] = [];
    for (const path of paths) {
      const file = relative(corpus, path);
      const attempts = oracle[file];
      expect(attempts, file).toBeDefined();
      let verdict: 'identical' | 'refused' | 'wrong' = 'refused';
      for (const a of attempts) {
        const label = `${file} [${a.kind ?? 'no key'} ${a.value ?? ''}]`;
        let ours: ImportSet | null = null;
        let err = '';
        try {
          ours = await ourRead(path, a);
        } catch (e) {
          err = (e as Error).message;
        }
        const keys = a.keys ?? [];
        if (a.ok && keys.some((k) => isOtp(k) && typeof k.secret === 'string')) readByPython.add(file);
        let problems = a.ok ? keys.flatMap(keyProblems) : [reasonOfPythonError(a.error ?? '', a)];
        // Without a key python-pskc only says "No key available"; a file that is broken whatever the key
        // (an unknown cipher, none named) may be refused for that instead: what python-pskc says with a key.
        if (a.kind === null && keys.some((k) => /No key available/.test(k.secret_error ?? ''))) {
          problems = problems.concat(attempts.filter((b) => b !== a).flatMap((b) => (b.ok ? (b.keys ?? []).flatMap(keyProblems) : [reasonOfPythonError(b.error ?? '', b)])));
        }
        if (problems.length === 0) {
          // python-pskc reads every key and the token can hold them all: the same accounts.
          if (!ours) {
            failures.push(`${label}: python-pskc reads it but we refused: ${err}`);
            verdict = 'wrong';
            continue;
          }
          const got = ours.accounts.map((x) => ({ ...x.otp, secret: Buffer.from(x.otp.secret).toString('hex') }));
          const want = keys.map(expectedAccount);
          try {
            expect(got).toEqual(want);
          } catch {
            failures.push(`${label}: keys differ:\n  ours   ${JSON.stringify(got)}\n  python ${JSON.stringify(want)}`);
            verdict = 'wrong';
            continue;
          }
          if (NO_MAC.includes(file) !== ours.notes.some((n) => NO_MAC_WARNING.test(n))) {
            failures.push(`${label}: ${NO_MAC.includes(file) ? 'no warning that the file carries no MAC' : `a no-MAC warning on a file with MACs: ${ours.notes.join('; ')}`}`);
            verdict = 'wrong';
            continue;
          }
          if (verdict !== 'wrong') verdict = 'identical';
          const entry = { file: path, attempt: a, keys };
          if (keys.every((k) => /totp$/i.test(k.algorithm ?? ''))) totpFiles.push(entry);
          else hotpFiles.push(entry);
        } else {
          const accept = problems;
          if (ours) {
            failures.push(`${label}: we imported ${ours.accounts.length} account(s) but it must be refused (${accept.map(String).join(' or ')})`);
            verdict = 'wrong';
          } else if (!accept.some((r) => r.test(err))) {
            failures.push(`${label}: refused for the wrong reason: '${err}', expected ${accept.map(String).join(' or ')}`);
            verdict = 'wrong';
          } else if (/[0-9a-f]{32}/i.test(err)) {
            failures.push(`${label}: the refusal shows key material`);
            verdict = 'wrong';
          }
        }
      }
      verdicts.set(file, verdict);
    }
    expect(failures).toEqual([]);
    expect(readByPython.size).toBeGreaterThan(20);
    expect(totpFiles.length).toBeGreaterThan(3);
  }, 120_000);

  /** Files intoSim saw refused whole for a key under 80 bits. */
  const refusedShort: string[] = [];
  async function intoSim(entries: { file: string; attempt: Attempt; keys: PyKey[] }[]): Promise<void> {
    const hashes = nodeHashes();
    for (const { file, attempt, keys } of entries) {
      const sim = await startSimToken({ stateDir: mkdtempSync(join(dir, 'sim-')), link: 'tcp', tcpPort: 0, presenceTimeoutMs: 1000 });
      const client = new TokenClient(await openTransport(sim.address));
      try {
        await client.hello();
        const set = await ourRead(file, attempt);
        const checks: string[] = [];
        if (keys.some((k) => Buffer.from(k.secret as string, 'hex').length < MIN_SECRET)) {
          // A key under 80 bits the token refuses (wire-protocol.md, Key check): the whole file, before anything is stored.
          await expect(importToToken(client, set.accounts, () => {}), file).rejects.toThrow(/^nothing was imported:\n.*the key is \d+ bytes; the token takes 10 to 64 bytes/);
          expect(await client.list(), file).toEqual([]);
          refusedShort.push(relative(corpus, file));
          continue;
        }
        await importToToken(client, set.accounts, (_p, check) => checks.push(check));
        const want = keys.map((k) => Buffer.from(keyCheckValue(hashes[expectedAccount(k).algorithm as 'SHA1']!, Buffer.from(k.secret as string, 'hex'))).toString('hex'));
        expect(checks.sort(), file).toEqual(want.sort());
        const listed = await client.list();
        expect(listed.map((l) => [l.algorithm, l.digits, l.type === 'hotp' ? l.counter : l.period]).sort(), file).toEqual(
          keys.map((k) => expectedAccount(k)).map((e) => [e.algorithm, e.digits, e.type === 'hotp' ? e.counter : e.period]).sort(),
        );
      } finally {
        await client.close();
        await sim.close();
      }
    }
  }

  it('TOTP files go onto a simulator token: every key check matches python-pskc\'s secret', async () => {
    expect(totpFiles.length).toBeGreaterThan(3);
    await intoSim(totpFiles);
  }, 120_000);

  it('the CLI itself: --key-file (hex, never on argv) and --password-stdin, dry run in JSON', () => {
    const run = (args: string[], input = '') =>
      spawnSync(process.execPath, ['--import', 'tsx', join(root, 'host', 'cli', 'main.ts'), 'import', ...args, '--dry-run', '--json'], { cwd: root, encoding: 'utf8', input, timeout: 60_000 });
    const keyFile = join(dir, 'psk.hex');
    writeFileSync(keyFile, '12345678901234567890123456789012\n', { mode: 0o600 });
    const aes = run([join(corpus, 'tests/multiotp/pskc-totp-aes.txt'), '--key-file', keyFile]);
    expect(aes.status, aes.stderr).toBe(0);
    const want = oracle['tests/multiotp/pskc-totp-aes.txt'].find((a) => a.kind === 'key')!.keys!.map(expectedAccount);
    expect(JSON.parse(aes.stdout).accounts.map((a: { name: string; digits: number; algorithm: string }) => [a.name, a.digits, a.algorithm])).toEqual(want.map((w) => [w.account, w.digits, w.algorithm]));
    writeFileSync(keyFile, '00112233445566778899aabbccddeeff\n');
    const wrong = run([join(corpus, 'tests/multiotp/pskc-totp-aes.txt'), '--key-file', keyFile]);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/wrong password or key/);
    const pbe = run([join(corpus, 'tests/multiotp/pskc-totp-pbe.txt'), '--password-stdin'], 'qwerty\n');
    expect(pbe.status, pbe.stderr).toBe(0);
    expect(JSON.parse(pbe.stdout).accounts).toHaveLength(1);
  }, 120_000);

  it('HOTP and mixed files go onto a simulator token whole: key checks and counters match (a file with a key under 80 bits is refused whole)', async () => {
    expect(hotpFiles.length).toBeGreaterThan(5);
    await intoSim(hotpFiles);
    console.log(`PSKC corpus onto the simulator: ${hotpFiles.length - refusedShort.length} HOTP/mixed files whole; refused whole for a key under 80 bits: ${refusedShort.join(', ')}`);
    expect(hotpFiles.length - refusedShort.length).toBeGreaterThan(5);
  }, 120_000);
});
