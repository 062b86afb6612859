// Builds what gets copied to the Pi: one Node bundle of the token (app,
// protocol, this port) and a package.json naming what the Pi installs beside
// it (johnny-five, raspi-io, serialport) and which of their install scripts
// may run there.
//   npx tsx firmware/ports/johnny-five/build.ts [outDir]   (default dist/rpi-zero-lcd1602)
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * What `npm install` on the Pi reads. Three addons compile there: pigpio and
 * i2c-bus (raspi-io's GPIO and I2C) and raspi-serial's serialport 8, which
 * raspi-io loads even with its UART off. The raspi-* packages' own install
 * scripts would run `sudo apt-get install pigpio` and rewrite
 * /boot/config.txt: denied, the README's steps do both explicitly.
 */
export const PI_PACKAGE = {
  name: 'totp-token-rpi',
  private: true,
  type: 'module',
  scripts: { start: 'node token.mjs' },
  dependencies: { 'johnny-five': '2.1.0', 'raspi-io': '^11.0.0', serialport: '^13.0.0' },
  // johnny-five's own (optional) serialport 8 is only for Firmata boards: give it ours.
  overrides: { 'johnny-five': { serialport: '$serialport' } },
  engines: { node: '>=20.9' },
  allowScripts: {
    pigpio: true,
    'i2c-bus': true,
    '@serialport/bindings': true,
    '@serialport/bindings-cpp': false, // ships an armv6 prebuild
    serialport: false, // a thank-you message
    'raspi-gpio': false,
    'raspi-soft-pwm': false,
    'raspi-i2c': false,
  },
};

export async function buildPiBundle(outDir: string): Promise<{ file: string; bytes: number }> {
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, 'token.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./main.ts', import.meta.url))],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['johnny-five', 'raspi-io', 'serialport', '@serialport/*'],
    banner: { js: '#!/usr/bin/env node' },
    logLevel: 'warning',
  });
  writeFileSync(join(outDir, 'package.json'), JSON.stringify(PI_PACKAGE, null, 2) + '\n');
  return { file, bytes: statSync(file).size };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = await buildPiBundle(process.argv[2] ?? 'dist/rpi-zero-lcd1602');
  console.log(`${out.file}\t${out.bytes} bytes`);
}
