// Hidden prompts on a real pty (Python's pty module; node-pty is not
// available): the answer is written the instant the prompt appears, as a
// password manager or `expect` does, and must never show on the terminal.
// Before the fix the prompt was written first and echo turned off after, so
// a fast answer could be echoed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const figure7 = join(root, '..', 'shared', 'interop-data', 'pskc-corpus', 'tests', 'rfc6030', 'figure7.pskcxml');
const python = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import pty'], { stdio: 'ignore' }).status === 0);
const ready = python !== undefined && existsSync(figure7);
if (!ready) console.warn('hidden-prompt test skipped: needs python3 (pty module) and ../shared/interop-data');

describe.skipIf(!ready)('hidden prompt on a pty', () => {
  it('never echoes a password typed the instant the prompt appears', () => {
    const password = 'qwerty';
    for (let run = 0; run < 3; run++) {
      const r = spawnSync(python as string, [join(import.meta.dirname, 'helpers', 'pty-reply.py'), 'password \\(input hidden\\): ', password, process.execPath, '--import', 'tsx', join(root, 'host', 'cli', 'main.ts'), 'import', figure7, '--dry-run'], {
        encoding: 'utf8',
        cwd: root,
        timeout: 90_000,
      });
      const out = JSON.parse(r.stdout) as { output: string; code: number; answered: boolean };
      expect(out.answered).toBe(true);
      expect(out.output).toMatch(/1 account\(s\) in this pskc input/); // the password was read
      expect(out.output).not.toContain(password);
      expect(out.code).toBe(0);
    }
  }, 180_000);
});
