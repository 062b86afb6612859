// Runs a script on the real Espruino interpreter when ESPRUINO_BIN names one
// (its Linux build; see test/espruino/README.md). Storage lives in
// ./espruino.flash, so each run gets a fresh working directory.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

export const ESPRUINO_BIN = process.env.ESPRUINO_BIN ?? '';
export const ESPRUINO_SKIP_REASON = 'ESPRUINO_BIN is not set: skipping the suites that run bundles on the real Espruino interpreter';

export function runOnEspruino(scriptPath: string, timeoutMs = 120000): { stdout: string; status: number | null } {
  const dir = mkdtempSync(join(tmpdir(), 'espruino-run-'));
  const local = join(dir, basename(scriptPath));
  copyFileSync(scriptPath, local);
  const r = spawnSync(ESPRUINO_BIN, [basename(local)], { cwd: dir, encoding: 'latin1', timeout: timeoutMs, stdio: ['pipe', 'pipe', 'pipe'] });
  return { stdout: r.stdout ?? '', status: r.status };
}
