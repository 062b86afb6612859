// The page's Web Serial path, unchanged, against the real simulator: the
// page's navigator.serial is the API-shaped bridge of serial-bridge.ts over
// a WebSocket to the simulator's TCP port. Add (a bare base32 key), list,
// time sync, a code with a press on the token, a cable pulled while the token
// waits (a clear error; nothing removed), and a token with a USB password.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimToken } from '../../firmware/ports/node/sim-token.ts';
import { SETTLE_MS } from '../../firmware/presence.ts';
import type { SimToken } from '../../firmware/ports/node/sim-token.ts';
import { randomBytes } from 'node:crypto';
import { base32Decode, base32Encode } from '../../protocol/base32.ts';
import { encodeFrame, REQUEST_MARKER } from '../../protocol/frame.ts';
import { COMMANDS, encodeRequest } from '../../protocol/messages.ts';
import { bootOnLoad } from '../espruino/harness.ts';
import { storedForm } from '../../host/lib/flash/espruino-flash.ts';
import { startFakeEspruinoRepl } from '../helpers/fake-espruino-repl.ts';
import { otplibTotp } from '../helpers/providers.ts';
import { hasChromium, screenshot, startWebRig } from './browser.ts';
import type { WebRig } from './browser.ts';
import { bridgeSerial, injectFakeSerial } from './serial-bridge.ts';
import type { SerialBridge } from './serial-bridge.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const KEY = 'MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U';
const rows = (page: Page) => page.$$eval('#accounts li', (lis) => lis.map((li) => li.textContent ?? ''));
// Really on screen (checkVisibility: not hidden itself nor inside anything hidden).
const visible = (page: Page, sel: string) => page.waitForFunction((s) => document.querySelector<HTMLElement>(s)!.checkVisibility(), { timeout: 15000 }, sel);
const text = (page: Page, sel: string) => page.$eval(sel, (e) => e.textContent ?? '');

async function waitPending(sim: SimToken): Promise<string> {
  for (let i = 0; i < 100 && !sim.app.pendingAction(); i++) await new Promise((r) => setTimeout(r, 50));
  return sim.app.pendingAction() ?? '';
}

/** A finger on the token's button once its display has shown the request for the settle time (a press sooner does not count, firmware/presence.ts). */
async function pressWhenSettled(sim: SimToken): Promise<void> {
  await new Promise((r) => setTimeout(r, SETTLE_MS + 150));
  sim.press('confirm');
}

