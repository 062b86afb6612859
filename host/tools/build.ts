// Builds what ships: the CLI (an entry that starts fast, chunks per command), and the firmware
// bundles for every board (checked by the Espruino-subset check afterwards).
import { existsSync } from 'node:fs';
import { buildAllFirmware, printEspruinoSizeReport } from '../lib/build/boards-build.ts';
import { buildFirmwareBundle } from '../lib/build/esbuild-firmware.ts';
import { MIGRATION_SCRIPT } from '../lib/flash/firmware-bundle.ts';

// The CLI: a tiny entry plus code-split chunks, one per command (cli-bundle.ts).
async function buildCli(): Promise<void> {
  if (!existsSync('host/cli/main.ts')) return;
  await (await import('./cli-bundle.ts')).buildCli('dist');
}

await buildCli();
const sizes = await buildAllFirmware('dist');
// The one-shot storage migration `totp-token flash` runs over an Espruino REPL (host/lib/flash/espruino-migrate.ts): never stored on a board.
await buildFirmwareBundle('firmware/migrate-espruino.ts', MIGRATION_SCRIPT, true);
if (process.argv.includes('--verbose')) {
  for (const s of sizes) console.log(`${s.file}\t${s.bytes} bytes` + (s.storedBytes === undefined ? '' : ` (text); ${s.storedBytes} bytes as stored on the board (pretokenised)`));
  await printEspruinoSizeReport(console.log);
}
if (existsSync('host/web/main.ts')) console.log(`web: first load ${(await (await import('./build-web.ts')).buildWeb('dist/web')).firstLoadGzip} B of JavaScript gzipped (budget 102400)`);
