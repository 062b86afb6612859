// Bundles the core-vectors entry for a firmware runtime, with the two reference
// values it needs computed here by node:crypto (an independent implementation).
import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';
import { espruinoStoredForm, firmwareBuildOptions, minifiedEspruinoBuildOptions, squeezeForEspruino } from '../../host/lib/build/esbuild-firmware.ts';

function referenceHotp(key: Buffer, counter: number, digits: number): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(msg).digest();
  const o = mac[mac.length - 1] & 15;
  const bin = mac.readUInt32BE(o) & 0x7fffffff;
  return String(bin % 10 ** digits).padStart(digits, '0');
}

/**
 * `espruino`: through the shipped Espruino pipeline (esbuild with the Espruino
 * plugin - twins, tokenized text, shortened property names, short built-ins -
 * then terser, then pretokenised as the flasher stores it on a 2v29 board), so
 * the vectors run on the code a board gets. `plain`: esbuild
 * alone (XS, whose bundles are ES modules built by host/lib/moddable/bundle.ts).
 */
export async function bundleCoreVectors(entry: string, pipeline: 'espruino' | 'plain' = 'plain'): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'totp-core-'));
  const outfile = join(dir, 'core.js');
  const longKey = Buffer.from(Array.from({ length: 200 }, (_, i) => i));
  const define = {
    BIG_COUNTER_CODE: JSON.stringify(referenceHotp(Buffer.from('12345678901234567890'), 4294967297, 10)),
    LONG_KEY_HMAC_SHA1: JSON.stringify(createHmac('sha1', longKey).update('abc').digest('hex')),
    SHIPPED_PIPELINE: String(pipeline === 'espruino'),
  };
  if (pipeline === 'plain') {
    await build({ ...firmwareBuildOptions(entry, outfile, true), define });
    return outfile;
  }
  const options = await minifiedEspruinoBuildOptions(entry, outfile);
  const r = await build({ ...options, define: { ...options.define, ...define }, write: false });
  const text = Buffer.from(await squeezeForEspruino(r.outputFiles[0].text), 'utf8').toString('latin1');
  writeFileSync(outfile, espruinoStoredForm(text), 'latin1');
  return outfile;
}
