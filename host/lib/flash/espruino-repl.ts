// A session with Espruino's REPL over any Transport: the protocol the
// Espruino IDE speaks, reduced to what a flasher needs. Ctrl-C clears the
// input line; a line starting with 0x10 (DLE) is not echoed and its result
// not printed, so the only output is what the line print()s. Every command
// prints a tag built at run time ("TT"+"W"), so an echo of the command
// (a REPL that ignores DLE) can never be mistaken for its answer.
import { TokenError } from '../errors.ts';
import type { Transport } from '../transport/transport.ts';

export const CTRL_C = '\x03';
export const DLE = '\x10';

export class EspruinoRepl {
  private received = '';
  private waiters: (() => void)[] = [];
  private closed = false;

  constructor(readonly transport: Transport) {
    transport.onData((chunk) => {
      this.received += chunk;
      this.wake();
    });
    transport.onClose(() => {
      this.closed = true;
      this.wake();
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** What arrived and was not consumed yet (for error messages). */
  pending(): string {
    return this.received;
  }

  /** Forget what arrived so far. */
  discard(): void {
    this.received = '';
  }

  write(data: string): Promise<void> {
    return this.transport.write(data);
  }

  /** Send one statement with echo off. It must print `tag` and what follows on one line. */
  async command(js: string, tag: string, timeoutMs: number): Promise<string> {
    await this.transport.write(DLE + js + '\n');
    const m = await this.expect(new RegExp('(?:^|[\\r\\n>])' + tag + ' ?([^\\r\\n]*)\\r?\\n|Uncaught ([^\\r\\n]*)'), timeoutMs);
    if (!m) {
      const heard = excerpt(this.received, 80);
      throw new TokenError('FLASH_TIMEOUT', `no answer from the Espruino REPL within ${timeoutMs / 1000} s (to ${describeCommand(js)}); ${heard ? `it said: ${heard}` : 'it said nothing'}`);
    }
    if (m[2] !== undefined) throw new TokenError('FLASH_DEVICE', `the Espruino REPL reported: ${m[2].trim()} (running ${describeCommand(js)})`);
    return m[1];
  }

  /** Wait until `pattern` matches what arrived; consumes up to the end of the match. Null on timeout. */
  async expect(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = pattern.exec(this.received);
      if (m) {
        this.received = this.received.slice(m.index + m[0].length);
        return m;
      }
      const left = deadline - Date.now();
      if (left <= 0 || this.closed) return null;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Wait for quiet: resolve after `ms` with nothing new arriving (at most `maxMs`). */
  async settle(ms: number, maxMs: number): Promise<void> {
    const end = Date.now() + maxMs;
    let seen = -1;
    while (Date.now() < end && seen !== this.received.length) {
      seen = this.received.length;
      await new Promise((r) => setTimeout(r, ms));
    }
  }
}

/** A command shortened for messages: never the data it carries. */
function describeCommand(js: string): string {
  return js.replace(/atob\("[^"]*"\)/g, 'atob(...)').slice(0, 80);
}

/** Printable excerpt of what a port sent, for "this is not Espruino" messages. */
export function excerpt(text: string, max = 120): string {
  const clean = text.replace(/[^\x20-\x7e]+/g, ' ').replace(/\s+/g, ' ').trim();
  return clean.length > max ? clean.slice(0, max) + '...' : clean;
}
