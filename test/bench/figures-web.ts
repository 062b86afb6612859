// The web page's size figures (host/tools/build-web.ts): what the first load
// fetches, gzipped, against its 100 KB budget, and what loads only when used;
// and, where Debian's chromium is installed, how long a PSKC file's PBKDF2
// takes in the page (WebCrypto) against @noble/hashes' JavaScript PBKDF2 the
// page used before, in real headless Chromium.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildWeb, FIRST_LOAD_BUDGET_GZIP } from '../../host/tools/build-web.ts';
import { hasChromium, startWebRig } from '../web/browser.ts';

async function printPbkdf2(section: (title: string) => void, figure: (name: string, value: string) => void): Promise<void> {
  section('PSKC password files: PBKDF2 in the page (headless Chromium), seconds');
  if (!hasChromium) return void console.log('skipped: no chromium (CHROMIUM_PATH or /usr/bin/chromium)');
  const rig = await startWebRig([], [join(import.meta.dirname, '..', 'web', 'pskc-harness.ts')]);
  try {
    const page = await rig.newPage();
    await page.goto(rig.web.url);
    await page.evaluate(`import(${JSON.stringify(`${rig.web.url}test/pskc-harness.js`)}).then(() => true)`);
    const time = (impl: string, hash: string, n: number) => page.evaluate(`pskcHarness.timePbkdf2(${JSON.stringify(impl)}, ${JSON.stringify(hash)}, ${n})`) as Promise<number>;
    await time('page', 'sha1', 1000); // warm up both
    await time('javascript', 'sha1', 1000);
    for (const hash of ['sha1', 'sha512']) {
      for (const n of [200_000, 1_000_000]) {
        const [native, js] = [await time('page', hash, n), await time('javascript', hash, n)];
        const label = `${n.toLocaleString('en-US')} iterations, HMAC-${hash.toUpperCase()}`;
        console.log(`${label}: page (WebCrypto) ${(native / 1000).toFixed(2)} s, JavaScript (@noble/hashes) ${(js / 1000).toFixed(2)} s`);
        if (hash === 'sha1' && n === 1_000_000) figure('web page, PSKC PBKDF2 of 1,000,000 iterations (HMAC-SHA1, Chromium)', `${(native / 1000).toFixed(2)} s (JavaScript: ${(js / 1000).toFixed(2)} s)`);
      }
    }
  } finally {
    await rig.close();
  }
}

export async function printFigures(section: (title: string) => void, figure: (name: string, value: string) => void = () => {}): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'totp-web-bench-'));
  try {
    const size = await buildWeb(dir);
    section('web page (dist/web), JavaScript gzipped');
    console.log(`first load: ${size.firstLoadGzip} bytes (budget ${FIRST_LOAD_BUDGET_GZIP})`);
    figure('web page, first load of JavaScript (gzipped)', `${size.firstLoadGzip.toLocaleString('en-US')} B (budget ${FIRST_LOAD_BUDGET_GZIP.toLocaleString('en-US')} B)`);
    for (const l of size.lazy.sort((x, y) => y.gzip - x.gzip)) console.log(`loaded when used: ${l.name} adds ${l.gzip} bytes`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await printPbkdf2(section, figure);
}
