// What every command shares: the --port/--json options, output in human or
// JSON form, connecting (port resolution, HELLO, the button prompt, Ctrl-C
// while the token waits), and the action wrapper that maps errors to exit
// codes in one place (exit-codes.ts).
import { appendFileSync } from 'node:fs';
import type { Command } from 'commander';
import { TokenClient } from '../lib/client.ts';
import type { Waiting } from '../lib/client.ts';
import { TokenError } from '../lib/errors.ts';
import { detectBoard } from '../lib/ports.ts';
import { escapeForTerminal } from '../lib/text.ts';
import { openTransport } from '../lib/transport/index.ts';
import { describeError, EXIT } from './exit-codes.ts';
import { promptHidden, stdinIsTty } from './input.ts';

export interface CommonOptions {
  port?: string;
  json?: boolean;
}

export function withJson(cmd: Command): Command {
  return cmd.option('--json', 'print machine-readable JSON on stdout');
}

export function withDevice(cmd: Command): Command {
  return withJson(cmd.option('--port <path|url>', 'device path or tcp://127.0.0.1:PORT (default: $TOTP_TOKEN_PORT, else the one attached board)'));
}

/** Human text or JSON, never both; notes and prompts go to stderr so stdout stays clean. */
export class Output {
  constructor(readonly json: boolean) {}
  result(human: string | string[], data: unknown): void {
    if (this.json) process.stdout.write(JSON.stringify(data, null, 2) + '\n');
    // Human text can hold names from outside (URIs, files, the device): escaped, never obeyed by the terminal.
    else process.stdout.write(escapeForTerminal(Array.isArray(human) ? human.join('\n') : human) + '\n');
  }
  note(text: string): void {
    process.stderr.write(escapeForTerminal(text) + '\n');
  }
  warn(text: string): void {
    process.stderr.write(`warning: ${escapeForTerminal(text)}\n`);
  }
}

export function pressPrompt(out: Output): (w: Waiting) => void {
  return (w) => out.note(`Press the button on the token to confirm: ${w.action} (within ${w.timeoutS} s)`);
}

let interrupted = false;

/** What the token's storage health (HELLO) means for the user. */
export const STORAGE_WARNING: { [health: number]: string } = {
  1: "warning: the token's storage was damaged; it recovered the previous copy, so the latest change may be missing (check with 'list')",
  2: "warning: the token's storage was damaged and nothing could be recovered; add the accounts again, or 'wipe' to start afresh",
};

/**
 * The USB password for a locked token: a hidden prompt on a terminal, else
 * TOTP_TOKEN_PASSWORD (for scripts; never an argv option, which other users can read).
 */
async function accessPassword(out: Output): Promise<string> {
  const fromEnv = process.env.TOTP_TOKEN_PASSWORD;
  if (fromEnv) return fromEnv;
  if (stdinIsTty()) return promptHidden('Token password: ');
  out.note('this token has a USB password: run on a terminal, or set TOTP_TOKEN_PASSWORD');
  throw new TokenError('LOCKED', 'the token is locked by a USB password and none was given');
}

/**
 * Open the port, say HELLO, run `fn`, close. Ctrl-C while the token waits for its button cancels it there.
 * With `onInterrupt`, the first Ctrl-C also calls it and lets `fn` wind down (up to 20 s; a second Ctrl-C quits at once).
 */
export async function withClient<T>(opts: CommonOptions, out: Output, fn: (client: TokenClient) => Promise<T>, onInterrupt?: () => void, unlock = true): Promise<T> {
  const spec = opts.port || process.env.TOTP_TOKEN_PORT || (await detectBoard());
  const transport = await openTransport(spec);
  const trace = process.env.TOTP_TOKEN_TRACE;
  const client = new TokenClient(transport, {
    onWaiting: pressPrompt(out),
    // Received data only: what we send may hold a seed.
    // Owner-only: on a link that echoes, what comes back can include our own frames.
    traceReceived: trace ? (chunk) => appendFileSync(trace, chunk, { encoding: 'latin1', mode: 0o600 }) : undefined,
  });
  const onSigint = (): void => {
    if (interrupted || (!client.awaitingPresence && !onInterrupt)) process.exit(EXIT.INTERRUPTED);
    interrupted = true;
    onInterrupt?.();
    out.note(client.awaitingPresence ? 'cancelling on the token...' : 'stopping...');
    if (client.awaitingPresence) void client.interrupt().catch(() => process.exit(EXIT.INTERRUPTED));
    setTimeout(() => process.exit(EXIT.INTERRUPTED), onInterrupt ? 20_000 : 1000).unref();
  };
  process.on('SIGINT', onSigint);
  try {
    const info = await client.hello();
    if (info.protocol !== 1) throw new TokenError('BAD_REPLY', `the token speaks protocol ${info.protocol}; this CLI speaks 1: update one of them`);
    if (info.locked && unlock) await client.unlock(await accessPassword(out));
    // After the unlock: a locked token tells its storage health only then (client.info fills in).
    if (info.storageHealth) out.note(STORAGE_WARNING[info.storageHealth] ?? STORAGE_WARNING[2]);
    return await fn(client);
  } finally {
    process.off('SIGINT', onSigint);
    await client.close().catch(() => {});
  }
}

function flush(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => (stream.writableNeedDrain ? stream.once('drain', resolve) : resolve()));
}

/**
 * Run a command's action: errors become one message and an exit code.
 * The process exits when the action ends (an open stdin or port must not keep it alive).
 */
export async function runAction(json: boolean, fn: (out: Output) => Promise<void>): Promise<void> {
  const out = new Output(json);
  let exit: number = EXIT.OK;
  try {
    await fn(out);
  } catch (e) {
    const r = describeError(interrupted && e instanceof TokenError && e.code === 'PRESENCE_DENIED' ? new TokenError('INTERRUPTED', 'interrupted; the token was told to cancel') : e);
    exit = r.exit;
    if (out.json) process.stdout.write(JSON.stringify({ error: { code: r.code, message: r.message, exit: r.exit } }, null, 2) + '\n');
    process.stderr.write(`totp-token: ${escapeForTerminal(r.message)}\n`);
    if (process.env.TOTP_TOKEN_DEBUG && e instanceof Error && e.stack) process.stderr.write(e.stack + '\n');
  }
  await Promise.all([flush(process.stdout), flush(process.stderr)]);
  process.exit(exit);
}

/** runAction as a commander action: --json from the command's options. */
export function action<A extends unknown[]>(fn: (out: Output, ...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return (...args: A) => runAction(!!(args[args.length - 1] as Command).opts().json, (out) => fn(out, ...args));
}

/** A usage error from our own checks (commander reports its own the same way, exit 2). */
export function usage(message: string): TokenError {
  return new TokenError('USAGE', message);
}
