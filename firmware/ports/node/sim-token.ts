// The simulator board: the real token app on Node, with its serial link on a
// pty (or TCP), its display in a framebuffer, its buttons scriptable, its
// storage and clock in a state folder so seeds survive a restart.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sim as simBoard } from '../../../boards/sim.ts';
import { startToken } from '../../app.ts';
import type { TokenApp } from '../../app.ts';
import type { ButtonRole } from '../../ports.ts';
import type { Algorithm } from '../../../protocol/hash.ts';
import { createFramebuffer } from '../../ui/framebuffer.ts';
import type { Framebuffer } from '../../ui/framebuffer.ts';
import { nodeRuntimePorts } from './node-ports.ts';
import { textRecordingCanvas } from './screen-text.ts';
import type { ScreenText } from './screen-text.ts';
import { openPtyLink, openTcpLink } from './serial-links.ts';
import type { SimLink } from './serial-links.ts';
import { simClock } from './sim-clock.ts';
import type { SimClock } from './sim-clock.ts';

export interface SimOptions {
  /** Folder for storage, clock and the pty link; reused across restarts. */
  stateDir: string;
  /** 'pty' (default) or 'tcp'. */
  link?: 'pty' | 'tcp';
  /** TCP port for link=tcp; 0 picks a free one. */
  tcpPort?: number;
  /** The oscillator's typical rate error the token assumes (bounds the rates it learns); 100 ppm by default. */
  typicalDriftPpm?: number;
  /** Account slots (the board's default is 32): small values let tests fill the token. */
  slots?: number;
  /** Time source in ms (tests drive the clock); Date.now by default. */
  timeSource?: () => number;
  /** Called after every redraw. */
  onDisplay?: (fb: Framebuffer) => void;
  /** Restrict the board's algorithms (a board without SHA512, say); the sim board's by default. */
  algorithms?: Algorithm[];
  /** How long a confirmation waits for the button; tests shorten the 30 s default. */
  presenceTimeoutMs?: number;
  /** Sees everything the token sends (tests scan replies for leaked seeds). */
  traceOut?: (text: string) => void;
}

export interface SimToken {
  address: string;
  framebuffer: Framebuffer;
  clock: SimClock;
  app: TokenApp;
  press(role: ButtonRole): void;
  /** The text of the frame on the display now: its lines, the code and seconds left when it shows one. */
  shown(): ScreenText;
  /** Write the display as a PNG (pngjs loads on first use). */
  savePng(file: string): Promise<void>;
  close(): Promise<void>;
}

export async function startSimToken(opts: SimOptions): Promise<SimToken> {
  mkdirSync(opts.stateDir, { recursive: true, mode: 0o700 });
  const link: SimLink = opts.link === 'tcp' ? await openTcpLink(opts.tcpPort ?? 0) : await openPtyLink(join(opts.stateDir, 'tty'));
  const clock = simClock(join(opts.stateDir, 'clock.json'), opts.timeSource ?? Date.now);
  const framebuffer = createFramebuffer(simBoard.display.width, simBoard.display.height, (fb) => opts.onDisplay?.(fb));
  let buttonHandler: (role: ButtonRole) => void = () => {};
  const screen = textRecordingCanvas(framebuffer);
  const runtime = nodeRuntimePorts(link, opts.stateDir, opts.traceOut);
  const app = startToken(
    {
      serial: runtime.serial,
      canvas: screen.canvas,
      storage: runtime.storage,
      clock,
      timers: runtime.timers,
      hashes: runtime.hashes,
      random: runtime.random,
      onButton: (h) => (buttonHandler = h),
      board: { id: simBoard.id, algorithms: opts.algorithms ?? simBoard.algorithms, maxAccounts: opts.slots ?? simBoard.storage.maxAccounts, typicalDriftPpm: opts.typicalDriftPpm },
    },
    'Confirm: SPACE key',
    opts.presenceTimeoutMs,
  );
  link.onClose(() => app.linkClosed());
  return {
    address: link.address,
    framebuffer,
    clock,
    app,
    press: (role) => buttonHandler(role),
    shown: screen.shown,
    savePng: async (file) => (await import('./render.ts')).framebufferToPng(framebuffer, file),
    close: async () => {
      runtime.stopTimers();
      await link.close();
    },
  };
}
