// Moddable XS figures: the size of each Moddable board's firmware bundle, and
// the XS meter (computrons, XS's deterministic count of work) for one TOTP
// code, measured in the real XS engine (xsnap-worker from @agoric/xsnap):
//  - the firmware's code path (protocol/totp.ts over the port's hashes) with
//    Moddable's native Digest, modelled by the crypt shim that hashes on the
//    host: the JavaScript a board runs per code, the C digest not counted;
//  - the same code path over the pure-JS SHA-1 (protocol/sha1.ts), for a
//    like-for-like comparison with a JavaScript library;
//  - otplib 13's generateSync bundled for XS (its hashes are @noble/hashes, JS);
//  - a whole CODE request in the running firmware, from the confirm press to
//    the reply on the wire (debounce timer, code, reply frame, redraw).
// Every probe computes RFC 6238's SHA-1 vector (T=59, 8 digits) and checks it.
import { SETTLE_MS } from '../../firmware/presence.ts';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { BOARDS } from '../../boards/index.ts';
import { moddableTarget } from '../../boards/moddable-profile.ts';
import type { ModdableBoardProfile } from '../../boards/moddable-profile.ts';
import { buildModdableBundle } from '../../host/lib/moddable/bundle.ts';
import { COMMANDS, STATUS_OK, STATUS_WAITING } from '../../protocol/messages.ts';
import { createHash } from 'node:crypto';
import { otplibTotp } from '../helpers/providers.ts';
import { startXs } from '../helpers/xs-engine.ts';
import { buildXsFirmware, moddableShims, startXsToken } from '../xs/moddable-harness.ts';
import type { FigureSink } from './figures.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const RFC_KEY = '12345678901234567890';
const RFC_CODE = '94287082';

export interface XsBundleSize {
  board: string;
  bytes: number;
  gzip: number;
}

export interface XsCodeCost {
  what: string;
  computrons: number;
}

export interface XsFigures {
  /** Each Moddable board's firmware bundle (the project's main.js). */
  bundles: XsBundleSize[];
  /** For comparison: TOTP alone, ours (protocol/, pure hashes) and otplib's, each bundled minified for XS. */
  totpOnly: XsBundleSize[];
  perCode: XsCodeCost[];
}

export function moddableBoards(): ModdableBoardProfile[] {
  return BOARDS.filter((b) => moddableTarget(b) && b.firmwareEntry) as ModdableBoardProfile[];
}

export async function xsBundleSizes(): Promise<XsBundleSize[]> {
  const dir = mkdtempSync(join(tmpdir(), 'totp-xs-size-'));
  const out: XsBundleSize[] = [];
  for (const board of moddableBoards()) {
    const file = join(dir, board.id + '.js');
    const bytes = await buildModdableBundle(join(root, board.firmwareEntry!), file, true);
    out.push({ board: board.id, bytes, gzip: gzipSync(readFileSync(file)).length });
  }
  return out;
}

/** Bundles `code` (which defines globalThis.once) for XS, with the Moddable shims. */
async function probe(code: string): Promise<string> {
  const r = await build({
    stdin: { contents: code, resolveDir: root, loader: 'ts' },
    bundle: true,
    format: 'iife',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
    plugins: [moddableShims],
  });
  return r.outputFiles[0]!.text;
}

const KEY_SETUP = `const key = new Uint8Array(20); for (let i = 0; i < 20; i++) key[i] = ${JSON.stringify(RFC_KEY)}.charCodeAt(i);`;

/** Computrons of one call of globalThis.once() (minus an empty call's), checking it returns the RFC code. */
async function measure(script: string, shimConfig = false): Promise<number> {
  const worker = await startXs({
    onCommand: (m) => (m[0] === 2 ? createHash(['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'][m[1]!]!).update(m.subarray(2)).digest() : undefined),
  });
  try {
    if (shimConfig) await worker.evaluate('globalThis.__moddableShim = { bootTimeMs: 0, preferences: {}, externalPulls: {}, ssd1306: [], serialFifo: 128, preference: { store: "nvs", maxKeyChars: 15, maxValueBytes: 4000, capacityBytes: 24576 } };');
    await worker.evaluate(script);
    await worker.evaluate('globalThis.noop = function () { return ""; }; once(); noop();'); // warm both
    const empty = await worker.evaluate('noop()');
    const run = await worker.evaluate('print(once())');
    if (run.printed[0] !== RFC_CODE) throw new Error(`probe computed ${run.printed[0]}, not RFC 6238's ${RFC_CODE}`);
    return run.meter.compute - empty.meter.compute;
  } finally {
    await worker.close();
  }
}