describe.skipIf(!hasChromium)('web page over Web Serial, against the simulator (headless Chromium)', () => {
  let rig: WebRig;
  let sim: SimToken;
  let bridge: SerialBridge;
  let page: Page;
  let stateDir: string;

  /**
   * After connecting again: one account, listed by this connection (no request running, no step
   * "...ing..." on the status line), not the rows left from the last one, which the new list replaces (a click on an old row
   * would land on a detached button).
   */
  async function listedOnce(p: Page): Promise<void> {
    await p.waitForFunction(() => document.querySelectorAll('#accounts li').length === 1 && !document.body.classList.contains('busy') && !/\.\.\.$/.test(document.getElementById('status')!.textContent ?? ''), { timeout: 20000 });
  }

  async function connectUsb(): Promise<void> {
    await page.click('#connect-usb');
    await visible(page, '#token');
  }

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'totp-web-sim-'));
    sim = await startSimToken({ stateDir, link: 'tcp', presenceTimeoutMs: 20000 });
    rig = await startWebRig();
    bridge = bridgeSerial(rig.web.server, sim.address);
    page = await rig.newPage(1024);
    await page.evaluateOnNewDocument('globalThis.__name = (f) => f;'); // esbuild's keepNames helper, for the injected function
    await page.evaluateOnNewDocument(injectFakeSerial, 0x0483, 0x5740);
    await page.goto(rig.web.url);
  }, 60000);

  afterAll(async () => {
    bridge?.close();
    await rig?.close();
    await sim?.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('connects through the chooser filtered by the boards’ USB ids, syncs the clock, adds a bare key, lists it', async () => {
    await connectUsb();
    const filters = await page.evaluate(() => (window as unknown as { __serialFilters: { usbVendorId: number }[] }).__serialFilters);
    expect(filters).toContainEqual({ usbVendorId: 0x0483 }); // Espruino Pico (boards/usb-ids.ts)
    expect(filters).toContainEqual({ usbVendorId: 0x10c4 }); // CP210x on ESP32 boards
    expect(await text(page, '#link-name')).toBe('USB token');
    expect(await text(page, '#info')).toContain('not set');
    await page.click('#sync');
    await page.waitForFunction(() => /Clock synced \(round trip \d+ ms; it was not set\)/.test(document.getElementById('status')!.textContent!));
    expect(sim.clock.isSet()).toBe(true);

    await page.type('#key', KEY);
    await page.type('#name', 'web@example');
    await page.type('#issuer', 'Serial');
    await page.click('#add-form button[type=submit]');
    await listedOnce(page);
    expect((await rows(page))[0]).toContain('web@example');
    expect(await page.$eval('#key', (e) => (e as HTMLInputElement).value)).toBe('');
    await screenshot(page, 'usb-desktop');
  }, 30000);

  it('shows a code once the token’s own button is pressed', async () => {
    await page.click('#accounts li:nth-child(1) button:nth-of-type(1)');
    expect(await waitPending(sim)).toContain('web@example');
    await visible(page, '#prompt');
    const t0 = Math.floor(sim.clock.nowMs() / 1000);
    await pressWhenSettled(sim);
    await page.waitForSelector('#accounts li .digits');
    const t1 = Math.floor(sim.clock.nowMs() / 1000);
    const shown = await text(page, '#accounts li .digits');
    const secret = base32Decode(KEY);
    expect([otplibTotp(secret, t0, 6, 30, 'SHA1'), otplibTotp(secret, t1, 6, 30, 'SHA1')]).toContain(shown);
  }, 30000);

  it('a session the token ended while the port stayed open (a reset, another host): a clear error, the page back at Connect; connecting again works', async () => {
    // Someone else's HELLO on the line ends the page's session at the token, as a board reset does.
    bridge.inject(encodeFrame(REQUEST_MARKER, encodeRequest({ id: 200, command: COMMANDS.HELLO, fields: {} })));
    await new Promise((r) => setTimeout(r, 1500)); // a keepalive ping hears NO_SESSION meanwhile
    await page.click('#accounts li:nth-child(1) button:nth-of-type(1)');
    await visible(page, '#error');
    expect(await text(page, '#error')).toMatch(/the token ended this session.*connect again/);
    await visible(page, '#connect');
    expect(sim.app.pendingAction()).toBeNull(); // nothing was asked of the token outside a session
    await connectUsb();
    await listedOnce(page);
  }, 30000);

  it('a cable pulled while the token waits: a clear error, the page back at Connect, nothing removed', async () => {
    await page.click('#accounts li:nth-child(1) button.danger');
    expect(await waitPending(sim)).toContain('web@example');
    bridge.pull();
    await visible(page, '#error');
    expect(await text(page, '#error')).toMatch(/closed.*\(was the token unplugged\?\)/);
    await visible(page, '#connect');
    // The token dropped the request with its link; a late press removes nothing.
    for (let i = 0; i < 50 && sim.app.pendingAction(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(sim.app.pendingAction()).toBeNull();
    await new Promise((r) => setTimeout(r, SETTLE_MS + 100)); // a press counts once the request has been on screen this long
    sim.press('confirm');
    await screenshot(page, 'usb-unplugged-desktop');
    await connectUsb();
    await listedOnce(page);
    expect((await rows(page))[0]).toContain('web@example');
    await page.click('#disconnect');
    await visible(page, '#connect');
  }, 30000);

  it('a locked token asks for its USB password; a wrong one is refused, the right one unlocks', async () => {
    // Set from the page (PBKDF2 in the page, the token's button pressed).
    await connectUsb();
    await listedOnce(page);
    await page.click('#usb-password summary');
    await page.type('#new-password', 'open sesame');
    await page.type('#new-password-2', 'open sesame');
    await page.click('#password-form button[type=submit]');
    expect(await waitPending(sim)).toMatch(/password/i);
    await pressWhenSettled(sim);
    await page.waitForFunction(() => /^USB password set/.test(document.getElementById('status')!.textContent!), { timeout: 30000 });
    expect(await page.$eval('#new-password', (e) => (e as HTMLInputElement).value)).toBe('');
    await page.click('#disconnect');

    await connectUsb();
    await visible(page, '#unlock-form');
    expect(await page.$eval('#unlocked', (e) => (e as HTMLElement).hidden)).toBe(true);
    // A locked HELLO tells only what unlocking needs: no made-up counts or clock.
    expect(await text(page, '#info')).toMatch(/USB passwordset: unlock to see the rest/);
    expect(await text(page, '#info')).not.toMatch(/Accounts|Clock/);
    await screenshot(page, 'usb-locked-desktop');
    await page.type('#password', 'open says me');
    // On a slow machine (Chromium's own CPU throttle: the page's thread 12 times slower) the
    // 600,000 PBKDF2 iterations must not stop the page's pings: a page that derived on its own
    // thread went silent for 20 s, and the token ended the session (firmware/presence.ts) before
    // the answer came. The CI machine saw it unthrottled.
    const cdp = await page.createCDPSession();
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 12 });
    try {
      await page.click('#unlock-form button[type=submit]');
      await page.waitForFunction(() => document.getElementById('error')!.checkVisibility(), { timeout: 60000, polling: 200 });
    } finally {
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
      await cdp.detach();
    }
    expect(await text(page, '#error')).toMatch(/wrong password/);
    await visible(page, '#connect');

    await connectUsb();
    await visible(page, '#unlock-form');
    await page.type('#password', 'open sesame');
    await page.click('#unlock-form button[type=submit]');
    // Not the account rows: the last connection's stay in the page while it is locked.
    await page.waitForFunction(() => /Accounts1 of \d+.*Clockset.*Storageok/.test(document.getElementById('info')!.textContent!), { timeout: 30000 }); // what UNLOCK's reply brought
    await listedOnce(page);
    expect(await page.$eval('#password', (e) => (e as HTMLInputElement).value)).toBe('');
    // The session stays unlocked for what follows (the page must not say HELLO again: that re-locks).
    await page.click('#accounts li:nth-child(1) button:nth-of-type(1)');
    expect(await waitPending(sim)).toContain('web@example');
    await pressWhenSettled(sim);
    await page.waitForSelector('#accounts li .digits');

    // Cancel on the page: the token drops the request by a new session, which its password locks.
    await page.click('#accounts li:nth-child(1) button:nth-of-type(1)');
    expect(await waitPending(sim)).toContain('web@example');
    await visible(page, '#prompt');
    await page.click('#prompt-cancel');
    await visible(page, '#connect');
    expect(await text(page, '#error')).toMatch(/cancelled.*connect again and unlock/);
    expect(sim.app.pendingAction()).toBeNull();
    await connectUsb();
    await visible(page, '#unlock-form');
    await page.type('#password', 'open sesame');
    await page.click('#unlock-form button[type=submit]');
    await visible(page, '#unlocked');
    await listedOnce(page);

    // Removed from the page (the token confirms); the next connection needs none.
    await page.$eval('#usb-password', (d) => ((d as HTMLDetailsElement).open = true)); // still open from setting it
    await page.click('#clear-password');
    expect(await waitPending(sim)).toMatch(/password/i);
    await pressWhenSettled(sim);
    await page.waitForFunction(() => document.getElementById('status')!.textContent === 'USB password removed.');
    await page.click('#disconnect');
    await connectUsb();
    await listedOnce(page);
    expect(await page.$eval('#unlock-form', (e) => (e as HTMLElement).checkVisibility())).toBe(false);
    expect(rig.problems).toEqual([]);
  }, 60000);

  it('enrolls an AWS key: stored, checked, two consecutive codes pressed out of the token, then told to submit', async () => {
    const seed = new Uint8Array(randomBytes(40));
    await page.click('#enroll summary');
    await page.type('#enroll-key', base32Encode(seed, false));
    await page.type('#enroll-name', 'root');
    await page.click('#enroll-aws');
    await page.click('#enroll-form button[type=submit]');
    expect(await page.$eval('#enroll-key', (e) => (e as HTMLInputElement).value)).toBe('');
    // Whoever is at the token presses its button whenever it asks.
    let pressing = true;
    const presser = (async () => {
      while (pressing) {
        if (sim.app.pendingAction()) sim.press('confirm');
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    try {
      await page.waitForSelector('#enroll-log li.submit', { timeout: 80000 }).catch(async (e) => {
        throw new Error(`${e}; log: ${await text(page, '#enroll-log')}; error: ${await text(page, '#error')}; status: ${await text(page, '#status')}`);
      });
    } finally {
      pressing = false;
      await presser;
    }
    const codes = await page.$$eval('#enroll-log li.code .digits', (ds) => ds.map((d) => d.textContent));
    expect(codes).toHaveLength(2);
    const now = Math.floor(Date.now() / 30000);
    const pairAt = (p: number) => [otplibTotp(seed, p * 30, 6, 30, 'SHA1'), otplibTotp(seed, (p + 1) * 30, 6, 30, 'SHA1')];
    expect([pairAt(now - 1), pairAt(now - 2)]).toContainEqual(codes);
    expect(await text(page, '#enroll-log')).toMatch(/Key check passed/);
    await screenshot(page, 'usb-enroll-desktop');
    await page.click('#enroll-stop');
    await page.waitForFunction(() => document.querySelectorAll('#accounts li').length === 2, { timeout: 15000 });
    expect(await text(page, '#accounts')).toContain('AWS');
  }, 100000);

  it('flashes an Espruino board through its REPL: progress shown, read back, the token started', async () => {
    const replDir = mkdtempSync(join(tmpdir(), 'totp-web-repl-'));
    const ticks: NodeJS.Timeout[] = [];
    const repl = await startFakeEspruinoRepl({
      linkPath: join(replDir, 'tty'),
      board: 'PICO_R1_3',
      onLoad: bootOnLoad(ticks), // load() boots what was written, on the Espruino harness
    });
    try {
      bridge.target = repl.address;
      await page.click('#disconnect');
      await visible(page, '#connect');
      await page.click('#flash summary');
      await page.waitForFunction(() => document.querySelectorAll('#flash-board option').length > 0);
      await page.select('#flash-board', 'espruino-pico-ssd1306');
      // Progress seen: the bar moves through the write and the read-back.
      await page.evaluate(() => {
        const w = window as unknown as { __progress: string[] };
        w.__progress = [];
        new MutationObserver(() => w.__progress.push(document.getElementById('flash-status')!.textContent!)).observe(document.getElementById('flash-status')!, { childList: true, characterData: true, subtree: true });
      });
      await page.click('#flash-form button[type=submit]');
      await page.waitForFunction(() => /^Flashed|^$/.test(document.getElementById('flash-status')!.textContent!) && !document.body.classList.contains('busy'), { timeout: 60000 });
      const status = await text(page, '#flash-status');
      expect(status, await text(page, '#error')).toMatch(/^Flashed \d+ bytes to Espruino .* \(PICO_R1_3\) and verified/);
      const progress = await page.evaluate(() => (window as unknown as { __progress: string[] }).__progress);
      expect(progress.some((p) => /^Writing: \d+ of \d+ bytes/.test(p))).toBe(true);
      expect(progress.some((p) => /^Reading back: \d+ of \d+ bytes/.test(p))).toBe(true);
      // Stored as the flasher stores it for the fake's Espruino 2v29: pretokenised.
      expect(repl.files.get('.bootcde')).toBe(Buffer.from(storedForm(readFileSync(join(ROOT, 'dist/espruino/espruino-pico-ssd1306.js')), '2v29').stored).toString('latin1'));
      expect(status).toMatch(/Stored pretokenised \(\d+ bytes as text\)/);
      expect(status).toMatch(/The token started/);
      await screenshot(page, 'flash-desktop');
    } finally {
      ticks.forEach(clearInterval);
      bridge.pull();
      await repl.close();
      rmSync(replDir, { recursive: true, force: true });
    }
  }, 90000);
});
