// Builds what ships: the CLI as one fast-starting file, and the firmware
// bundles for every board (checked by the Espruino-subset check afterwards).
import { mkdirSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { build } from 'esbuild';
import { buildAllFirmware } from '../lib/build/boards-build.ts';

async function buildCli(): Promise<void> {
  if (!existsSync('host/cli/main.ts')) return;
  mkdirSync('dist', { recursive: true });
  await build({
    entryPoints: ['host/cli/main.ts'],
    outfile: 'dist/totp-token.mjs',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // serialport loads a native addon; it stays a normal dependency.
    // @aws-sdk/client-iam (enroll --iam) is an optional peer, loaded only when used.
    external: ['serialport', '@serialport/*', '@aws-sdk/*'],
    banner: { js: "#!/usr/bin/env node\nimport { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'warning',
  });
}

await buildCli();
const sizes = await buildAllFirmware('dist');
if (process.argv.includes('--verbose')) for (const s of sizes) console.log(`${s.file}\t${s.bytes} bytes`);
if (existsSync('host/web/main.ts')) console.log(`web: first load ${(await (await import('./build-web.ts')).buildWeb('dist/web')).firstLoadGzip} B of JavaScript gzipped (budget 102400)`);
