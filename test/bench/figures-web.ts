// The web page's size figures (host/tools/build-web.ts): what the first load
// fetches, gzipped, against its 100 KB budget, and what loads only when used.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildWeb, FIRST_LOAD_BUDGET_GZIP } from '../../host/tools/build-web.ts';

export async function printFigures(section: (title: string) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'totp-web-bench-'));
  try {
    const size = await buildWeb(dir);
    section('web page (dist/web), JavaScript gzipped');
    console.log(`first load: ${size.firstLoadGzip} bytes (budget ${FIRST_LOAD_BUDGET_GZIP})`);
    const first = new Set(size.firstLoadFiles.map((f) => f.split('/').pop()));
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.js') && !first.has(n) && !n.startsWith('chunk-'))) {
      console.log(`loaded when used: ${f.replace(/-[A-Z0-9]{8}\.js$/, '.js')} ${gzipSync(readFileSync(join(dir, f)), { level: 9 }).length} bytes`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
