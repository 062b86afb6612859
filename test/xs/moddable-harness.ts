// Runs a Moddable board's firmware in the real XS engine and talks to it with
// the real protocol codecs. The firmware is the exact ES module bundle a
// Moddable project gets (host/lib/moddable/bundle.ts); esbuild then wraps it
// as one script for xsnap, resolving its SDK imports (preference, time, timer,
// crypt, embedded:io/*) to the shims in ./shims/ instead of the SDK.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterEach, beforeAll } from 'vitest';
import type { Plugin } from 'esbuild';
import { buildModdableBundle, MODDABLE_MODULES } from '../../host/lib/moddable/bundle.ts';
import type { ModdableBoardProfile } from '../../boards/moddable-profile.ts';
import { createFrameReader, encodeFrame, REPLY_MARKER, REQUEST_MARKER } from '../../protocol/frame.ts';
import { COMMANDS, decodeReply, encodeRequest, STATUS_OK, STATUS_WAITING } from '../../protocol/messages.ts';
import { SETTLE_MS } from '../../firmware/presence.ts';
import type { Reply } from '../../protocol/messages.ts';
import type { Fields } from '../../protocol/tlv.ts';
import type { ButtonRole } from '../../firmware/ports.ts';
import { startXs } from '../helpers/xs-engine.ts';
import type { XsMeter, XsWorker } from '../helpers/xs-engine.ts';
import type { ShimConfig } from './shims/config.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));
const SHIM_FILES: Record<string, string> = {
  preference: 'preference.ts',
  time: 'time.ts',
  timer: 'timer.ts',
  crypt: 'crypt.ts',
  'embedded:io/serial': 'serial.ts',
  'embedded:io/digital': 'digital.ts',
  'embedded:io/i2c': 'i2c.ts',
  'totp-native': 'native.ts',
};
/** Tags of shims/host.ts (host -> XS, XS -> host). */
const IN = { SERIAL_RX: 1, TICK: 2, PIN: 3, DISPLAY: 4, PREFERENCES: 5, STATUS: 6 };
const OUT = { SERIAL_TX: 1, DIGEST: 2, RANDOM: 3 };
const DIGESTS = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'];
/** How long a simulated finger holds a button, and waits after letting go: past the port's 30 ms debounce. */
const PRESS_MS = 100;
/** A long press, for a single button that confirms when held (the port's LONG_PRESS_MS is 800). */
const HOLD_MS = 1000;
/** The id of the host's pings (its requests use 1..254): their OK replies are not collected. */
const PING_ID = 255;

/** Maps the SDK's module names to the shims; anything else Moddable-only fails the build. */
export const moddableShims: Plugin = {
  name: 'moddable-shims',
  setup(b) {
    b.onResolve({ filter: /^(preference|time|timer|crypt|totp-native|embedded:.*)$/ }, (args) => {
      const file = SHIM_FILES[args.path];
      if (!file) return { errors: [{ text: `no shim for the Moddable module "${args.path}": add one to test/xs/shims/` }] };
      return { path: join(here, 'shims', file) };
    });
  },
};

export interface XsFirmware {
  /** The script xsnap evaluates: shims + the device bundle. */
  script: string;
  /** The device bundle (what the Moddable project's main.js holds). */
  deviceBundle: string;
}

/** Builds the board's device bundle, then wraps it with the shims for xsnap. */
export async function buildXsFirmware(board: ModdableBoardProfile): Promise<XsFirmware> {
  if (!board.firmwareEntry) throw new Error(board.id + ' has no firmwareEntry');
  const dir = mkdtempSync(join(tmpdir(), 'totp-xs-'));
  const device = join(dir, board.id + '.mjs');
  await buildModdableBundle(join(root, board.firmwareEntry), device, true);
  const deviceBundle = readFileSync(device, 'utf8');
  for (const m of MODDABLE_MODULES) if (!SHIM_FILES[m]) throw new Error('no shim for ' + m);
  const out = await build({
    stdin: { contents: `import './shims/install.ts';\nimport ${JSON.stringify(device)};\n`, resolveDir: here, loader: 'ts' },
    bundle: true,
    format: 'iife',
    platform: 'neutral',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    plugins: [moddableShims],
  });
  return { script: out.outputFiles[0]!.text, deviceBundle };
}

