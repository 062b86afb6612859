// PSKC files in the page (real headless Chromium): the page's import code
// (host/web/pskc-panel.ts over host/lib's one PSKC codec, with the page's
// crypto: @noble/ciphers, @noble/hashes, des.js, camellia.ts, WebCrypto
// RSA-OAEP and PBKDF2) against the CLI's (readImportText over node:crypto), computed here
// for the same file, key and password:
// - python-pskc's whole corpus (../shared/interop-data/pskc-corpus) with no key
//   and each key or password its doctests try (KEYS.tsv, wrong ones included):
//   the same accounts (fields, and a SHA-256 of each secret: never a secret in
//   the output) and notes, or the same refusal word for word, but for where a
//   message says how to give a key: the page names its fields, never a CLI
//   option or node:crypto. No exception: Camellia files included;
// - every encrypted corpus file's raw values, decrypted in the page as the CLI
//   decrypts them (digests compared), Camellia CBC and key wrap among them;
// - RSA-OAEP files (made here: the corpus has none) with PKCS#8 and PKCS#1 keys;
// - through the page's form onto the try-it token: a wrong password gives the
//   CLI's own error (the CLI is run for it) and adds nothing; the right one
//   adds the account, whose code on the canvas is otplib's for the CLI's secret;
//   a key-file-encrypted file likewise; while a password's key is derived
//   the page says so with the file's iteration count (a crafted 2,000,000),
//   Import off; the page's PBKDF2 gives node:crypto's bytes for every PRF.
//   Inputs are cleared once read; nothing is kept in the browser's storage.
import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync, pbkdf2Sync, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_KEY_WORDS, pskcNeedsPassword } from '../../host/lib/import/pskc.ts';
import { readPskcRaw } from '../../host/lib/import/pskc-node.ts';
import { nodePskcCrypto } from '../../host/lib/import/pskc-crypto-node.ts';
import { webPskcCrypto } from '../../host/lib/import/pskc-crypto-web.ts';
import { PAGE_KEY_WORDS } from '../../host/web/pskc-panel.ts';
import { keyFromFile, readImportText } from '../../host/lib/import/source.ts';
import type { ImportSet } from '../../host/lib/import/source.ts';
import { oaepFile } from '../enroll/helpers/pskc-oaep.ts';
import { readCode, readLabel } from '../helpers/ocr.ts';
import { canvasFramebuffer, codesAround, hasChromium, screenshot, startWebRig } from './browser.ts';
import type { WebRig } from './browser.ts';
import type { PskcReadSummary } from './pskc-summary.ts';

const root = join(import.meta.dirname, '..', '..');
const corpus = join(root, '..', 'shared', 'interop-data', 'pskc-corpus');
const hasCorpus = existsSync(join(corpus, 'KEYS.tsv'));
if (!hasCorpus) console.warn(`web PSKC corpus test skipped: ${corpus} is missing`);

type Kind = 'password' | 'key' | 'private-key' | null;
interface Attempt {
  kind: Kind;
  value: string | null;
}

function corpusFiles(d: string): string[] {
  return readdirSync(d).flatMap((n) => {
    const p = join(d, n);
    if (statSync(p).isDirectory()) return n === 'certificate' ? [] : corpusFiles(p);
    return [p];
  });
}

/** No key, then each key or password python-pskc's doctests try on the file (KEYS.tsv). */
function attemptsFor(file: string, keys: string[][]): Attempt[] {
  return [{ kind: null, value: null }, ...keys.filter((k) => k[0] === file).map((k) => ({ kind: k[1] as Kind, value: k[2].split(/\s/)[0] }))];
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** The CLI's read (host/cli/commands/import.ts calls readImportText with the file's text, --password-stdin, --key-file, --private-key). */
async function cliRead(text: string, source: string, a: Attempt): Promise<ImportSet> {
  return readImportText(text, source, {
    password: a.kind === 'password' ? async () => a.value as string : undefined,
    preSharedKey: a.kind === 'key' ? async () => keyFromFile(new TextEncoder().encode(a.value as string)) : undefined,
    privateKeyPem: a.kind === 'private-key' ? async () => a.value as string : undefined,
  });
}

async function cliSummary(text: string, source: string, a: Attempt): Promise<PskcReadSummary> {
  try {
    const need = pskcNeedsPassword(text, source);
    const set = await cliRead(text, source, a);
    const accounts = set.accounts.map((x) => {
      const { secret, ...rest } = x.otp;
      return { ...rest, from: x.from, secretSha256: sha256(secret) };
    });
    return { need, accounts, notes: set.notes };
  } catch (e) {
    return { error: (e as Error).message, code: (e as { code?: string }).code ?? '' };
  }
}