/** A whole CODE request on the ESP32 + SSD1306 firmware: computrons of the confirming press. */
async function codeRequestCost(): Promise<number> {
  const board = moddableBoards().find((b) => b.id === 'moddable-esp32-ssd1306')!;
  const token = await startXsToken(board, await buildXsFirmware(board));
  try {
    const nowMs = 1767225600000; // the clock refuses times before 2020 as "never set"
    await token.send(COMMANDS.TIME_SET, { timeMs: nowMs });
    await token.send(COMMANDS.ADD, { name: 'rfc', algorithm: 1, digits: 8, period: 30, secret: new TextEncoder().encode(RFC_KEY) });
    const [waiting] = await token.send(COMMANDS.CODE, { name: 'rfc' });
    if (waiting?.status !== STATUS_WAITING) throw new Error('CODE did not wait for the button');
    await token.tick(SETTLE_MS, true); // a press counts once the request has been on screen this long
    const button = board.buttons.find((b) => b.role === 'confirm')!;
    const press = Uint8Array.of(3, Number(button.pin), 0);
    await token.worker.issueCommand(press);
    // The debounce timer fires inside this tick: it computes the code, which waits for the session's next frame.
    const tick = Buffer.from([2, 0, 0, 0, 40]);
    const done = await token.worker.issueCommand(tick);
    const [reply] = await token.send(COMMANDS.PING, {}); // the host's ping collects it
    const collect = token.meter.compute;
    const want = otplibTotp(new TextEncoder().encode(RFC_KEY), Math.floor((nowMs + SETTLE_MS + 40) / 1000), 8, 30, 'SHA1');
    if (reply?.status !== STATUS_OK || reply.fields.code !== want) throw new Error('CODE reply was ' + JSON.stringify(reply) + ', otplib says ' + want);
    return done.meter.compute + collect;
  } finally {
    await token.close();
  }
}

const PURE_PROBE = `
    import { totp } from './protocol/totp.ts';
    import { pureHashes } from './protocol/hash-pure.ts';
    const hashes = pureHashes();
    ${KEY_SETUP}
    globalThis.once = () => totp(hashes.SHA1, key, 59, { period: 30, digits: 8 });`;
const OTPLIB_PROBE = `
    import { createGuardrails, generateSync } from 'otplib';
    const guardrails = createGuardrails({ MIN_SECRET_BYTES: 1 });
    ${KEY_SETUP}
    globalThis.once = () => generateSync({ secret: key, epoch: 59, digits: 8, period: 30, algorithm: 'sha1', guardrails });`;

export async function totpOnlySizes(): Promise<XsBundleSize[]> {
  const out: XsBundleSize[] = [];
  for (const [name, code] of [['protocol/ totp + pure SHA-1/256/512', PURE_PROBE], ['otplib 13 generateSync', OTPLIB_PROBE]] as const) {
    const text = await probe(code);
    out.push({ board: name, bytes: Buffer.byteLength(text), gzip: gzipSync(text).length });
  }
  return out;
}

export async function xsCodeCosts(): Promise<XsCodeCost[]> {
  const native = await probe(`
    import { totp } from './protocol/totp.ts';
    import { moddableHashes } from './firmware/ports/moddable/hashes.ts';
    const hashes = moddableHashes(['SHA1']);
    ${KEY_SETUP}
    globalThis.once = () => totp(hashes.SHA1, key, 59, { period: 30, digits: 8 });`);
  const pure = await probe(PURE_PROBE);
  const otplib = await probe(OTPLIB_PROBE);
  return [
    { what: 'firmware code path, native Digest (crypt shim, hashed on the host)', computrons: await measure(native, true) },
    { what: 'firmware code path, pure-JS SHA-1 (protocol/sha1.ts)', computrons: await measure(pure) },
    { what: 'otplib 13 generateSync, bundled for XS (@noble/hashes SHA-1)', computrons: await measure(otplib) },
    { what: 'whole CODE request in the ESP32+SSD1306 firmware (press -> reply, redraw)', computrons: await codeRequestCost() },
  ];
}

export async function xsFigures(): Promise<XsFigures> {
  return { bundles: await xsBundleSizes(), totpOnly: await totpOnlySizes(), perCode: await xsCodeCosts() };
}

/** The section `npm run bench` prints (test/bench/bench.ts calls it when present). */
export async function printFigures(section: (title: string) => void, figure: FigureSink = () => {}): Promise<void> {
  const f = await xsFigures();
  const kb = (b: XsBundleSize) => `${(b.bytes / 1024).toFixed(1)} KB (${(b.gzip / 1024).toFixed(1)} KB gzipped)`;
  for (const b of f.bundles) figure(`Moddable XS main.js, ${b.board}`, kb(b));
  for (const b of f.totpOnly) figure(`TOTP alone bundled for XS: ${b.board}`, kb(b));
  const pure = f.perCode.find((c) => c.what.includes('pure-JS'))!.computrons;
  const otplib = f.perCode.find((c) => c.what.startsWith('otplib'))!.computrons;
  figure('XS computrons per TOTP, pure SHA-1 (ours / otplib 13)', `${pure.toLocaleString('en')} / ${otplib.toLocaleString('en')} = ${(pure / otplib).toFixed(2)}x`);
  figure('XS computrons per TOTP, native Digest (C not counted)', f.perCode[0].computrons.toLocaleString('en'));
  figure('XS computrons, whole CODE request (press to reply and redraw)', f.perCode[3].computrons.toLocaleString('en'));
  section('Moddable XS firmware bundles (ES module, minified; what the project\'s main.js holds)');
  for (const b of f.bundles) console.log(`${b.board.padEnd(36)} ${b.bytes} bytes (${b.gzip} gzipped)`);
  console.log('for comparison, TOTP alone bundled for XS:');
  for (const b of f.totpOnly) console.log(`${b.board.padEnd(36)} ${b.bytes} bytes (${b.gzip} gzipped)`);
  section('XS meter per TOTP code (computrons; RFC 6238 SHA-1, 20-byte key)');
  for (const c of f.perCode) console.log(`${String(c.computrons).padStart(8)}  ${c.what}`);
}