export function shimConfigFor(board: ModdableBoardProfile, over: Partial<ShimConfig> = {}): ShimConfig {
  const m = board.moddable;
  const externalPulls: Record<number, 0 | 1> = {};
  if (m.buttonPull === 'external') for (const b of board.buttons) externalPulls[Number(b.pin)] = b.activeLow ? 1 : 0;
  return {
    platform: m.platform.split('/')[0] as ShimConfig['platform'],
    bootTimeMs: 0,
    preference: m.preference,
    preferences: {},
    serialFifo: 128,
    externalPulls,
    ssd1306: board.display.driver === 'ssd1306' ? [board.display.address ?? 0x3c] : [],
    screen: m.displayOutput === 'screen' ? { width: board.display.width, height: board.display.height, bytesPerPixel: 2 } : undefined,
    ...over,
  };
}

export interface Display {
  width: number;
  height: number;
  pixel(x: number, y: number): boolean;
}

export interface XsToken {
  worker: XsWorker;
  board: ModdableBoardProfile;
  /** Every reply received so far (a frame that failed its check shows as status -1). */
  replies: Reply[];
  /** What the firmware threw while starting, with allowStartFailure. */
  startError?: Error;
  /** The meter of the last delivery. */
  meter: XsMeter;
  /** The session id of the last HELLO reply; send() adds it to every other request unless `fields.session` is given. */
  session: Uint8Array | undefined;
  send(command: number, fields: Fields, id?: number): Promise<Reply[]>;
  sendRaw(text: string): Promise<Reply[]>;
  /**
   * Press and release a button with its debounce, as a finger would (held 1 s for "confirm" on a single button).
   * A confirm press comes after the token's settle time (the clocks move on SETTLE_MS first), and the host
   * then pings to collect the outcome (wire-protocol.md "Sessions"); `raw` does neither.
   */
  press(role: ButtonRole, raw?: boolean): Promise<Reply[]>;
  /** Advance the board's clocks, firing its timers (the app ticks once a second); the host pings every 5 s to keep its session unless `silent`. */
  tick(ms: number, silent?: boolean): Promise<Reply[]>;
  display(): Promise<Display>;
  preferences(): Promise<{ preferences: ShimConfig['preferences']; used: number; capacity: number; writes: number; flash?: ShimConfig['flash'] }>;
  /** What survives a restart (Preferences, and the Pico's flash): spread it into the next startXsToken's config. */
  persisted(): Promise<Pick<ShimConfig, 'preferences' | 'flash'>>;
  status(): Promise<{ nowMs: number; ticks: number; timers: number; serial: { overruns: number; written: number; received: number } }>;
  close(): Promise<void>;
}

export interface XsTokenOptions {
  /** Replaces the host's digest (fault injection: a wrong hash must fail the tests). */
  digest?: (algorithm: string, message: Uint8Array) => Uint8Array;
  /** Keep the token when its firmware throws while starting (a power cut during start-up), so the host can read its flash. */
  allowStartFailure?: boolean;
  /** Counts the hardware random bytes the firmware draws. */
  onRandom?: (n: number) => void;
  /** Sees every byte the firmware writes to its serial port (latin1 text), before the frame reader. */
  onSerial?: (text: string) => void;
}