function pageSummary(page: Page, text: string, source: string, a: Attempt): Promise<PskcReadSummary> {
  return page.evaluate(
    (t, s, k, v) => (globalThis as unknown as { pskcHarness: { run(...x: unknown[]): Promise<PskcReadSummary> } }).pskcHarness.run(t, s, k, v),
    text,
    source,
    a.kind,
    a.value,
  );
}

/**
 * The CLI's result as the page must give it: the same, but where a message
 * says how to give a key (the CLI's options -> the page's fields) and why RSA
 * PKCS#1 v1.5 is refused (node:crypto's words -> the page's). What the page's
 * words are is checked on its own in test/enroll/pskc-key-words.test.ts and
 * pskc-crypto.test.ts.
 */
function asPage(cli: PskcReadSummary): PskcReadSummary {
  if (!('error' in cli)) return cli;
  let error = cli.error.replace(nodePskcCrypto.rsa15Refusal, webPskcCrypto.rsa15Refusal);
  for (const k of Object.keys(CLI_KEY_WORDS) as (keyof typeof CLI_KEY_WORDS)[]) error = error.replace(CLI_KEY_WORDS[k], PAGE_KEY_WORDS[k]);
  return { ...cli, error };
}

const CLI_WORDS = /--[a-z]|node:crypto/;
const idle = (page: Page) => page.waitForFunction(() => !document.body.classList.contains('busy'));
const rows = (page: Page) => page.$$eval('#accounts li', (lis) => lis.map((li) => li.textContent ?? ''));
const visible = (page: Page, sel: string) => page.$eval(sel, (e) => (e as HTMLElement).checkVisibility());

async function waitRows(page: Page, n: number): Promise<string[]> {
  await page.waitForFunction((k) => document.querySelectorAll('#accounts li').length === k && !document.body.classList.contains('busy'), { timeout: 20000 }, n).catch(async (e) => {
    throw new Error(`${e}: wanted ${n} accounts, have ${JSON.stringify(await rows(page))}; error shown: ${await page.$eval('#error', (x) => x.textContent)}`);
  });
  return rows(page);
}

async function upload(page: Page, selector: string, path: string): Promise<void> {
  const input = await page.$(selector);
  await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(path);
}

