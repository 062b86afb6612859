// Debian's python3-pskc (Arthur de Jong's python-pskc) as an independent
// PSKC implementation. .ci/run installs it; here a missing one is installed
// when apt-get can (root), else the suites that need it skip and say why.
import { execFileSync, spawnSync } from 'node:child_process';

function hasPskc(python: string): boolean {
  return spawnSync(python, ['-c', 'import pskc'], { stdio: 'ignore' }).status === 0;
}

function find(): string | null {
  // Debian's package installs for the system python, which a pyenv or venv python3 on PATH does not see.
  for (const p of ['/usr/bin/python3', 'python3']) if (hasPskc(p)) return p;
  return null;
}

function tryInstall(): void {
  if (process.getuid?.() !== 0 || spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status !== 0) return;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => spawnSync('apt-get', ['install', '-y', '-qq', 'python3-pskc'], { stdio: 'ignore', env, timeout: 300_000 }).status === 0;
  if (!install()) {
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env, timeout: 300_000 });
    install();
  }
}

let cached: string | null | undefined;

/** A python interpreter that can `import pskc`, installing python3-pskc if possible; null if not. */
export function pythonWithPskc(): string | null {
  if (cached !== undefined) return cached;
  cached = find();
  if (cached === null) {
    tryInstall();
    cached = find();
  }
  if (cached === null) console.warn('python3-pskc is not installed and could not be installed (apt-get install python3-pskc): skipping the independent PSKC reader checks');
  return cached;
}

/** Run a python snippet with pskc available; returns stdout. */
export function runPython(python: string, script: string, args: string[] = [], input?: string): string {
  return execFileSync(python, ['-c', script, ...args], { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
}