export async function startXsToken(board: ModdableBoardProfile, firmware: XsFirmware, config: Partial<ShimConfig> = {}, opts: XsTokenOptions = {}): Promise<XsToken> {
  const replies: Reply[] = [];
  let session: Uint8Array | undefined;
  let pingsOut = 0; // pings whose OK reply is not yet in
  let elapsedMs = 0; // the board's time, as ticked
  let shownAt = -Infinity; // when the last WAITING came: the token's screen changed then
  const reader = createFrameReader(
    REPLY_MARKER,
    (body) => {
      const r = decodeReply(body);
      if (r.status === STATUS_OK && r.fields.session instanceof Uint8Array) session = r.fields.session;
      if (r.status === STATUS_WAITING) shownAt = elapsedMs;
      if (r.id === PING_ID && r.status === STATUS_OK && pingsOut > 0) {
        pingsOut--;
        return; // the host's keep-alive
      }
      replies.push(r);
    },
    () => replies.push({ id: -1, status: -1, fields: {} }),
  );
  const ping = () => (session ? (pingsOut++, deliver(IN.SERIAL_RX, Buffer.from(encodeFrame(REQUEST_MARKER, encodeRequest({ id: PING_ID, command: COMMANDS.PING, fields: { session } })), 'latin1'))) : Promise.resolve([]));
  const worker = await startXs({
    onCommand: (message) => {
      if (message[0] === OUT.SERIAL_TX) {
        const text = Buffer.from(message.subarray(1)).toString('latin1');
        opts.onSerial?.(text);
        reader.push(text);
        return;
      }
      if (message[0] === OUT.DIGEST) {
        const algorithm = DIGESTS[message[1]!]!;
        return opts.digest ? opts.digest(algorithm, message.subarray(2)) : createHash(algorithm).update(message.subarray(2)).digest();
      }
      if (message[0] === OUT.RANDOM) {
        // The hardware source: fresh bytes every boot (node:crypto), as esp_fill_random / get_rand_32 give.
        const n = message[1]! + 1;
        opts.onRandom?.(n);
        return randomBytes(n);
      }
      throw new Error('unknown message from the XS shims, tag ' + message[0]);
    },
  });
  const shim = shimConfigFor(board, config);
  let nextId = 1;
  const token: XsToken = {
    worker,
    board,
    replies,
    meter: { compute: 0, allocate: 0, currentHeapCount: 0 },
    get session() {
      return session;
    },
    set session(s) {
      session = s;
    },
    async send(command, fields, id) {
      const all = command === COMMANDS.HELLO || 'session' in fields || !session ? fields : { ...fields, session };
      return token.sendRaw(encodeFrame(REQUEST_MARKER, encodeRequest({ id: id ?? ((nextId++ - 1) % 254) + 1, command, fields: all })));
    },
    async sendRaw(text) {
      return deliver(IN.SERIAL_RX, Buffer.from(text, 'latin1'));
    },
    async press(role, raw) {
      const from0 = replies.length;
      if (role === 'confirm' && !raw && elapsedMs - shownAt < SETTLE_MS) await token.tick(SETTLE_MS - (elapsedMs - shownAt), true);
      const button = board.buttons.find((b) => b.role === role || b.role === 'next+confirm');
      if (!button) throw new Error(`${board.id} has no ${role} button`);
      const pin = Number(button.pin);
      const down = button.activeLow ? 0 : 1;
      const from = replies.length;
      await deliver(IN.PIN, Uint8Array.of(pin, down));
      await token.tick(button.role === 'next+confirm' && role === 'confirm' ? HOLD_MS : PRESS_MS, true);
      await deliver(IN.PIN, Uint8Array.of(pin, 1 - down));
      await token.tick(PRESS_MS, true);
      if (raw) return replies.slice(from);
      await ping();
      return replies.slice(from0);
    },
    async tick(ms, silent) {
      const from = replies.length;
      for (let left = ms; left > 0; ) {
        const step = silent ? left : Math.min(left, 5000);
        const body = Buffer.alloc(4);
        body.writeUInt32BE(step);
        await deliver(IN.TICK, body);
        elapsedMs += step;
        left -= step;
        if (!silent) await ping();
      }
      return replies.slice(from);
    },
    async display() {
      const d = await worker.issueCommand(Uint8Array.of(IN.DISPLAY));
      const view = Buffer.from(d.reply);
      const width = view.readUInt16BE(0);
      const height = view.readUInt16BE(2);
      const bits = view.subarray(4);
      return { width, height, pixel: (x, y) => (bits[x + (y >> 3) * width]! & (1 << (y & 7))) !== 0 };
    },
    async preferences() {
      return JSON.parse(Buffer.from((await worker.issueCommand(Uint8Array.of(IN.PREFERENCES))).reply).toString('utf8'));
    },
    async persisted() {
      const p = await token.preferences();
      return p.flash ? { preferences: p.preferences, flash: p.flash } : { preferences: p.preferences };
    },
    async status() {
      return JSON.parse(Buffer.from((await worker.issueCommand(Uint8Array.of(IN.STATUS))).reply).toString('utf8'));
    },
    close: () => worker.close(),
  };
  async function deliver(tag: number, body: Uint8Array): Promise<Reply[]> {
    const from = replies.length;
    const message = new Uint8Array(body.length + 1);
    message[0] = tag;
    message.set(body, 1);
    token.meter = (await worker.issueCommand(message)).meter;
    return replies.slice(from);
  }
  try {
    await worker.evaluate(`globalThis.__moddableShim = ${JSON.stringify(shim)};`);
    token.meter = (await worker.evaluate(firmware.script)).meter;
    // A host's session, as every host starts one (wire-protocol.md "Sessions"); tests see the replies after it.
    await token.send(COMMANDS.HELLO, {});
    replies.length = 0;
  } catch (e) {
    if (opts.allowStartFailure) {
      token.startError = e as Error;
      return token;
    }
    await worker.close();
    throw e;
  }
  return token;
}

