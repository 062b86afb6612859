// The token on a Linux board through johnny-five: the same app as every
// board, with the display and buttons behind johnny-five components (so any
// IO plugin works: raspi-io on a Pi, a mock in tests), the link on the USB
// gadget's tty, storage in owner-only files, the clock from the system and
// hashes from node:crypto.
//
// johnny-five is not a dependency of totp-token: the caller imports it (and
// its IO plugin) and passes the module in, so nothing here loads it.
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BoardProfile } from '../../../boards/profile.ts';
import { startToken } from '../../app.ts';
import type { TokenApp } from '../../app.ts';
import type { ButtonRole, Clock } from '../../ports.ts';
import { nodeRuntimePorts } from '../node/node-ports.ts';
import type { SimLink } from '../node/serial-links.ts';
import { openDeviceSerial } from './device-serial.ts';
import { lcdCanvas } from './lcd-canvas.ts';
import { currentBootId, systemClock } from './system-clock.ts';

/** The part of johnny-five 2.1.0's API this port uses (it ships no types). */
export interface JohnnyFive {
  Board: new (opts: { io: unknown; repl: boolean; debug: boolean; sigint: boolean }) => J5Board;
  LCD: new (opts: { controller: string; address?: number; rows: number; cols: number; board: J5Board }) => J5Lcd;
  Button: new (opts: { pin: string | number; isPullup: boolean; holdtime?: number; board: J5Board }) => J5Button;
}
export interface J5Board {
  once(event: 'ready', fn: () => void): void;
  once(event: 'error', fn: (e: Error) => void): void;
}
export interface J5Lcd {
  cursor(row: number, col: number): J5Lcd;
  print(text: string, opts?: { dontProcessSpecials: boolean }): J5Lcd;
  clear(): J5Lcd;
}
export interface J5Button {
  on(event: 'press' | 'release' | 'hold', fn: () => void): void;
}

const INSTALL_HINT = 'install it beside the token: npm install johnny-five@2.1.0 raspi-io@11 (see firmware/ports/johnny-five/README.md)';

/**
 * Load johnny-five or an IO plugin (CommonJS) from where the token runs. The
 * specifier is a variable, so neither tsc nor esbuild go looking for a
 * package that totp-token does not depend on.
 */
export async function loadModule(name: string): Promise<Record<string, unknown>> {
  try {
    const mod = (await import(name)) as { default?: Record<string, unknown> };
    return mod.default ?? (mod as Record<string, unknown>);
  } catch (e) {
    throw new Error(`cannot load '${name}' (${(e as Error).message}); ${INSTALL_HINT}`);
  }
}

export interface J5TokenOptions {
  five: JohnnyFive;
  /** An IO plugin instance (new RaspiIO(), or a mock). */
  io: unknown;
  board: BoardProfile;
  /** /dev/ttyGS0 on the Pi; a pty or tcp://127.0.0.1:PORT elsewhere. */
  link: string;
  /** Storage and clock files; created owner-only. */
  stateDir: string;
  /** The running boot's id (the clock is forgotten across boots); null when the system time survives reboots (RTC, NTP). Read from /proc by default. */
  bootId?: string | null;
  /** Milliseconds since the epoch from the system; tests pass a controlled source. */
  timeSource?: () => number;
  /** How long a confirmation waits for the button (the app's 30 s by default); tests shorten it. */
  presenceTimeoutMs?: number;
  /** Sees everything the token sends (tests scan replies for leaked seeds). */
  traceOut?: (text: string) => void;
}

export interface J5Token {
  address: string;
  app: TokenApp;
  /** The raw clock (system time plus the synced offset). */
  clock: Clock;
  /** What the LCD shows now, as the app laid it out. */
  lines(): string[];
  close(): Promise<void>;
}

export async function startJ5Token(opts: J5TokenOptions): Promise<J5Token> {
  const profile = opts.board;
  const { five } = opts;
  mkdirSync(opts.stateDir, { recursive: true, mode: 0o700 });
  chmodSync(opts.stateDir, 0o700); // it may predate us with wider rights: it holds the seeds

  const j5 = new five.Board({ io: opts.io, repl: false, debug: false, sigint: false });
  await new Promise<void>((resolve, reject) => {
    j5.once('ready', resolve);
    j5.once('error', reject);
  });

  const cols = profile.display.width;
  const rows = profile.display.height;
  const lcd = new five.LCD({ controller: 'PCF8574', address: profile.display.address, rows, cols, board: j5 });
  // Rewrite only the lines that changed: each character costs four I2C
  // writes, and the app redraws every second.
  let onLcd: string[] = [];
  const canvas = lcdCanvas(cols, rows, (lines) => {
    for (let r = 0; r < lines.length; r++) {
      if (lines[r] !== onLcd[r]) lcd.cursor(r, 0).print(lines[r], { dontProcessSpecials: true });
    }
    onLcd = lines;
  });

  let handler: (role: ButtonRole) => void = () => {};
  for (const b of profile.buttons) {
    const button = new five.Button({ pin: b.pin, isPullup: b.activeLow, board: j5 });
    if (b.role === 'next+confirm') {
      // One button: a short press moves on, holding it (0.5 s) confirms.
      let held = false;
      button.on('press', () => (held = false));
      button.on('hold', () => {
        if (!held) handler('confirm');
        held = true;
      });
      button.on('release', () => {
        if (!held) handler('next');
      });
    } else {
      const role: ButtonRole = b.role;
      button.on('press', () => handler(role));
    }
  }

  const link: SimLink = await openDeviceSerial(opts.link);
  const source = opts.timeSource ?? Date.now;
  const bootId = opts.bootId === undefined ? currentBootId() : opts.bootId;
  const clock = systemClock(join(opts.stateDir, 'clock.json'), source, bootId);
  const runtime = nodeRuntimePorts(link, opts.stateDir, opts.traceOut);
  const confirm = profile.buttons.find((b) => b.role !== 'next');
  const app = startToken(
    {
      serial: runtime.serial,
      canvas,
      storage: runtime.storage,
      clock,
      timers: runtime.timers,
      hashes: runtime.hashes,
      random: runtime.random,
      onButton: (h) => (handler = h),
      board: { id: profile.id, algorithms: profile.algorithms, maxAccounts: profile.storage.maxAccounts, typicalDriftPpm: profile.clock.typicalDriftPpm },
    },
    confirm && confirm.role === 'next+confirm' ? 'Hold the button' : 'Press confirm',
    opts.presenceTimeoutMs,
  );
  link.onClose(() => app.linkClosed());

  return {
    address: link.address,
    app,
    clock,
    lines: () => canvas.lines(),
    close: async () => {
      runtime.stopTimers();
      await link.close();
      lcd.clear().print('totp-token off');
    },
  };
}
