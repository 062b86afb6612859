// The web page's size figures (host/tools/build-web.ts): what the first load
// fetches, gzipped, against its 100 KB budget, and what loads only when used.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildWeb, FIRST_LOAD_BUDGET_GZIP } from '../../host/tools/build-web.ts';

export async function printFigures(section: (title: string) => void, figure: (name: string, value: string) => void = () => {}): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'totp-web-bench-'));
  try {
    const size = await buildWeb(dir);
    section('web page (dist/web), JavaScript gzipped');
    console.log(`first load: ${size.firstLoadGzip} bytes (budget ${FIRST_LOAD_BUDGET_GZIP})`);
    figure('web page, first load of JavaScript (gzipped)', `${size.firstLoadGzip.toLocaleString('en-US')} B (budget ${FIRST_LOAD_BUDGET_GZIP.toLocaleString('en-US')} B)`);
    for (const l of size.lazy.sort((x, y) => y.gzip - x.gzip)) console.log(`loaded when used: ${l.name} adds ${l.gzip} bytes`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