/** Where the board's canvas lands on its panel (the port centres it, scaled). */
export function canvasOnPanel(board: ModdableBoardProfile): { left: number; top: number; scale: number; width: number; height: number } {
  const c = board.moddable.canvas;
  return {
    left: Math.floor((board.display.width - c.width * c.scale) / 2),
    top: Math.floor((board.display.height - c.height * c.scale) / 2),
    scale: c.scale,
    width: c.width,
    height: c.height,
  };
}

/**
 * One board's tokens for a suite: builds its firmware once (beforeAll) and
 * closes every token `start` made after each test. `base` goes into every
 * start's shim config, before the start's own. Closing a token twice is a no-op.
 */
export function xsSuite(board: ModdableBoardProfile, base: Partial<ShimConfig> = {}): (config?: Partial<ShimConfig>, opts?: XsTokenOptions) => Promise<XsToken> {
  const start = xsBoards([board], base);
  return (config = {}, opts = {}) => start(board, config, opts);
}

/** xsSuite for several boards in one file: each board's firmware built once, every token closed after each test. */
export function xsBoards(
  boards: ModdableBoardProfile[],
  base: Partial<ShimConfig> = {},
): (board: ModdableBoardProfile, config?: Partial<ShimConfig>, opts?: XsTokenOptions) => Promise<XsToken> {
  const firmware = new Map<string, XsFirmware>();
  let tokens: XsToken[] = [];
  beforeAll(async () => {
    for (const board of boards) firmware.set(board.id, await buildXsFirmware(board));
  }, 60000 * boards.length);
  afterEach(async () => {
    await Promise.all(tokens.map((t) => t.close()));
    tokens = [];
  });
  return async (board, config = {}, opts = {}) => {
    const t = await startXsToken(board, firmware.get(board.id)!, { ...base, ...config }, opts);
    // A test may close a token early (power-cut loops start hundreds); afterEach closes the rest once.
    const close = t.close.bind(t);
    let closing: Promise<void> | null = null;
    t.close = () => (closing ??= close());
    tokens.push(t);
    return t;
  };
}
