// A socat pty pair standing in for the USB gadget link: one end for the token
// (its /dev/ttyGS0), one for the host (what the CLI opens as --port). socat
// keeps both open, so the token and hosts can come and go.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { socatReady, stopChild } from '../../firmware/ports/node/serial-links.ts';

export interface PtyPair {
  device: string;
  host: string;
  child: ChildProcess;
  close(): Promise<void>;
}

export function ptyPair(dir: string, names = { device: 'ttyGS0', host: 'ttyACM-host' }): Promise<PtyPair> {
  const device = join(dir, names.device);
  const host = join(dir, names.host);
  for (const p of [device, host]) rmSync(p, { force: true }); // links left by an earlier pair
  const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${device}`, `pty,raw,echo=0,link=${host}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  return socatReady(child).then(() => ({ device, host, child, close: () => stopChild(child) }));
}
