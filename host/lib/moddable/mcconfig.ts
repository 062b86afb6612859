// Runs the Moddable SDK's mcconfig on a generated project, or, without an SDK,
// says exactly what to run. No console here: progress goes to a callback.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ModdableBoardProfile } from '../../../boards/moddable-profile.ts';
import { mcconfigArgs, mcconfigCommand } from './project.ts';

export interface McconfigEnv {
  /** $MODDABLE: the SDK's root folder. */
  moddable?: string;
  /** Serial port mcconfig uploads through ($UPLOAD_PORT); mcconfig guesses without it. */
  uploadPort?: string;
  /** More environment for mcconfig (IDF_PATH, PICO_SDK_DIR...), over this process's. */
  extra?: Record<string, string>;
}

/** Where the SDK's tools are built for this OS ($MODDABLE/build/bin/<os>/release). */
export function sdkToolsDir(moddable: string): string {
  const os = process.platform === 'darwin' ? 'mac' : process.platform === 'win32' ? 'win' : 'lin';
  return join(moddable, 'build', 'bin', os, 'release');
}

/** The steps to build and flash the project by hand, exact for this board and folder. */
export function manualSteps(board: ModdableBoardProfile, dir: string, env: McconfigEnv = {}): string[] {
  const pico = board.moddable.platform.startsWith('pico');
  const guide = pico ? 'documentation/devices/pico.md' : 'documentation/devices/esp32.md';
  const upload = env.uploadPort ? `UPLOAD_PORT=${env.uploadPort} ` : '';
  return [
    `1. Install the Moddable SDK and its ${pico ? 'Raspberry Pi Pico (Pico SDK)' : 'ESP32 (ESP-IDF)'} tools: https://github.com/Moddable-OpenSource/moddable/blob/public/${guide}`,
    '2. export MODDABLE=/path/to/moddable',
    `   export PATH="$MODDABLE/build/bin/${process.platform === 'darwin' ? 'mac' : 'lin'}/release:$PATH"`,
    pico ? '   export PICO_SDK_DIR=$HOME/pico/pico-sdk' : '   source $IDF_PATH/export.sh',
    pico ? '3. Hold BOOTSEL on the Pico while you plug it in (it mounts as RPI-RP2).' : '3. Plug the board in by USB.',
    `4. cd ${JSON.stringify(dir)} && ${upload}${mcconfigCommand(board)}`,
  ];
}

export interface McconfigRun {
  command: string;
  exitCode: number;
}

/**
 * Runs mcconfig in `dir`, reporting each output line. Rejects when mcconfig
 * cannot be started (not built, not on PATH); resolves with its exit code.
 */
export function runMcconfig(board: ModdableBoardProfile, dir: string, env: McconfigEnv, onLine: (line: string) => void): Promise<McconfigRun> {
  const tools = env.moddable ? sdkToolsDir(env.moddable) : '';
  const local = tools && existsSync(join(tools, 'mcconfig')) ? join(tools, 'mcconfig') : 'mcconfig';
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  if (env.moddable) {
    childEnv.MODDABLE = env.moddable;
    childEnv.PATH = tools + (process.platform === 'win32' ? ';' : ':') + (process.env.PATH ?? '');
  }
  if (env.uploadPort) childEnv.UPLOAD_PORT = env.uploadPort;
  Object.assign(childEnv, env.extra);
  const args = mcconfigArgs(board);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(local, args, { cwd: dir, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    // One line buffer per stream: stdout and stderr interleave by line, never mid-line.
    const flushers = [child.stdout!, child.stderr!].map((stream) => {
      let pending = '';
      stream.on('data', (chunk: Buffer) => {
        pending += chunk.toString('utf8');
        const lines = pending.split(/\r?\n|\r/);
        pending = lines.pop() ?? '';
        for (const line of lines) if (line.trim()) onLine(line);
      });
      return () => {
        if (pending.trim()) onLine(pending);
        pending = '';
      };
    });
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(new Error(e.code === 'ENOENT' ? `mcconfig not found (${local}): build the Moddable SDK's tools, or put them on PATH` : `cannot run mcconfig: ${e.message}`)),
    );
    child.on('close', (code) => {
      for (const flush of flushers) flush();
      resolvePromise({ command: [local, ...args].join(' '), exitCode: code ?? 1 });
    });
  });
}
