// The boards the e2e suite runs against, behind one shape: the simulator
// (128x64 framebuffer, read back by OCR of its pixels) and the johnny-five
// board rpi-zero-lcd1602 (the j5 port with our mock IO: a PCF8574 + HD44780
// emulated down to the nibbles, buttons as pin changes through johnny-five's
// Button). Both run the same firmware app on a real pty the CLI opens; both
// trace what the token sends into `received` for the leak scan.
import { describe } from 'vitest';
import type { ButtonRole, Clock } from '../../firmware/ports.ts';
import type { TokenApp } from '../../firmware/app.ts';
import { rpiZeroLcd1602 } from '../../boards/rpi-zero-lcd1602.ts';
import { loadModule, startJ5Token } from '../../firmware/ports/johnny-five/j5-token.ts';
import type { JohnnyFive } from '../../firmware/ports/johnny-five/j5-token.ts';
import type { Algorithm } from '../../protocol/hash.ts';
import { readCode, readLabel, readSublabel } from '../helpers/ocr.ts';
import { Hd44780, readCodeScreen } from '../johnny-five/hd44780.ts';
import { MockIO } from '../johnny-five/mock-io.ts';
import { ptyPair } from '../johnny-five/pty-pair.ts';
import { received, startSim, tempDir } from './harness.ts';

export type BoardId = 'sim' | 'rpi-zero-lcd1602';
export const BOARDS: BoardId[] = ['sim', 'rpi-zero-lcd1602'];

export interface TokenOptions {
  /** Reuse a state folder (a restart); a fresh one by default. */
  stateDir?: string;
  /** Raw time source in ms (tests freeze it); Date.now by default. */
  timeSource?: () => number;
  /** Account slots (32 on both boards by default). */
  slots?: number;
  /** Restrict the board's algorithms. */
  algorithms?: Algorithm[];
  /** How long a confirmation waits for the button (1 s by default here). */
  presenceTimeoutMs?: number;
}

export interface Shown {
  /** Line 1 as "issuer: name" (the sim draws the name under the code; joined here as the LCD joins them). */
  label: string;
  /** The code's digits, or null when the screen shows no code. */
  code: string | null;
}

export interface BoardToken {
  board: BoardId;
  /** What the CLI passes as --port (a pty). */
  address: string;
  stateDir: string;
  app: TokenApp;
  /** The raw clock: time source plus the synced offset. */
  clock: Clock;
  /** A button press; on the j5 board it goes down and up through the IO pins and johnny-five's debounce. */
  press(role: ButtonRole): Promise<void>;
  /** Redraw now (as the port's 1 s tick would), then read the screen back as a person would. */
  readDisplay(): Shown;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A fixed boot id: restarts in a test are the same boot, so the j5 clock stays set as the sim's does. */
const BOOT_ID = 'e2e-boot';
let five: JohnnyFive | undefined;

export async function startToken(board: BoardId, opts: TokenOptions = {}): Promise<BoardToken> {
  const stateDir = opts.stateDir ?? tempDir(board);
  const presenceTimeoutMs = opts.presenceTimeoutMs ?? 3000; // past the 1 s settle time with room for a loaded machine
  if (board === 'sim') {
    const sim = await startSim({ ...opts, stateDir, presenceTimeoutMs });
    return {
      board,
      address: sim.address,
      stateDir,
      app: sim.app,
      clock: sim.clock,
      press: async (role) => sim.press(role),
      readDisplay: () => {
        sim.app.render();
        const sub = readSublabel(sim.framebuffer);
        return { label: readLabel(sim.framebuffer) + (sub ? ': ' + sub : ''), code: readCode(sim.framebuffer) };
      },
      close: () => sim.close(),
    };
  }

  five ??= (await loadModule('johnny-five')) as unknown as JohnnyFive;
  const profile = {
    ...rpiZeroLcd1602,
    algorithms: opts.algorithms ?? rpiZeroLcd1602.algorithms,
    storage: { ...rpiZeroLcd1602.storage, maxAccounts: opts.slots ?? rpiZeroLcd1602.storage.maxAccounts },
  };
  const panel = new Hd44780();
  const io = new MockIO({ [profile.display.address as number]: panel });
  // The host end keeps its path across restarts, as the sim's pty does.
  const pair = await ptyPair(stateDir, { device: 'ttyGS0', host: 'tty' });
  try {
    const token = await startJ5Token({
      five, io, board: profile, link: pair.device, stateDir, bootId: BOOT_ID,
      timeSource: opts.timeSource, presenceTimeoutMs, traceOut: (t) => received.push(t),
    });
    const pins = new Map(profile.buttons.map((b) => [b.role, b.pin]));
    return {
      board,
      address: pair.host,
      stateDir,
      app: token.app,
      clock: token.clock,
      press: async (role) => {
        // Held past johnny-five's 7 ms debounce, then released past it.
        const pin = pins.get(role)!;
        io.press(pin);
        await sleep(12);
        io.release(pin);
        await sleep(12);
      },
      readDisplay: () => {
        token.app.render(); // johnny-five's LCD writes synchronously: the panel shows it on return
        if (panel.faults.length) throw new Error(`LCD faults: ${panel.faults.join('; ')}`);
        const { label, code } = readCodeScreen(panel.lines());
        return { label, code };
      },
      close: async () => {
        await token.close();
        await pair.close();
      },
    };
  } catch (e) {
    await pair.close();
    throw e;
  }
}

/**
 * describe.each over the boards, the boards side by side (each with its own
 * token and state) while each board's tests run in order: the waits for
 * presence timeouts overlap instead of adding up.
 */
export function describeBoards(title: string, fn: (board: BoardId) => void): void {
  describe.concurrent.each(BOARDS)('%s', (board) => {
    describe.sequential(title, () => fn(board));
  });
}
