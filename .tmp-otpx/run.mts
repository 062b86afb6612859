import { readFileSync } from 'node:fs';
import { startXs } from '/work/main/test/helpers/xs-engine.ts';
const w = await startXs();
try {
  await w.evaluate(readFileSync('/work/main/.tmp-otpx/out.js','utf8'));
  const r = await w.evaluate('otpOnce()');
  console.log(r.printed, r.meter);
  const r2 = await w.evaluate('otpOnce()');
  console.log(r2.printed, r2.meter);
} catch (e) { console.log('ERR', (e as Error).message); }
await w.close();
