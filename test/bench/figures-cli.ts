// CLI start-up figures (issue 16): wall time of whole `totp-token` runs as a
// user's shell sees them, next to bare `node -e 0` (the floor every Node CLI
// pays) and `ykman --version` (Yubico's CLI, the anchor) when it is installed.
// Runs are interleaved round-robin, so load from other processes spreads over
// every command alike; each figure is a median with its spread (min..p90).
// CLI_BENCH_RUNS sets the rounds (default 41: node -e 0 alone moves between about 60 and 90 ms here, so a median needs many rounds); CLI_BENCH_BEFORE=path/to/old.mjs
// times an older build in the same run, for before/after figures. `list` is also
// timed without the bundles' V8 code caches, to show what they save.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimToken } from '../../firmware/ports/node/sim-token.ts';
import type { SimToken } from '../../firmware/ports/node/sim-token.ts';
import { hasSocat } from '../../firmware/ports/node/serial-links.ts';
import { TokenClient } from '../../host/lib/client.ts';
import { openTransport } from '../../host/lib/transport/index.ts';

export interface StartupFigure {
  label: string;
  medianMs: number;
  minMs: number;
  p90Ms: number;
  /** Median user+sys CPU time of the process (10 ms resolution is bash's `times`: 3 decimals, kernel ticks). */
  cpuMedianMs: number;
  runs: number;
}

const BUNDLE = 'dist/totp-token.cjs'; // the package's bin

// bash times the command itself (EPOCHREALTIME, so bash's own start is not counted) and
// reports its children's CPU time (`times`): CPU time moves far less than wall time
// when other processes load the machine, so both are printed.
const TIMER = 's=$EPOCHREALTIME; "$@" >/dev/null 2>&1; r=$?; e=$EPOCHREALTIME; echo "$s $e $r" >&2; times >&2';

/** Wall and CPU (user+sys) time of one run; asynchronous so an in-process simulator keeps answering. */
function timeRun(cmd: string, args: string[]): Promise<{ ms: number; cpuMs: number; status: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', TIMER, 'bash', cmd, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.once('error', reject);
    child.once('exit', () => {
      const lines = err.trim().split('\n');
      const [s, e, status] = lines[0].split(' ').map(Number);
      const cpu = [...lines[2].matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, m) => sum + Number(m[1]) * 60_000 + Number(m[2]) * 1000, 0);
      resolve({ ms: (e - s) * 1000, cpuMs: cpu, status });
    });
  });
}

function summarize(label: string, xs: number[], cpu: number[]): StartupFigure {
  const s = [...xs].sort((a, b) => a - b);
  const c = [...cpu].sort((a, b) => a - b);
  return { label, medianMs: s[Math.floor(s.length / 2)], minMs: s[0], p90Ms: s[Math.min(s.length - 1, Math.floor(s.length * 0.9))], cpuMedianMs: c[Math.floor(c.length / 2)], runs: s.length };
}

async function simWithAccount(link: 'tcp' | 'pty', stateDir: string): Promise<SimToken> {
  const sim = await startSimToken({ stateDir, link });
  const client = new TokenClient(await openTransport(sim.address));
  await client.hello();
  await client.syncTime();
  await client.add({ name: 'alice@example.com', issuer: 'Example', algorithm: 'SHA1', digits: 6, period: 30, secret: new Uint8Array(20).fill(7) });
  await client.close();
  return sim;
}

