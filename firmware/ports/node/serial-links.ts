// The simulator's end of the USB serial link: a real pseudo-terminal (through
// socat, which holds the pty open across host connections) or a TCP socket
// on 127.0.0.1 for systems without ptys.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';

export interface SimLink {
  /** What a host passes as --port: the pty path or tcp://127.0.0.1:PORT. */
  address: string;
  write(text: string): void;
  onData(handler: (chunk: string) => void): void;
  /** Called when a host disconnects or another connects (TCP, a tty that closes; a pty behind socat cannot tell: the protocol's sessions cover it). */
  onClose(handler: () => void): void;
  close(): Promise<void>;
}

export function hasSocat(): boolean {
  return spawnSync('socat', ['-V'], { stdio: 'ignore' }).status === 0;
}

/** Resolves once socat (started with -d -d) has its ptys open; rejects with its log if it dies first. */
export function socatReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = '';
    const onErr = (d: Buffer) => {
      log += d.toString();
      if (log.includes('starting data transfer loop')) {
        child.stderr!.off('data', onErr);
        child.stderr!.resume();
        resolve();
      }
    };
    child.stderr!.on('data', onErr);
    child.once('error', (e) => reject(new Error(`cannot start socat: ${e.message}`)));
    child.once('exit', (code) => reject(new Error(`socat exited (${code}) before its ptys were ready: ${log.trim()}`)));
  });
}

/** Stop a socat child and wait for it. */
export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', () => done());
    child.kill();
  });
}

export async function openPtyLink(linkPath: string): Promise<SimLink> {
  if (existsSync(linkPath)) rmSync(linkPath, { force: true });
  const child: ChildProcess = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${linkPath}`, 'STDIO'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let dataHandler: (chunk: string) => void = () => {};
  // socat gone (closing, killed): drop writes rather than crash the simulator.
  child.stdin!.on('error', () => {});
  child.stdout!.setEncoding('latin1');
  child.stdout!.on('data', (d: string) => dataHandler(d));
  await socatReady(child);
  return {
    address: linkPath,
    write: (text) => void child.stdin!.write(Buffer.from(text, 'latin1')),
    onData: (h) => (dataHandler = h),
    onClose: () => {},
    close: () => stopChild(child),
  };
}

export function openTcpLink(port: number): Promise<SimLink> {
  let dataHandler: (chunk: string) => void = () => {};
  let closeHandler: () => void = () => {};
  let current: Socket | null = null;
  const server: Server = createServer((socket) => {
    // One host at a time, as with a USB port. A new host ends the old one's
    // session before it can read a byte: nothing pending may reach it.
    if (current) current.destroy();
    closeHandler();
    current = socket;
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      if (current === socket) dataHandler(d);
    });
    socket.on('close', () => {
      if (current !== socket) return; // replaced: its session already ended
      current = null;
      closeHandler();
    });
    socket.on('error', () => {});
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const addr = server.address();
      const actual = typeof addr === 'object' && addr ? addr.port : port;
      resolve({
        address: `tcp://127.0.0.1:${actual}`,
        write: (text) => void current?.write(Buffer.from(text, 'latin1')),
        onData: (h) => (dataHandler = h),
        onClose: (h) => (closeHandler = h),
        close: () =>
          new Promise((done) => {
            current?.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
