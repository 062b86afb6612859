// A socat pty pair standing in for the USB gadget link: one end for the token
// (its /dev/ttyGS0), one for the host (what the CLI opens as --port). socat
// keeps both open, so the token and hosts can come and go.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

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
  const close = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill();
    });
  return new Promise((resolve, reject) => {
    let log = '';
    const onErr = (d: Buffer) => {
      log += d.toString();
      if (log.includes('starting data transfer loop')) {
        child.stderr!.off('data', onErr);
        child.stderr!.resume();
        resolve({ device, host, child, close });
      }
    };
    child.stderr!.on('data', onErr);
    child.once('error', (e) => reject(new Error(`cannot start socat: ${e.message}`)));
    child.once('exit', (code) => reject(new Error(`socat exited (${code}): ${log}`)));
  });
}
