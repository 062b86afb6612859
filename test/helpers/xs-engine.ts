// Runs JavaScript in the real Moddable XS engine: the `xsnap-worker` binary that
// @agoric/xsnap compiles from its bundled XS sources at install time. We talk to
// the binary directly (its high-level API needs SES lockdown in this process).
//
// Protocol (xsnap-native/xsnap/sources/xsnap-worker.c): netstrings
// (`<len>:<bytes>,`), host -> worker on fd 3, worker -> host on fd 4.
//   host sends    `e<code>`   global (indirect) eval of a script, then the job queue runs
//                 `?<bytes>`  calls globalThis.handleCommand(ArrayBuffer) inside XS
//                 `R` ready probe; `q` quit
//   worker sends  `.<meter json>\x01<bytes>`  delivery done; bytes = result if it is an ArrayBuffer
//                 `!<message>`                delivery threw (String(exception), no stack)
//                 `?<bytes>`                  issueCommand(ArrayBuffer) from XS; blocks
//                                             until the host answers `/<bytes>`
// The meter json carries `compute` (computrons for that delivery, the XS meter),
// `allocate` and `currentHeapCount`. With `-l <limit>` a delivery that exceeds the
// limit kills the worker (exit 17, "too much computation").
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

function findWorkerBinary(): string {
  try {
    const pkg = createRequire(import.meta.url).resolve('@agoric/xsnap/package.json');
    return join(dirname(pkg), 'xsnap-native/xsnap/build/bin/lin/release/xsnap-worker');
  } catch {
    return '';
  }
}

/** Path of the xsnap-worker binary (may not exist if the install script did not run). */
export const XSNAP_WORKER = findWorkerBinary();

const HOW_TO_FIX =
  'the XS engine is built by @agoric/xsnap\'s install script: check that package.json "allowScripts" ' +
  'approves "@agoric/xsnap", then run `npm rebuild @agoric/xsnap` (needs cc and make; Linux only)';

// Exit codes of xsnap-worker (@agoric/xsnap/api.js).
const EXIT_MEANING: Record<number, string> = {
  1: 'bad argument usage',
  2: 'I/O error',
  11: 'not enough memory',
  12: 'stack overflow',
  15: 'unhandled exception',
  16: 'property (key) name space exhausted',
  17: 'too much computation (meter limit exceeded)',
};

/** The XS meter for one delivery, as xsnap reports it. */
export interface XsMeter {
  /** Computrons spent by the delivery: XS's own deterministic cost count. */
  compute: number;
  /** Bytes of heap XS has allocated (chunks + slots) so far, for the whole machine. */
  allocate: number;
  currentHeapCount: number;
}

export interface XsDelivery {
  /** The bytes of the result when the evaluated code returned an ArrayBuffer, else empty. */
  reply: Uint8Array;
  meter: XsMeter;
  /** Lines passed to the shim's print() during this delivery. */
  printed: string[];
}

export interface XsOptions {
  /** Kill the worker when one delivery spends more computrons than this (xsnap `-l`). */
  meteringLimit?: number;
  /** Kill the worker when one delivery takes longer than this (default 60 s). */
  timeoutMs?: number;
  /** Answers issueCommand() calls from XS that are not print(); the default answers empty. */
  onCommand?: (message: Uint8Array) => Uint8Array | string | void;
  /** Install the print() shim (default true). */
  shim?: boolean;
}

export interface XsWorker {
  /** Evaluates a script in XS's global scope; rejects with the XS error message if it throws. */
  evaluate(code: string): Promise<XsDelivery>;
  /** Sends bytes to globalThis.handleCommand inside XS (which must be defined). */
  issueCommand(message: Uint8Array | string): Promise<XsDelivery>;
  /** Every line printed since the worker started. */
  readonly printed: string[];
  /** Whatever the worker wrote to stdout and stderr (XS reports unhandled promise rejections there). */
  readonly stderr: string;
  /** Quits the worker; kills it if it does not exit promptly. Safe to call twice. */
  close(): Promise<void>;
}

// print() inside XS: xsnap-worker's native print writes to stdout with a meter
// prefix and no link to the delivery, so the shim sends each line to the host
// as an issueCommand() whose first byte is 0 (other commands go to onCommand).
export const XS_SHIM = `(function () {
  var send = globalThis.issueCommand;
  var encoder = new TextEncoder();
  globalThis.print = function () {
    var parts = [];
    for (var i = 0; i < arguments.length; i++) parts.push(String(arguments[i]));
    var text = encoder.encode(parts.join(' '));
    var message = new Uint8Array(text.length + 1);
    message.set(text, 1);
    send(message.buffer);
  };
})();`;

const PRINT_TAG = 0;

/** Reads netstrings from a stream, one complete message per callback. */
function readNetstrings(stream: Readable, onMessage: (message: Buffer) => void, onError: (error: Error) => void): void {
  let pending: Buffer = Buffer.alloc(0);
  stream.on('data', (chunk: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    for (;;) {
      const colon = pending.indexOf(0x3a);
      if (colon < 0) {
        if (pending.length > 10) onError(new Error('xsnap protocol error: netstring length prefix too long'));
        return;
      }
      const length = Number(pending.subarray(0, colon).toString('latin1'));
      if (!Number.isInteger(length) || colon === 0) {
        onError(new Error('xsnap protocol error: bad netstring length ' + JSON.stringify(pending.subarray(0, colon).toString('latin1'))));
        return;
      }
      const end = colon + 1 + length;
      if (pending.length < end + 1) return;
      if (pending[end] !== 0x2c) {
        onError(new Error('xsnap protocol error: netstring without trailing comma'));
        return;
      }
      onMessage(pending.subarray(colon + 1, end));
      pending = pending.subarray(end + 1);
    }
  });
}

