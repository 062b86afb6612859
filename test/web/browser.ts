// Real headless Chromium for the web page's tests: Debian's `chromium`
// (installed by .ci/run) driven by puppeteer-core, which downloads nothing.
// The page is built from the current sources into a temp folder and served
// by the CLI's own server (host/cli/web-server.ts), so its CSP header applies.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import type { Browser, Page } from 'puppeteer-core';
import { serveWeb } from '../../host/cli/web-server.ts';
import type { WebServer } from '../../host/cli/web-server.ts';
import { build } from 'esbuild';
import { buildWeb, checkNoNodeGlobals, webBuildOptions } from '../../host/tools/build-web.ts';
import { createFramebuffer } from '../../firmware/ui/framebuffer.ts';
import type { Framebuffer } from '../../firmware/ui/framebuffer.ts';
import type { Algorithm } from '../../protocol/hash.ts';
import { otplibTotp } from '../helpers/providers.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const SCREENSHOTS = join(import.meta.dirname, 'screenshots');

export interface WebRig {
  browser: Browser;
  web: WebServer;
  /** Messages the page logged as errors, and CSP violations: a test fails on any. */
  problems: string[];
  newPage(width?: number): Promise<Page>;
  close(): Promise<void>;
}

/**
 * extraArgs: more Chromium switches (the try-it test adds a fake camera).
 * entries: test modules built with the page's own build options (its browser
 * forms, its ban on Node modules and globals) and served under /test/, for a
 * test to import into the page (the PSKC test's harness).
 */
export async function startWebRig(extraArgs: string[] = [], entries: string[] = []): Promise<WebRig> {
  const dir = mkdtempSync(join(tmpdir(), 'totp-web-'));
  await buildWeb(dir);
  if (entries.length > 0) checkNoNodeGlobals((await build(webBuildOptions(join(dir, 'test'), entries))).metafile!);
  const web = await serveWeb(dir);
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Root in CI containers has no user namespaces for Chromium's sandbox.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', ...extraArgs],
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
  const problems: string[] = [];
  return {
    browser,
    web,
    problems,
    async newPage(width = 1024) {
      const page = await browser.newPage();
      await page.setViewport({ width, height: 900 });
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(String(e)));
      page.on('request', (r) => {
        if (!r.url().startsWith(web.url) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) problems.push(`third-party request: ${r.url()}`);
      });
      return page;
    },
    async close() {
      await browser.close();
      await web.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The display as the page shows it: the canvas's own pixels (one per display pixel) back into a framebuffer. */
export async function canvasFramebuffer(page: Page): Promise<Framebuffer> {
  const { width, height, lit } = await page.$eval('#screen', (c) => {
    const canvas = c as HTMLCanvasElement;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    const on: number[] = [];
    for (let i = 0; i < data.length; i += 4) if (data[i + 2] > 128) on.push(i / 4);
    return { width: canvas.width, height: canvas.height, lit: on };
  });
  const fb = createFramebuffer(width, height, () => {});
  for (const i of lit) fb.fillRect(i % width, Math.floor(i / width), 1, 1);
  return fb;
}

/**
 * otplib's codes for a canvas read between Unix seconds t0 and t1: the step may turn during the read, and
 * the canvas is the frame of the display's last 1 s tick (firmware/app.ts), up to 2 s old on a loaded
 * machine, so a read just after a step turned may still show the step before (CI saw it, twice).
 */
export function codesAround(secret: Uint8Array, digits: number, algorithm: Algorithm, period: number, t0: number, t1: number): string[] {
  return [t0 - 2, t0, t1].map((t) => otplibTotp(secret, t, digits, period, algorithm));
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
