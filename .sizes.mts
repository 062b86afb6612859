import { build } from 'esbuild';
import { espruinoBuildOptions } from '/work/main/host/lib/build/esbuild-firmware.ts';
for (const b of ['pico-ssd1306', 'esp32-ssd1306']) {
  const r = await build({ ...espruinoBuildOptions(`/work/main/firmware/ports/espruino/${b}.ts`, `/tmp/out-${b}.js`, true), metafile: true, write: true });
  const o = Object.values(r.metafile!.outputs)[0];
  console.log(b, o.bytes);
  const rows = Object.entries(o.inputs).map(([k, v]) => [v.bytesInOutput, k] as const).sort((a, b) => b[0] - a[0]);
  for (const [n, k] of rows) console.log(String(n).padStart(6), k);
}