function netstring(...parts: Uint8Array[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from(body.length + ':'), body, Buffer.from(',')]);
}

function toBytes(message: Uint8Array | string): Uint8Array {
  return typeof message === 'string' ? Buffer.from(message, 'utf8') : message;
}

interface Pending {
  resolve: (delivery: XsDelivery) => void;
  reject: (error: Error) => void;
  printed: string[];
  timer: NodeJS.Timeout;
}

/** Starts an XS worker with the print() shim installed. Rejects if the binary is missing. */
export async function startXs(options: XsOptions = {}): Promise<XsWorker> {
  if (!XSNAP_WORKER || !existsSync(XSNAP_WORKER)) {
    throw new Error(`xsnap-worker not found at ${XSNAP_WORKER || '(no @agoric/xsnap in node_modules)'}: ${HOW_TO_FIX}`);
  }
  const timeoutMs = options.timeoutMs ?? 60000;
  const args = ['totp-token-xs'];
  if (options.meteringLimit) args.push('-l', String(options.meteringLimit));
  const child: ChildProcess = spawn(XSNAP_WORKER, args, {
    stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
  });
  const toXs = child.stdio[3] as Writable;
  const fromXs = child.stdio[4] as Readable;
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  child.stdout!.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  toXs.on('error', () => { /* EPIPE after the worker died: reported by 'exit' */ });

  const printed: string[] = [];
  let current: Pending | undefined;
  let dead: Error | undefined;

  const fail = (error: Error) => {
    if (!dead) dead = error;
    child.kill('SIGKILL');
    if (current) {
      clearTimeout(current.timer);
      current.reject(error);
      current = undefined;
    }
  };

  child.on('error', (e) => fail(new Error(`cannot start xsnap-worker: ${e.message}`)));
  child.on('exit', (code, signal) => {
    const why = signal ? `signal ${signal}` : `exit ${code}: ${EXIT_MEANING[code!] ?? 'unknown error'}`;
    const tail = stderr.trim() ? `; stderr: ${stderr.trim().slice(-500)}` : '';
    fail(new Error(`XS worker died (${why})${tail}`));
  });

  readNetstrings(fromXs, (message) => {
    const kind = message[0];
    if (kind === 0x3f /* ? */) {
      // issueCommand() from XS: it blocks until we answer with `/`.
      const body = message.subarray(1);
      let answer: Uint8Array = new Uint8Array(0);
      if (body[0] === PRINT_TAG) {
        const line = body.subarray(1).toString('utf8');
        printed.push(line);
        current?.printed.push(line);
      } else if (options.onCommand) {
        try {
          answer = toBytes(options.onCommand(new Uint8Array(body)) ?? new Uint8Array(0));
        } catch (e) {
          return fail(new Error(`onCommand threw: ${(e as Error).message}`));
        }
      }
      toXs.write(netstring(Buffer.from('/'), answer));
      return;
    }
    if (!current) return fail(new Error(`xsnap protocol error: unexpected message ${JSON.stringify(message.toString('latin1').slice(0, 80))}`));
    const pending = current;
    current = undefined;
    clearTimeout(pending.timer);
    if (kind === 0x2e /* . */) {
      const separator = message.indexOf(1, 1);
      const meter = separator > 0 ? JSON.parse(message.subarray(1, separator).toString('utf8')) : {};
      pending.resolve({
        reply: new Uint8Array(message.subarray(separator > 0 ? separator + 1 : 1)),
        meter: { compute: meter.compute ?? NaN, allocate: meter.allocate ?? NaN, currentHeapCount: meter.currentHeapCount ?? NaN },
        printed: pending.printed,
      });
    } else if (kind === 0x21 /* ! */) {
      const error = new Error(`XS threw: ${message.subarray(1).toString('utf8')}`) as Error & { printed?: string[] };
      error.printed = pending.printed;
      pending.reject(error);
    } else {
      fail(new Error(`xsnap protocol error: unknown reply ${JSON.stringify(message.toString('latin1').slice(0, 80))}`));
    }
  }, fail);

  // One delivery at a time: xsnap answers them strictly in order.
  let baton: Promise<unknown> = Promise.resolve();
  const deliver = (...parts: Uint8Array[]): Promise<XsDelivery> => {
    const run = baton.then(() => new Promise<XsDelivery>((resolve, reject) => {
      if (dead) return reject(dead);
      const timer = setTimeout(() => fail(new Error(`XS delivery took longer than ${timeoutMs} ms; worker killed`)), timeoutMs);
      current = { resolve, reject, printed: [], timer };
      toXs.write(netstring(...parts));
    }));
    baton = run.catch(() => undefined);
    return run;
  };

  let closed: Promise<void> | undefined;
  const worker: XsWorker = {
    evaluate: (code) => deliver(Buffer.from('e'), Buffer.from(code, 'utf8')),
    issueCommand: (message) => deliver(Buffer.from('?'), toBytes(message)),
    printed,
    get stderr() { return stderr; },
    close() {
      closed ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        dead ??= new Error('XS worker closed');
        const kill = setTimeout(() => child.kill('SIGKILL'), 2000);
        child.once('exit', () => { clearTimeout(kill); resolve(); });
        toXs.end(netstring(Buffer.from('q')));
      });
      return closed;
    },
  };

  // `R` answers as soon as the machine exists: this is the start-up cost.
  try {
    await deliver(Buffer.from('R'));
    if (options.shim !== false) await worker.evaluate(XS_SHIM);
  } catch (e) {
    await worker.close();
    throw e;
  }
  return worker;
}
