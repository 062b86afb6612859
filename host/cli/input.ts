// Reading keys and confirmations from the user: all of piped stdin, a
// hidden prompt on a terminal (nothing echoed, nothing in shell history),
// and a typed confirmation for destructive commands.
import { createInterface } from 'node:readline';
import { usage } from './context.ts';

export function stdinIsTty(): boolean {
  return !!process.stdin.isTTY;
}

/** All of stdin as UTF-8 (piped input: a URI or key from a password manager, a file...). */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const buf = Buffer.concat(chunks);
  const text = buf.toString('utf8');
  buf.fill(0);
  for (const c of chunks) c.fill(0);
  return text;
}

/**
 * Prompt on stderr and read one line from the terminal without echoing it.
 * Echo goes off (raw mode) BEFORE the prompt is written: an answer typed or
 * pasted the instant the prompt appears (a password manager, expect) would
 * otherwise reach the terminal while it still echoes, and be shown.
 */
export function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    let typed = '';
    const done = (err: Error | null): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(typed);
    };
    const onData = (d: Buffer): void => {
      for (const ch of d.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done(null);
        if (ch === '\u0003') return done(usage('cancelled'));
        if (ch === '\u0004') return done(null);
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else if (ch >= ' ') typed += ch;
      }
    };
    stdin.setRawMode(true);
    stdin.on('data', onData);
    stdin.resume();
    process.stderr.write(question);
  });
}

/** Ask on the terminal for an exact word (e.g. 'wipe') before a destructive command. */
export async function confirmTyped(question: string, word: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await new Promise<string>((resolve) => rl.question(question, resolve));
    return answer.trim() === word;
  } finally {
    rl.close();
  }
}
