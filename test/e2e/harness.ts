// End-to-end harness: the real bundled CLI (dist/totp-token.mjs, built by
// `npm run build`) as a child process, talking over serialport to a token
// running in the test process on a real pty (the simulator here; any board
// through ./boards.ts). Every byte the token sends, and every chunk the CLI
// receives (TOTP_TOKEN_TRACE), is kept for the seed-leak scan.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, rmdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { startSimToken } from '../../firmware/ports/node/sim-token.ts';
import type { SimOptions, SimToken } from '../../firmware/ports/node/sim-token.ts';
import type { ButtonRole } from '../../firmware/ports.ts';
import { createFrameReader, encodeFrame } from '../../protocol/frame.ts';
import { COMMANDS, decodeReply, encodeRequest } from '../../protocol/messages.ts';
import { SETTLE_MS } from '../../firmware/presence.ts';
import type { Reply } from '../../protocol/messages.ts';
import { findLeaks } from './leak-scan.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const BUNDLE = join(ROOT, 'dist/totp-token.mjs');
const LOCK = join(ROOT, 'dist/.e2e-build.lock');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith('.ts') || entry.name.endsWith('.json')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A path for this process's private copy of the CLI (removeOrphanCopies knows the pattern). */
function privateCliPath(): string {
  return join(ROOT, 'dist', `.e2e-${process.pid}-${Date.now()}.mjs`);
}

/**
 * Build the CLI with `npm run build` unless the bundle is newer than every
 * source, then take a private copy next to it (so node_modules still
 * resolves), at `copy` if given. Test files run in parallel: the lock makes
 * one build at a time, and the copy means a later rebuild cannot change the
 * file under a running test.
 */
export async function ensureCli(copy?: string): Promise<string> {
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  for (let tries = 0; ; tries++) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      if (tries > 600) rmSync(LOCK, { recursive: true, force: true }); // a crashed run left it (60 s)
      await sleep(100);
    }
  }
  try {
    const sources = Math.max(...['host', 'protocol', 'firmware', 'boards'].map((d) => newestSource(join(ROOT, d))), statSync(join(ROOT, 'package.json')).mtimeMs);
    if (!existsSync(BUNDLE) || statSync(BUNDLE).mtimeMs < sources) {
      const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`npm run build failed:\n${r.stdout}\n${r.stderr}`);
    }
    removeOrphanCopies();
    const target = copy ?? privateCliPath();
    copyFileSync(BUNDLE, target);
    return target;
  } finally {
    rmdirSync(LOCK);
  }
}

/** Copies left by test processes that are gone (killed runs). */
function removeOrphanCopies(): void {
  for (const name of readdirSync(join(ROOT, 'dist'))) {
    const m = /^\.e2e-(\d+)-\d+\.mjs$/.exec(name);
    if (!m) continue;
    try {
      process.kill(Number(m[1]), 0);
    } catch {
      rmSync(join(ROOT, 'dist', name), { force: true });
    }
  }
}

/** Remove this file's copy of the CLI (call in afterAll). */
export function releaseCli(copy: string | undefined): void {
  if (copy) rmSync(copy, { force: true });
}

/** Everything received from tokens in this file, for the leak scan. */
export const received: string[] = [];
/** Every seed used in this file. */
export const seeds: Uint8Array[] = [];

/**
 * The CLI for this test file, with the hooks every e2e file needs: a
 * beforeAll (60 s, it may build) that builds the bundle if stale and copies it
 * to the returned path, and an afterAll that removes the copy and then runs the
 * seed-leak scan over every frame the host received in this file (`received`)
 * against every seed the file used (`seeds`), and fails if no reply frame was
 * received at all. The scan is the suite's security
 * check: seeds go into the token and only codes may come out, so no frame from
 * the token may contain seed bytes (raw, base32, base64 or hex). The path is
 * fixed now, so tests can use it as a plain string. Call it at the top of the
 * file before registering the file's own hooks: hooks run in vitest's default
 * "stack" order, so the CLI is ready before them and the scan runs after their
 * afterAll (tokens closed).
 */
export function cliForSuite(): string {
  const cli = privateCliPath();
  beforeAll(async () => {
    await ensureCli(cli);
  }, 60_000);
  afterAll(() => {
    releaseCli(cli);
    for (const dir of madeDirs.splice(0)) rmSync(dir, { recursive: true, force: true }); // after the file's own afterAll: its tokens are closed
    expect(received.join('')).toMatch(/^</m); // the scan saw replies: it cannot pass on nothing
    expect(findLeaks(received, seeds)).toEqual([]);
  });
  return cli;
}

/** Folders tempDir made in this file (cliForSuite's afterAll removes them). */
const madeDirs: string[] = [];

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `tt-e2e-${prefix}-`));
  madeDirs.push(dir);
  return dir;
}

export interface Sim extends SimToken {
  stateDir: string;
}