/** [#pskc-need's text, Import disabled, progress bar shown, #status's text] at every change of the page (a MutationObserver, not polling: a derivation of a few ms is seen too). */
async function recordPskcStates(page: Page): Promise<() => Promise<string[][]>> {
  await page.evaluate(() => {
    const w = window as unknown as { pskcStates: string[][]; pskcObserver?: MutationObserver };
    w.pskcObserver?.disconnect();
    w.pskcStates = [];
    const text = (id: string) => document.getElementById(id)!.textContent ?? '';
    const snap = () => w.pskcStates.push([text('pskc-need'), String((document.getElementById('pskc-import') as HTMLButtonElement).disabled), String(!document.getElementById('pskc-progress')!.hidden), text('status')]);
    w.pskcObserver = new MutationObserver(snap);
    w.pskcObserver.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  return () => page.evaluate(() => (window as unknown as { pskcStates: string[][] }).pskcStates);
}

describe.skipIf(!hasChromium || !hasCorpus)('web page: PSKC files (headless Chromium)', () => {
  let rig: WebRig;
  let page: Page;
  let dir: string;
  const keys = hasCorpus ? readFileSync(join(corpus, 'KEYS.tsv'), 'utf8').split('\n').slice(1).filter(Boolean).map((l) => l.split('\t')) : [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'totp-web-pskc-'));
    rig = await startWebRig([], [join(import.meta.dirname, 'pskc-harness.ts')]);
    page = await rig.newPage(1024);
    await page.goto(rig.web.url);
    // A string, not a function: vitest would rewrite a function's import() for Node.
    await page.evaluate(`import(${JSON.stringify(`${rig.web.url}test/pskc-harness.js`)}).then(() => true)`);
  }, 60000);

  afterAll(async () => {
    await rig?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("every corpus file, with each key and password python-pskc's doctests try: the page reads what the CLI reads, or refuses with the same words", async () => {
    const paths = corpusFiles(join(corpus, 'tests')).sort();
    expect(paths.length).toBeGreaterThan(70);
    const failures: string[] = [];
    let read = 0;
    let refused = 0;
    let reworded = 0;
    for (const path of paths) {
      const file = relative(corpus, path);
      const text = readFileSync(path, 'utf8');
      for (const a of attemptsFor(file, keys)) {
        const label = `${file} [${a.kind ?? 'no key'} ${a.value ?? ''}]`;
        const cli = await cliSummary(text, file, a);
        const web = await pageSummary(page, text, file, a);
        try {
          expect(web).toEqual(asPage(cli));
          if ('error' in web) expect(web.error).not.toMatch(CLI_WORDS);
          if ('error' in cli) {
            refused++;
            if (JSON.stringify(asPage(cli)) !== JSON.stringify(cli)) reworded++;
          } else read++;
        } catch {
          failures.push(`${label}:\n  page ${JSON.stringify(web).slice(0, 400)}\n  CLI  ${JSON.stringify(cli).slice(0, 400)}`);
        }
      }
    }
    console.log(`PSKC corpus in Chromium: ${paths.length} files; read identically: ${read} attempts; refused with the CLI's words: ${refused} (${reworded} naming the page's field instead of a CLI option); differences: ${failures.length}`);
    expect(failures).toEqual([]);
    expect(read).toBeGreaterThan(20);
    expect(reworded).toBeGreaterThan(0);
  }, 180_000);

  it("every encrypted corpus file's values, with the key or password its doctests give, decrypt in the page to the CLI's bytes (Camellia, AES, 3DES; CBC and key wrap)", async () => {
    const failures: string[] = [];
    const seen = new Set<string>();
    for (const [file, kind, value] of keys) {
      if (kind !== 'password' && kind !== 'key') continue;
      const text = readFileSync(join(corpus, file), 'utf8');
      const v = value.split(/\s/)[0];
      const opts = kind === 'password' ? { password: v } : { preSharedKey: keyFromFile(new TextEncoder().encode(v)) };
      const cli = await readPskcRaw(text, { ...opts, source: file }).then(
        (ks) => ks.map((k) => (k.secret ? sha256(k.secret) : null)),
        (e: Error) => e.message,
      );
      const web = await page.evaluate(
        (t, s, k, x) => (globalThis as unknown as { pskcHarness: { raw(...y: unknown[]): Promise<unknown> } }).pskcHarness.raw(t, s, k, x),
        text,
        file,
        kind,
        v,
      );
      if (JSON.stringify(web) !== JSON.stringify(cli)) failures.push(`${file}: page ${JSON.stringify(web).slice(0, 200)} CLI ${JSON.stringify(cli).slice(0, 200)}`);
      else if (Array.isArray(cli) && cli.some((d) => d !== null)) seen.add(file);
    }
    expect(failures).toEqual([]);
    const camellia = [...seen].filter((f) => /camellia/.test(f));
    console.log(`PSKC corpus in Chromium: raw values decrypted identically in ${seen.size} files, ${camellia.length} of them Camellia`);
    expect(camellia.sort()).toEqual(['camellia128-cbc', 'camellia192-cbc', 'camellia256-cbc', 'kw-camellia128', 'kw-camellia192', 'kw-camellia256'].map((n) => `tests/encryption/${n}.pskcxml`));
  }, 120_000);

  it("PBKDF2 in Chromium (its WebCrypto for SHA-1/256/384/512, JavaScript for SHA-224) gives node:crypto's bytes on random inputs, for every PRF PSKC names", async () => {
    const failures: string[] = [];
    for (let i = 0; i < 12; i++) {
      for (const h of ['sha1', 'sha224', 'sha256', 'sha384', 'sha512'] as const) {
        const [password, salt] = [randomBytes(1 + ((i * 7) % 30)), randomBytes(1 + ((i * 5) % 24))];
        const [iterations, length] = [1 + ((i * 131) % 2000), [16, 24, 32][i % 3]];
        const want = pbkdf2Sync(password, salt, iterations, length, h).toString('hex');
        const got = await page.evaluate(
          (...a) => (globalThis as unknown as { pskcHarness: { pbkdf2(...y: unknown[]): Promise<string> } }).pskcHarness.pbkdf2(...a),
          h,
          password.toString('hex'),
          salt.toString('hex'),
          iterations,
          length,
        );
        if (got !== want) failures.push(`${h} ${iterations} ${length}: page ${got} node ${want}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('RSA-OAEP (WebCrypto) with PKCS#8 and PKCS#1 keys reads as the CLI does; a wrong key is the same wrong-key error; rsa-1_5 (figure 8) is refused the same, for the reason in each host\'s words', async () => {
    const pair = (type: 'pkcs8' | 'pkcs1') => generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type, format: 'pem' } });
    const right = pair('pkcs8');
    const wrong = pair('pkcs8');
    const pkcs1 = pair('pkcs1');
    const checks: [string, string, Attempt][] = [
      ['oaep.pskcxml', oaepFile(right.publicKey, Buffer.from('12345678901234567890')), { kind: 'private-key', value: right.privateKey }],
      ['oaep.pskcxml', oaepFile(right.publicKey, Buffer.from('12345678901234567890')), { kind: 'private-key', value: wrong.privateKey }],
      ['oaep.pskcxml', oaepFile(right.publicKey, Buffer.from('12345678901234567890')), { kind: null, value: null }],
      ['oaep-pkcs1.pskcxml', oaepFile(pkcs1.publicKey, Buffer.from('abcdefghijabcdefghij')), { kind: 'private-key', value: pkcs1.privateKey }],
      ['figure8.pskcxml', readFileSync(join(corpus, 'tests/rfc6030/figure8.pskcxml'), 'utf8'), { kind: 'private-key', value: readFileSync(join(corpus, 'tests/certificate/key.pem'), 'utf8') }],
    ];
    expect(pkcs1.privateKey).toMatch(/BEGIN RSA PRIVATE KEY/);
    const outcomes: string[] = [];
    for (const [name, xml, a] of checks) {
      const cli = await cliSummary(xml, name, a);
      expect(await pageSummary(page, xml, name, a), name).toEqual(asPage(cli));
      outcomes.push('error' in cli ? cli.code : `${cli.accounts.length} account(s)`);
    }
    expect(outcomes).toEqual(['1 account(s)', 'PSKC_WRONG_PASSWORD', 'BAD_INPUT', '1 account(s)', 'BAD_INPUT']);
    // A passphrase-protected private key: the CLI cannot read it either; the page says what to do.
    const locked = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'x' } });
    const xml = oaepFile(locked.publicKey, Buffer.from('12345678901234567890'));
    expect(await cliSummary(xml, 'locked.pskcxml', { kind: 'private-key', value: locked.privateKey })).toMatchObject({ code: 'BAD_INPUT', error: expect.stringMatching(/not a PEM private key node:crypto can read/) });
    expect(await pageSummary(page, xml, 'locked.pskcxml', { kind: 'private-key', value: locked.privateKey })).toEqual({
      code: 'BAD_INPUT',
      error: 'locked.pskcxml: the private key given is itself encrypted (with a passphrase), which this page does not read: choose a decrypted copy (openssl pkey -in KEY.pem -out PLAIN.pem)',
    });
  }, 60_000);

  describe('through the page onto the try-it token', () => {
    const pbe = join(corpus, 'tests/multiotp/pskc-totp-pbe.txt');
    const aes = join(corpus, 'tests/multiotp/pskc-totp-aes.txt');

    beforeAll(async () => {
      await page.goto(rig.web.url);
      await page.click('#connect-sim');
      await waitRows(page, 1); // the demo key
      await page.click('#import summary');
    }, 30000);

    it("a wrong password: the CLI's own error, nothing added, the field cleared", async () => {
      // What the CLI says for it, run as a user would (the file named as the page names it).
      const tsx = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href; // `--import tsx` resolves from the cwd, the corpus here
      const cli = spawnSync(process.execPath, ['--import', tsx, join(root, 'host/cli/main.ts'), 'import', basename(pbe), '--password-stdin', '--dry-run'], { cwd: dirname(pbe), input: 'qwertz\n', encoding: 'utf8', timeout: 60_000 });
      expect(cli.status, cli.stderr).toBe(2);
      const cliError = cli.stderr.trim().replace(/^totp-token: /, '');
      expect(cliError).toMatch(/^pskc-totp-pbe\.txt: wrong password or key .*nothing was imported$/);

      await upload(page, '#pskc-file', pbe);
      await page.waitForFunction(() => document.getElementById('pskc-password-row')!.checkVisibility());
      expect(await page.$eval('#pskc-need', (e) => e.textContent)).toBe('Protected by a password: enter it.');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('pskc-password'); // focus goes where the user types next
      expect(await visible(page, '#pskc-key-row')).toBe(false);
      await screenshot(page, 'pskc-password-desktop');
      await page.type('#pskc-password', 'qwertz');
      await page.keyboard.press('Enter');
      expect(await page.$eval('#pskc-password', (e) => (e as HTMLInputElement).value)).toBe('');
      await page.waitForFunction(() => document.getElementById('error')!.checkVisibility());
      await idle(page);
      expect(await page.$eval('#error', (e) => e.textContent)).toBe(cliError);
      expect(await rows(page)).toHaveLength(1);
      expect(await page.$$eval('#pskc-log li', (l) => l.length)).toBe(0);
      await screenshot(page, 'pskc-wrong-password-desktop');
    }, 90_000);

    it("the right password: the account goes onto the token, and its code on the canvas is otplib's for the secret the CLI reads", async () => {
      // The file stays chosen after a wrong password (it is encrypted): only the password is typed again.
      expect(await visible(page, '#pskc-password-row')).toBe(true);
      await page.type('#pskc-password', 'qwerty');
      const states = await recordPskcStates(page);
      await page.click('#pskc-import');
      expect(await page.$eval('#pskc-password', (e) => (e as HTMLInputElement).value)).toBe('');
      const list = await waitRows(page, 2);
      // While the key was derived the page said so, with the file's count, Import off and the bar shown.
      const deriving = 'Deriving the key from the password: 1,000 PBKDF2 iterations (HMAC-SHA1)...';
      expect(await states()).toContainEqual([deriving, 'true', 'true', deriving]);
      const [want] = (await cliRead(readFileSync(pbe, 'utf8'), basename(pbe), { kind: 'password', value: 'qwerty' })).accounts;
      expect(list[1]).toContain(want.otp.account);
      expect(await page.$eval('#pskc-log', (e) => e.textContent)).toMatch(/^added Issuer0: .* \(from key 1 \(ZZ1000000002\); key check [0-9a-f]+ matches\)$/);
      expect(await page.$eval('#pskc-file', (e) => (e as HTMLInputElement).value)).toBe(''); // the file is forgotten once imported
      expect(await visible(page, '#pskc-password-row')).toBe(false);
      // The token shows it: Next until its label, then the code is otplib's.
      for (let i = 0; i < 4 && readLabel(await canvasFramebuffer(page)) !== 'Issuer0'; i++) {
        await page.click('#press-next');
        await new Promise((r) => setTimeout(r, 200));
      }
      const t0 = Math.floor(Date.now() / 1000);
      const shown = readCode(await canvasFramebuffer(page));
      const t1 = Math.floor(Date.now() / 1000);
      expect(codesAround(want.otp.secret, want.otp.digits, want.otp.algorithm, want.otp.period, t0, t1)).toContain(shown);
      await screenshot(page, 'pskc-imported-desktop');
    }, 60_000);

    it('a crafted file asking 2,000,000 iterations: the page says it is deriving, with that count, Import off, until the (wrong-key) answer; then it is as before', async () => {
      const crafted = join(dir, 'slow-pbe.pskcxml');
      const text = readFileSync(pbe, 'utf8');
      expect(text).toContain('<IterationCount>1000</IterationCount>');
      writeFileSync(crafted, text.replace('<IterationCount>1000</IterationCount>', '<IterationCount>2000000</IterationCount>'));
      await upload(page, '#pskc-file', crafted);
      await page.waitForFunction(() => document.getElementById('pskc-password-row')!.checkVisibility());
      await page.type('#pskc-password', 'qwerty');
      const states = await recordPskcStates(page);
      await page.click('#pskc-import');
      await page.waitForFunction(() => document.getElementById('error')!.checkVisibility(), { timeout: 60_000 });
      await idle(page);
      expect(await page.$eval('#error', (e) => e.textContent)).toMatch(/^slow-pbe\.pskcxml: wrong password or key/);
      const deriving = 'Deriving the key from the password: 2,000,000 PBKDF2 iterations (HMAC-SHA1)...';
      const seen = await states();
      expect(seen).toContainEqual([deriving, 'true', 'true', deriving]);
      // Afterwards: no stale status or bar, Import on again for another password.
      expect(seen.at(-1)!.slice(0, 3)).toEqual(['Protected by a password: enter it.', 'false', 'false']);
      expect(await rows(page)).toHaveLength(2);
      await page.$eval('#pskc-file', (e) => ((e as HTMLInputElement).value = ''));
    }, 90_000);

    it('a file under a pre-shared key, with its key file; at 360 px nothing overflows; nothing is kept in storage', async () => {
      const keyFile = join(dir, 'transport.key');
      writeFileSync(keyFile, '12345678901234567890123456789012\n');
      await page.setViewport({ width: 360, height: 740 });
      await upload(page, '#pskc-file', aes);
      await page.waitForFunction(() => document.getElementById('pskc-key-row')!.checkVisibility());
      expect(await page.$eval('#pskc-need', (e) => e.textContent)).toBe('Encrypted under a pre-shared key: choose the key file.');
      await upload(page, '#pskc-key', keyFile);
      await screenshot(page, 'pskc-key-file-360');
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
      await page.click('#pskc-import');
      expect(await page.$eval('#pskc-key', (e) => (e as HTMLInputElement).value)).toBe('');
      const want = (await cliRead(readFileSync(aes, 'utf8'), basename(aes), { kind: 'key', value: '12345678901234567890123456789012' })).accounts;
      expect(want).toHaveLength(4);
      const list = await waitRows(page, 2 + want.length);
      for (const w of want) expect(list.join('|')).toContain(w.otp.account);
      expect(await page.$$eval('#pskc-log li', (l) => l.length)).toBe(want.length);
      // Keyboard focus back on "choose a file", not lost with the now disabled Import button.
      await page.waitForFunction(() => document.activeElement?.id === 'pskc-file', { timeout: 5000 });
      await screenshot(page, 'pskc-imported-360');
      expect(await page.evaluate(() => [localStorage.length, sessionStorage.length])).toEqual([0, 0]);
      expect(rig.problems).toEqual([]);
      await page.setViewport({ width: 1024, height: 900 });
    }, 60_000);

    it('a file that is not PSKC is refused as soon as it is chosen, as the CLI refuses it; a Camellia file asks for its key and is decrypted (then refused by the CLI\'s words for what it holds); pasted PSKC is sent to the file form', async () => {
      await page.setViewport({ width: 360, height: 740 });
      await page.type('#import-text', '<KeyContainer Version="1.0" xmlns="urn:ietf:params:xml:ns:keyprov:pskc"/>');
      await page.click('#import-form button[type=submit]');
      await page.waitForFunction(() => document.getElementById('error')!.checkVisibility());
      expect(await page.$eval('#error', (e) => e.textContent)).toBe('the pasted text is a PSKC document: choose it as a file under "A PSKC file" below, which asks for its password or key if it has one');
      const notXml = join(dir, 'notes.xml');
      writeFileSync(notXml, '<html><body>hello</body></html>');
      await upload(page, '#pskc-file', notXml);
      await page.waitForFunction(() => document.getElementById('error')!.checkVisibility());
      const cli = await cliSummary(readFileSync(notXml, 'utf8'), 'notes.xml', { kind: null, value: null });
      expect('error' in cli && cli.error).toBe(await page.$eval('#error', (e) => e.textContent));
      expect(await page.$eval('#pskc-import', (b) => (b as HTMLButtonElement).disabled)).toBe(true);
      // A Camellia file (key wrap, RFC 3657): its key file is asked for, and with it the page decrypts the
      // value and then says, as the CLI does, that the key has no stated kind (the corpus file has no Algorithm).
      const camellia = join(corpus, 'tests/encryption/kw-camellia128.pskcxml');
      const camelliaKey = join(dir, 'camellia.key');
      writeFileSync(camelliaKey, 'e35b135a09bfff8b314a5a0c32193c37\n');
      await upload(page, '#pskc-file', camellia);
      await page.waitForFunction(() => document.getElementById('pskc-key-row')!.checkVisibility());
      expect(await visible(page, '#error')).toBe(false);
      await upload(page, '#pskc-key', camelliaKey);
      await page.click('#pskc-import');
      await page.waitForFunction(() => document.getElementById('error')!.checkVisibility());
      await idle(page);
      const cliCamellia = await cliSummary(readFileSync(camellia, 'utf8'), 'kw-camellia128.pskcxml', { kind: 'key', value: 'e35b135a09bfff8b314a5a0c32193c37' });
      expect('error' in cliCamellia && cliCamellia.error).toMatch(/^kw-camellia128\.pskcxml: key 1 of 1: a key of no stated kind/);
      expect(await page.$eval('#error', (e) => e.textContent)).toBe('error' in cliCamellia && cliCamellia.error);
      await screenshot(page, 'pskc-camellia-360');
    }, 30_000);
  });
});
