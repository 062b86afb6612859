// Where the attacks run: the simulator over its real pty (each host
// connection is a socat process opening the pty, as a serial terminal would;
// killing it closes the port), the simulator over TCP (a socket per host),
// and the Moddable firmware in the real XS engine (test/xs/moddable-harness.ts:
// one UART, no disconnect event, as on the board; time is the board's timers').
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimToken } from '../../firmware/ports/node/sim-token.ts';
import type { SimToken } from '../../firmware/ports/node/sim-token.ts';
import { hasSocat, socatReady, stopChild } from '../../firmware/ports/node/serial-links.ts';
import { moddableEsp32Ssd1306 } from '../../boards/moddable-esp32-ssd1306.ts';
import { buildXsFirmware, startXsToken } from '../xs/moddable-harness.ts';
import type { XsFirmware } from '../xs/moddable-harness.ts';
import type { Conn, Target } from './attacker.ts';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A fingerprint of the pixels below the first text row (that row counts the seconds down). */
function fingerprint(width: number, height: number, pixel: (x: number, y: number) => boolean, top: number): string {
  let s = '';
  for (let y = top; y < height; y++) for (let x = 0; x < width; x++) s += pixel(x, y) ? '#' : '.';
  return s;
}

async function simTarget(kind: 'pty' | 'tcp'): Promise<Target> {
  const stateDir = mkdtempSync(join(tmpdir(), 'totp-attack-'));
  const sim: SimToken = await startSimToken({ stateDir, link: kind, presenceTimeoutMs: 30000 });
  return {
    name: 'sim-' + kind,
    async connect(): Promise<Conn> {
      if (kind === 'tcp') {
        const port = Number(/:(\d+)$/.exec(sim.address)![1]);
        const socket = tcpConnect(port, '127.0.0.1');
        await new Promise<void>((ok, fail) => socket.once('connect', ok).once('error', fail));
        socket.on('error', () => {});
        let handler: (c: string) => void = () => {};
        socket.setEncoding('latin1');
        socket.on('data', (d: string) => handler(d));
        return {
          write: (t) => new Promise((ok) => socket.write(Buffer.from(t, 'latin1'), () => ok())),
          onData: (h) => (handler = h),
          close: () => new Promise((ok) => (socket.destroyed ? ok() : (socket.once('close', () => ok()), socket.destroy()))),
        };
      }
      const child = spawn('socat', ['-d', '-d', 'STDIO', `${sim.address},raw,echo=0`], { stdio: ['pipe', 'pipe', 'pipe'] });
      child.stdin!.on('error', () => {});
      let handler: (c: string) => void = () => {};
      child.stdout!.setEncoding('latin1');
      child.stdout!.on('data', (d: string) => handler(d));
      await socatReady(child);
      return {
        write: (t) => new Promise((ok) => child.stdin!.write(Buffer.from(t, 'latin1'), () => ok())),
        onData: (h) => (handler = h),
        close: () => stopChild(child),
      };
    },
    press: async (role) => sim.press(role),
    sleep,
    screen: async () => fingerprint(sim.framebuffer.width, sim.framebuffer.height, (x, y) => sim.framebuffer.pixel(x, y), 10),
    close: async () => {
      await sim.close();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

let firmware: Promise<XsFirmware> | null = null;

async function xsTarget(): Promise<Target> {
  const board = moddableEsp32Ssd1306;
  firmware ??= buildXsFirmware(board);
  // The UART has no connect or disconnect: every "connection" shares it, and
  // bytes from the token reach whichever host is attached now.
  let current: ((c: string) => void) | null = null;
  const token = await startXsToken(board, await firmware, { bootTimeMs: Date.now() }, { onSerial: (t) => current?.(t) });
  return {
    name: 'xs-' + board.id,
    async connect(): Promise<Conn> {
      let handler: (c: string) => void = () => {};
      const mine = (c: string) => handler(c);
      current = mine;
      return {
        write: async (t) => void (await token.sendRaw(t)),
        onData: (h) => (handler = h),
        close: async () => {
          if (current === mine) current = null;
        },
      };
    },
    press: async (role) => void (await token.press(role, true)), // the attacker pings for itself
    sleep: async (ms) => void (await token.tick(ms, true)),
    screen: async () => {
      const d = await token.display();
      return fingerprint(d.width, d.height, d.pixel, 10);
    },
    close: () => token.close(),
  };
}

/** The targets an attack runs against; the pty one only where socat is installed. */
export function targetKinds(): string[] {
  return [...(hasSocat() ? ['sim-pty'] : []), 'sim-tcp', 'xs'];
}

export function startTarget(kind: string): Promise<Target> {
  if (kind === 'sim-pty') return simTarget('pty');
  if (kind === 'sim-tcp') return simTarget('tcp');
  if (kind === 'xs') return xsTarget();
  throw new Error('unknown target ' + kind);
}