/** A simulator with a short presence timeout, recording all it sends. */
export async function startSim(opts: Partial<SimOptions> = {}): Promise<Sim> {
  const stateDir = opts.stateDir ?? tempDir('sim');
  const sim = await startSimToken({ presenceTimeoutMs: 3000, ...opts, stateDir, traceOut: (t) => received.push(t) });
  return Object.assign(sim, { stateDir });
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  child: ChildProcess;
  /** Resolves once stderr (or stdout) matches. */
  waitFor(pattern: RegExp, stream?: 'stderr' | 'stdout'): Promise<void>;
  done: Promise<CliResult>;
  /** What it printed so far. */
  output(): { stdout: string; stderr: string };
}

export interface CliOptions {
  input?: string | Buffer;
  /** Leave stdin open for writing (sim --control); otherwise it gets `input` and EOF. */
  keepStdinOpen?: boolean;
  env?: Record<string, string>;
}

export function startCli(cli: string, args: string[], opts: CliOptions = {}): RunningCli {
  const trace = join(tmpdir(), `tt-trace-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const child = spawn(process.execPath, [cli, ...args], {
    env: { ...process.env, TOTP_TOKEN_PORT: '', TOTP_TOKEN_TRACE: trace, ...opts.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  const watchers: { pattern: RegExp; stream: 'stderr' | 'stdout'; resolve(): void }[] = [];
  const check = () => {
    for (const w of watchers.slice()) if (w.pattern.test(out[w.stream])) watchers.splice(watchers.indexOf(w), 1) && w.resolve();
  };
  child.stdout!.on('data', (d) => ((out.stdout += d), check()));
  child.stderr!.on('data', (d) => ((out.stderr += d), check()));
  child.stdin!.on('error', () => {}); // the CLI may exit before reading stdin
  if (!opts.keepStdinOpen) child.stdin!.end(opts.input ?? '');
  const done = new Promise<CliResult>((resolve) =>
    child.on('close', (code, signal) => {
      if (existsSync(trace)) {
        received.push(readFileSync(trace, 'latin1'));
        rmSync(trace, { force: true });
      }
      resolve({ code, signal, ...out });
    }),
  );
  return {
    child,
    done,
    output: () => ({ ...out }),
    waitFor: (pattern, stream = 'stderr') =>
      new Promise<void>((resolve, reject) => {
        watchers.push({ pattern, stream, resolve });
        check();
        void done.then((r) => reject(new Error(`CLI exited (${r.code}) before printing ${pattern}:\n${r.stdout}\n${r.stderr}`)));
      }),
  };
}

export function runCli(cli: string, args: string[], opts: CliOptions = {}): Promise<CliResult> {
  return startCli(cli, args, opts).done;
}

/**
 * Run a command that asks for the button, and press it on the token (sim or
 * board, ./boards.ts) once the CLI says so and the token has shown the
 * request for its settle time (a press sooner does not count).
 */
export async function runWithPress(cli: string, token: { press(role: ButtonRole): void | Promise<void> }, args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const run = startCli(cli, args, opts);
  await run.waitFor(/Press the button on the token to confirm/);
  await sleep(SETTLE_MS + 150);
  await token.press('confirm');
  return run.done;
}

/** `list --json` names. */
export async function listNames(cli: string, port: string): Promise<string[]> {
  const r = await runCli(cli, ['list', '--port', port, '--json']);
  if (r.code !== 0) throw new Error(`list failed (${r.code}): ${r.stderr}`);
  return (JSON.parse(r.stdout).accounts as { name: string }[]).map((a) => a.name);
}

/**
 * Talk raw frames to a token (bypassing the client), for malformed input:
 * write `text`, then collect reply bodies until `replies` arrived.
 */
export async function rawExchange(port: string, text: string | ((session: Uint8Array) => string), replies: number): Promise<Reply[]> {
  const { createTransport } = await import('../../host/lib/transport/index.ts');
  const t = createTransport(port);
  const got: Reply[] = [];
  const reader = createFrameReader('<', (body) => got.push(decodeReply(body)), () => got.push({ id: -1, status: -1, fields: {} }));
  t.onData((chunk) => reader.push(chunk));
  await t.open();
  try {
    if (typeof text === 'function') {
      // A request inside a session (wire-protocol.md "Sessions"): HELLO first, then its id in the frame.
      await t.write(encodeFrame('>', encodeRequest({ id: 250, command: COMMANDS.HELLO, fields: {} })));
      for (let waited = 0; got.length < 1; waited += 10) {
        if (waited > 3000) throw new Error('no reply to HELLO');
        await sleep(10);
      }
      const session = got.shift()!.fields.session as Uint8Array;
      text = text(session);
    }
    await t.write(text);
    for (let waited = 0; got.length < replies; waited += 10) {
      if (waited > 3000) throw new Error(`expected ${replies} replies, got ${got.length}`);
      await sleep(10);
    }
    return got;
  } finally {
    await t.close();
  }
}
