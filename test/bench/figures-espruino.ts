// Espruino figures: each board's bundle as stored on the board (pretokenised,
// what the flasher writes) against the budget, and as minified text (bytes per
// module after terser), and, on the real interpreter (ESPRUINO_BIN), the time
// per HOTP with the native SHA1 against authentiwatch's HMAC in the same
// interpreter run. Authentiwatch (the Bangle.js 2FA app,
// github.com/espruino/BangleApps apps/authentiwatch/app.js) is not in this
// repository: AUTHENTIWATCH_JS names a copy of that file, and its `algos`
// table and hmac() are cut out of it and run unchanged.
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESPRUINO_BUDGET_BYTES } from '../../host/lib/build/boards-build.ts';
import { espruinoBundleReport, espruinoStoredForm } from '../../host/lib/build/esbuild-firmware.ts';
import { formatModuleBytes } from '../../host/lib/build/size-report.ts';
import { BOARDS } from '../../boards/index.ts';
import { bundleEntry } from '../espruino/harness.ts';
import { ESPRUINO_BIN, ESPRUINO_SKIP_REASON, runOnEspruino } from '../helpers/espruino-bin.ts';
import type { FigureSink } from './figures.ts';
import { formatSpread, spread } from './stats.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const RFC4226_HOTP_1 = '287082'; // RFC 4226 Appendix D, count 1

/** authentiwatch's hash table and hmac(), as `var authentiwatchHmac`, or null without AUTHENTIWATCH_JS. */
export function authentiwatchPrelude(): { js: string; appBytes: number } | null {
  const file = process.env.AUTHENTIWATCH_JS;
  if (!file) return null;
  const app = readFileSync(file, 'latin1');
  const from = app.indexOf('const crypto = require("crypto");');
  const algosEnd = app.indexOf('};', app.indexOf('const algos')) + 2;
  const fn = app.indexOf('function hmac(');
  const fnEnd = app.indexOf('function formatOtp');
  if (from < 0 || algosEnd < 2 || fn < 0 || fnEnd < 0) throw new Error(`${file}: no algos table and hmac() where authentiwatch's app.js has them`);
  return { js: `var authentiwatchHmac = (function () {\n${app.slice(from, algosEnd)}\n${app.slice(fn, fnEnd)}\nreturn hmac;\n})();\n`, appBytes: Buffer.byteLength(app) };
}

export async function printFigures(section: (title: string) => void, figure: FigureSink): Promise<void> {
  section('Espruino bundles: bytes per board as stored (pretokenised, what the flasher writes) against the budget, as minified text, and per module after terser (text and stored)');
  for (const board of BOARDS) {
    if (board.runtime !== 'espruino' || !board.firmwareEntry) continue;
    const r = await espruinoBundleReport(join(root, board.firmwareEntry));
    const stored = r.storedBytes;
    const room = ESPRUINO_BUDGET_BYTES - stored;
    console.log(`${board.id}: ${stored} bytes as stored on the board, ${r.bytes} bytes minified text; ${room} under the ${ESPRUINO_BUDGET_BYTES}-byte budget (stored bytes)`);
    figure(`Espruino bundle, ${board.id}`, `${stored.toLocaleString('en')} B as stored (pretokenised; ${r.bytes.toLocaleString('en')} B minified text), ${room.toLocaleString('en')} B under the ${ESPRUINO_BUDGET_BYTES.toLocaleString('en')} B budget`);
    if (board.id === 'espruino-esp32-ssd1306') for (const line of formatModuleBytes(r.modules, r.storedModules)) console.log('  ' + line);
  }
  const aw = authentiwatchPrelude();
  if (aw) console.log(`authentiwatch app.js (anchor): ${aw.appBytes} bytes as text, ${espruinoStoredForm(readFileSync(process.env.AUTHENTIWATCH_JS!, 'latin1')).length} pretokenised the same way (the Bangle.js app loader pretokenises uploads)`);

  section('ms per HOTP on the real Espruino interpreter, native SHA1 (RFC 4226 key, 200 HOTPs per run; both pretokenised)');
  if (!ESPRUINO_BIN) {
    console.log('skipped: ' + ESPRUINO_SKIP_REASON);
    return;
  }
  if (!aw) console.log('authentiwatch: skipped (AUTHENTIWATCH_JS is not set; point it at apps/authentiwatch/app.js of github.com/espruino/BangleApps)');
  const dir = mkdtempSync(join(tmpdir(), 'tt-hmac-bench-'));
  const script = join(dir, 'hmac-bench.js');
  // Pretokenised as a board stores it (and as the Bangle.js app loader stores authentiwatch): both run as shipped.
  writeFileSync(script, espruinoStoredForm((aw ? aw.js : '') + (await bundleEntry(join(root, 'test/espruino/hmac-bench-entry.ts')))), 'latin1');
  const { stdout } = runOnEspruino(script);
  if (!/HMACBENCH done/.test(stdout)) throw new Error('the HMAC bench did not finish; output:\n' + stdout.slice(-1500));
  for (const m of stdout.matchAll(/CHECK (\S+) (\d+)/g)) {
    if (m[2] !== RFC4226_HOTP_1) throw new Error(`${m[1]} computed ${m[2]} for RFC 4226's count 1, not ${RFC4226_HOTP_1}`);
  }
  const runs: { [who: string]: number[] } = {};
  for (const m of stdout.matchAll(/HMACBENCH (ours|authentiwatch) ([\d.]+)/g)) (runs[m[1]] ??= []).push(Number(m[2]));
  const ours = spread(runs.ours);
  console.log(`ours (hotpChecked, whole HOTP):        ${formatSpread(ours, 3, ' ms')}`);
  if (runs.authentiwatch) {
    const theirs = spread(runs.authentiwatch);
    console.log(`authentiwatch hmac() (HMAC + truncate): ${formatSpread(theirs, 3, ' ms')}`);
    const ratio = ours.median / theirs.median;
    console.log(`ours / authentiwatch: ${ratio.toFixed(2)}x (medians)`);
    figure('ms per HOTP, native SHA1, real Espruino interpreter', `${ours.median.toFixed(3)} ms, ${ratio.toFixed(2)}x authentiwatch's HMAC (${theirs.median.toFixed(3)} ms) in the same run`);
  } else {
    figure('ms per HOTP, native SHA1, real Espruino interpreter', `${ours.median.toFixed(3)} ms`);
  }
}