/** Time every command the same number of times, interleaved; a run that fails is reported, not timed silently. */
export async function startupFigures(runs = Number(process.env.CLI_BENCH_RUNS) || 41): Promise<{ figures: StartupFigure[]; failures: string[] }> {
  const builds: [string, string][] = [['', BUNDLE]];
  if (process.env.CLI_BENCH_BEFORE) builds.push(['before: ', process.env.CLI_BENCH_BEFORE]);
  const stateDir = mkdtempSync(join(tmpdir(), 'bench-cli-'));
  const tcp = await simWithAccount('tcp', join(stateDir, 'tcp'));
  const pty = hasSocat() ? await simWithAccount('pty', join(stateDir, 'pty')) : undefined;
  const cases: [string, string, string[]][] = [['node -e 0', process.execPath, ['-e', '0']]];
  if (spawnSync('ykman', ['--version'], { stdio: 'ignore' }).status === 0) cases.push(['ykman --version', 'ykman', ['--version']]);
  // The same build without its V8 code caches (a copy inside dist/, so packages still resolve): what the caches save.
  const noCache = join('dist', '.bench-no-code-cache');
  rmSync(noCache, { recursive: true, force: true });
  mkdirSync(join(noCache, 'cli'), { recursive: true });
  copyFileSync(BUNDLE, join(noCache, 'totp-token.cjs'));
  for (const f of readdirSync('dist/cli')) if (f.endsWith('.cjs')) copyFileSync(join('dist/cli', f), join(noCache, 'cli', f));
  for (const [prefix, file] of builds) {
    cases.push([`${prefix}totp-token --version`, process.execPath, [file, '--version']]);
    cases.push([`${prefix}totp-token --help`, process.execPath, [file, '--help']]);
    cases.push([`${prefix}totp-token list (tcp)`, process.execPath, [file, 'list', '--port', tcp.address]]);
    if (pty) cases.push([`${prefix}totp-token list (pty)`, process.execPath, [file, 'list', '--port', pty.address]]);
    if (!prefix) cases.push(['totp-token list (tcp), no code cache', process.execPath, [join(noCache, 'totp-token.cjs'), 'list', '--port', tcp.address]]);
  }
  const times = cases.map((): number[] => []);
  const cpu = cases.map((): number[] => []);
  const failures: string[] = [];
  try {
    for (const [, cmd, args] of cases) await timeRun(cmd, args); // warm the file cache once
    for (let r = 0; r < runs; r++) {
      for (let i = 0; i < cases.length; i++) {
        const { ms, cpuMs, status } = await timeRun(cases[i][1], cases[i][2]);
        if (status !== 0) failures.push(`${cases[i][0]} exited ${status}`);
        times[i].push(ms);
        cpu[i].push(cpuMs);
      }
    }
  } finally {
    await tcp.close();
    await pty?.close();
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(noCache, { recursive: true, force: true });
  }
  return { figures: cases.map(([label], i) => summarize(label, times[i], cpu[i])), failures };
}

export async function printFigures(section: (t: string) => void, figure: (name: string, value: string) => void = () => {}): Promise<void> {
  const { figures, failures } = await startupFigures();
  section(`CLI start-up: wall time per run, median (min..p90), and CPU time (user+sys), over ${figures[0].runs} interleaved runs`);
  const node = figures[0];
  const ykman = figures.find((f) => f.label === 'ykman --version');
  const ratio = (f: StartupFigure, to: StartupFigure) => `${(f.medianMs / to.medianMs).toFixed(2)}x ${to === node ? 'node' : 'ykman'} (CPU ${(f.cpuMedianMs / to.cpuMedianMs).toFixed(2)}x)`;
  for (const f of figures) {
    const ratios = [ratio(f, node)];
    if (ykman && f !== ykman && f.label.endsWith('--version')) ratios.push(ratio(f, ykman));
    console.log(`${f.label.padEnd(37)} ${f.medianMs.toFixed(1).padStart(6)} ms (${f.minMs.toFixed(1)}..${f.p90Ms.toFixed(1)})  CPU ${f.cpuMedianMs.toFixed(0).padStart(3)} ms  ${ratios.join(', ')}`);
    figure(`CLI start-up: ${f.label}`, `${f.medianMs.toFixed(1)} ms median, ${ratios.join(', ')}`);
  }
  if (!ykman) console.log('(ykman not installed: no anchor figure; apt-get install yubikey-manager)');
  for (const f of [...new Set(failures)]) console.log(`FAILED: ${f}`);
}

// Run on its own: npx tsx test/bench/figures-cli.ts
if (import.meta.url === `file://${process.argv[1]}`) await printFigures((t) => console.log(`\n== ${t}`));
