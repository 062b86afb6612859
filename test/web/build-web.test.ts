// The web build: what the page loads may not import Node modules (the check
// names who does), the first load stays within its gzipped budget, and the
// server sends only the built files, with the page's CSP.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_CSP, serveWeb } from '../../host/cli/web-server.ts';
import type { WebServer } from '../../host/cli/web-server.ts';
import { buildWeb, checkNoNodeGlobals, FIRST_LOAD_BUDGET_GZIP, webBuildOptions } from '../../host/tools/build-web.ts';
import type { WebSize } from '../../host/tools/build-web.ts';

const ROOT = resolve(import.meta.dirname, '../..');

describe('web build', () => {
  let dir: string;
  let size: WebSize;
  let web: WebServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'totp-web-build-'));
    size = await buildWeb(join(dir, 'web'));
    web = await serveWeb(join(dir, 'web'));
  }, 60000);
  afterAll(async () => {
    await web?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the first load within 100 KB of JavaScript gzipped, with the simulator and QR decoder split out', () => {
    expect(size.firstLoadGzip).toBeGreaterThan(0);
    expect(size.firstLoadGzip).toBeLessThanOrEqual(FIRST_LOAD_BUDGET_GZIP);
    const first = size.firstLoadFiles.map((f) => readFileSync(f, 'latin1')).join('\n');
    expect(first).not.toContain('startToken'); // the firmware app is the worker's, loaded on "try it"
    expect(first).not.toContain('inversionAttempts'); // jsQR's options: QR decoding loads when used
  });

  it("fails when code the page uses imports a Node module, naming the importer", async () => {
    // The simulator's TCP transport needs node:net: the page must not reach it.
    const entry = join(dir, 'bad-entry.ts');
    writeFileSync(entry, `import { tcpTransport } from ${JSON.stringify(join(ROOT, 'host/lib/transport/tcp.ts'))};\nconsole.log(tcpTransport);\n`);
    await expect(build({ ...webBuildOptions(join(dir, 'bad'), [entry]), write: false })).rejects.toThrow(/may not import Node module 'node:net' \(imported by host\/lib\/transport\/tcp\.ts\)/);
  });

  it("fails when code the page uses relies on Node's globals (Buffer, process), naming the file", async () => {
    // Such code bundles fine for a browser and breaks there at run time (the flasher once used Buffer).
    const entry = join(dir, 'uses-buffer.ts');
    writeFileSync(entry, `export const bytes = (s: string) => Buffer.from(s, 'latin1');\n`);
    const r = await build({ ...webBuildOptions(join(dir, 'bad2'), [entry]), write: false });
    expect(() => checkNoNodeGlobals(r.metafile!)).toThrow(/may not use Node's global 'Buffer' \(in .*uses-buffer\.ts\)/);
  });

  it('serves the built files with the CSP header, and nothing outside the folder', async () => {
    const page = await fetch(web.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(PAGE_CSP);
    const html = await page.text();
    expect(html).toContain('http-equiv="Content-Security-Policy"');
    expect(html).not.toMatch(/https?:\/\//); // no third-party anything
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/..%2fpackage.json', '/nope.js']) expect((await fetch(web.url.slice(0, -1) + path)).status).toBe(404);
    expect((await fetch(web.url, { method: 'POST' })).status).toBe(405);
    expect(web.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('`totp-token web` prints the URL it serves on', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'host/cli/main.ts'), 'web'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((ok, fail) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /^(http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(out);
          if (m) ok(m[1]);
        });
        child.once('exit', (code) => fail(new Error(`exited ${code}`)));
      });
      expect((await fetch(url)).status).toBe(200);
    } finally {
      child.kill('SIGINT');
    }
  }, 30000);
});
