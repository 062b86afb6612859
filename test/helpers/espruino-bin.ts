// Runs a script on the real Espruino interpreter when ESPRUINO_BIN names one
// (its Linux build; see test/espruino/README.md). Storage lives in
// ./espruino.flash, so each run gets a fresh working directory.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { openPtyLink } from '../../firmware/ports/node/serial-links.ts';
import type { SimLink } from '../../firmware/ports/node/serial-links.ts';

export const ESPRUINO_BIN = process.env.ESPRUINO_BIN ?? '';
export const ESPRUINO_SKIP_REASON = 'ESPRUINO_BIN is not set: skipping the suites that run bundles on the real Espruino interpreter';

export function runOnEspruino(scriptPath: string, timeoutMs = 120000): { stdout: string; status: number | null } {
  const dir = mkdtempSync(join(tmpdir(), 'espruino-run-'));
  const local = join(dir, basename(scriptPath));
  copyFileSync(scriptPath, local);
  const r = spawnSync(ESPRUINO_BIN, [basename(local)], { cwd: dir, encoding: 'latin1', timeout: timeoutMs, stdio: ['pipe', 'pipe', 'pipe'] });
  return { stdout: r.stdout ?? '', status: r.status };
}

/** The interpreter, interactive in `dir` (it autoloads .bootcde from ./espruino.flash), its stdio bridged to a pty. */
export async function startInterpreter(dir: string): Promise<{ proc: ChildProcessWithoutNullStreams; link: SimLink; stop(): Promise<void> }> {
  const link = await openPtyLink(join(dir, 'tty'));
  const proc = spawn(ESPRUINO_BIN, [], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
  proc.stdout.setEncoding('latin1');
  proc.stdout.on('data', (d: string) => link.write(d));
  // Stdin stays open (EOF makes the Linux build read junk); 0x04 would end it, and no frame holds one.
  link.onData((d) => {
    if (proc.exitCode === null) proc.stdin.write(Buffer.from(d, 'latin1'));
  });
  // Bytes the host sent as the interpreter exited (stopped, or crashed: the test sees that in its
  // output) fail with EPIPE; unhandled, that error ended a whole vitest run with every test passed.
  proc.stdin.on('error', () => {});
  return {
    proc,
    link,
    stop: async () => {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGKILL');
        await exited;
      }
      await link.close();
    },
  };
}
