// totp-token sim: run a simulator token (the real firmware app on Node) on a
// pty or tcp://127.0.0.1, with its display in the terminal or as PNG files
// and its buttons on the keyboard or scripted through --control.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Option } from 'commander';
import type { Command } from 'commander';
import type { Algorithm } from '../../../protocol/hash.ts';
import { parseAlgorithm } from '../../../protocol/hash.ts';
import { action, usage, withJson } from '../context.ts';
import type { Output } from '../context.ts';
import { controlLoop, keyboard, showLive } from '../sim-view.ts';

interface SimCliOptions {
  stateDir?: string;
  tcp?: string | boolean;
  slots?: string;
  png?: string;
  control?: boolean;
  json?: boolean;
  presenceTimeout?: string;
  algorithms?: string;
}

export function defaultStateDir(): string {
  return join(process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'totp-token', 'sim');
}

function parseAlgorithms(list: string): Algorithm[] {
  return list.split(',').map((name) => {
    const a = parseAlgorithm(name.trim());
    if (!a) throw usage(`--algorithms: unknown algorithm '${name}' (SHA1, SHA256, SHA512)`);
    return a;
  });
}

/** Resolves on SIGINT/SIGTERM. */
const untilSignal = (): Promise<void> =>
  new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });

async function runSim(out: Output, o: SimCliOptions): Promise<void> {
  const { startSimToken } = await import('../../../firmware/ports/node/sim-token.ts');
  // pngjs and zlib only with --png (the p key loads them when pressed).
  const toPng = o.png ? (await import('../../../firmware/ports/node/render.ts')).framebufferToPng : undefined;
  const slots = o.slots === undefined ? undefined : Number(o.slots);
  if (slots !== undefined && !(Number.isInteger(slots) && slots >= 1 && slots <= 255)) throw usage(`--slots must be 1..255, got '${o.slots}'`);
  const tcpPort = o.tcp === undefined ? undefined : o.tcp === true ? 0 : Number(o.tcp);
  if (tcpPort !== undefined && !(Number.isInteger(tcpPort) && tcpPort >= 0 && tcpPort <= 65535)) throw usage(`--tcp port must be 0..65535, got '${o.tcp}'`);
  const presenceTimeoutMs = o.presenceTimeout === undefined ? undefined : Number(o.presenceTimeout);
  const stateDir = o.stateDir ?? defaultStateDir();
  const pngFile = o.png ?? 'totp-token-sim.png';
  let lastPixels = '';
  const sim = await startSimToken({
    stateDir,
    link: tcpPort === undefined ? 'pty' : 'tcp',
    tcpPort,
    slots,
    presenceTimeoutMs,
    algorithms: o.algorithms ? parseAlgorithms(o.algorithms) : undefined,
    // --png: rewrite the image only when the pixels changed, not on every tick.
    onDisplay: (fb) => {
      if (!o.png || !toPng) return;
      const pixels = Buffer.from(fb.buffer).toString('base64');
      if (pixels !== lastPixels) {
        lastPixels = pixels;
        toPng(fb, o.png); // the first redraw comes before startSimToken returns
      }
    },
  });
  const stopSignals = untilSignal();
  try {
    out.result([`simulator token on ${sim.address}`], { port: sim.address, stateDir });
    out.note(`use it with: --port ${sim.address}   or: export TOTP_TOKEN_PORT=${sim.address}`);
    if (o.control) await Promise.race([controlLoop(sim), stopSignals]);
    else if (process.stdout.isTTY && process.stdin.isTTY && !o.json) {
      const view = showLive(sim, [`totp-token simulator on ${sim.address}`], pngFile);
      try {
        await Promise.race([keyboard(sim, pngFile, () => view.paint()), stopSignals]);
      } finally {
        view.stop();
      }
    } else await stopSignals;
  } finally {
    await sim.close();
  }
}

export function register(program: Command): void {
  const cmd = program
    .command('sim')
    .description('run a simulator token: prints its port, shows its display; keys n next, space confirm, c cancel, p png, q quit')
    .option('--state-dir <dir>', `where its accounts and clock live (default ${defaultStateDir()})`)
    .option('--tcp [port]', 'serve on tcp://127.0.0.1:PORT instead of a pty (no port: a free one)')
    .option('--slots <n>', 'account slots (default 32)')
    .option('--png <file>', 'write the display to this PNG on every change (and for the p key)')
    .option('--control', 'read commands from stdin: press confirm|next, cancel, png FILE, status, quit')
    .addOption(new Option('--presence-timeout <ms>', 'button wait (tests)').hideHelp())
    .addOption(new Option('--algorithms <list>', 'restrict the board, e.g. SHA1,SHA256 (tests)').hideHelp());
  withJson(cmd).action(action(async (out, opts: SimCliOptions) => runSim(out, opts)));
}
