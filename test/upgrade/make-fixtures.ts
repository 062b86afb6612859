// Makes test/upgrade/fixtures/*.json: the storage a token holds after being
// used by firmware 0.1 as of commit aa03bcd (the layout before the checked
// storage: one accounts slot, clock and password as bare JSON), for the
// upgrade tests. It runs THAT commit's own code, not this one's:
//
//   git archive aa03bcd | tar -x -C /tmp/tt-aa03bcd
//   ln -s "$PWD/node_modules" /tmp/tt-aa03bcd/node_modules
//   npx tsx test/upgrade/make-fixtures.ts /tmp/tt-aa03bcd
//
// - sim.json: the simulator (firmware/ports/node/sim-token.ts on a TCP link,
//   driven by that commit's host TokenClient), its state folder's files;
// - espruino.json: the ESP32 Espruino bundle built from that commit, booted
//   in that commit's harness (test/espruino/harness.ts), driven with frames;
//   its Storage files.
// Both: two accounts, one clock sync, and the USB password FIXTURE.password.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FIXTURE } from './fixture-spec.ts';

const old = process.argv[2];
if (!old) throw new Error('usage: make-fixtures.ts <checkout of aa03bcd>');
const from = (p: string) => import(pathToFileURL(join(old, p)).href);
const out = (name: string, data: object) => writeFileSync(new URL(`./fixtures/${name}`, import.meta.url), JSON.stringify(data, null, 1) + '\n');

async function simFixture(): Promise<void> {
  const { startSimToken } = await from('firmware/ports/node/sim-token.ts');
  const { openTransport } = await from('host/lib/transport/index.ts');
  const { TokenClient } = await from('host/lib/client.ts');
  const stateDir = mkdtempSync(join(tmpdir(), 'tt-fixture-sim-'));
  const sim = await startSimToken({ stateDir, link: 'tcp', timeSource: () => FIXTURE.madeAtMs });
  const client = new TokenClient(await openTransport(sim.address));
  const press = () => setTimeout(() => sim.press('confirm'), 10);
  await client.hello();
  await client.timeSet(FIXTURE.madeAtMs);
  for (const a of FIXTURE.accounts) await client.add({ ...a, secret: Buffer.from(a.secretHex, 'hex') });
  await client.hello();
  await client.setPassword(FIXTURE.password, press);
  await client.close();
  await sim.close();
  const files: Record<string, string> = {};
  for (const name of readdirSync(join(stateDir, 'storage'))) files['storage/' + name] = readFileSync(join(stateDir, 'storage', name), 'latin1');
  files['clock.json'] = readFileSync(join(stateDir, 'clock.json'), 'latin1');
  out('sim.json', { madeBy: 'aa03bcd firmware/ports/node/sim-token.ts', files });
}

async function espruinoFixture(): Promise<void> {
  const { bundleEntry, EspruinoVm, newFlash } = await from('test/espruino/harness.ts');
  const { encodeFrame, createFrameReader } = await from('protocol/frame.ts');
  const { COMMANDS, encodeRequest, decodeReply } = await from('protocol/messages.ts');
  const { deriveAccessKey } = await from('host/lib/access.ts');
  const code = await bundleEntry(join(old, 'firmware/ports/espruino/esp32-ssd1306.ts'));
  const flash = newFlash(FIXTURE.madeAtMs);
  const vm = new EspruinoVm({ flash, font6x8: true }).boot(code);
  const replies: { status: number; fields: Record<string, unknown> }[] = [];
  const reader = createFrameReader('<', (b: Uint8Array) => replies.push(decodeReply(b)), () => {});
  let seen = 0;
  let id = 1;
  const send = (command: number, fields: object) => {
    vm.send(encodeFrame('>', encodeRequest({ id: id++, command, fields })), 'Serial1');
    reader.push(vm.written.Serial1.slice(seen));
    seen = vm.written.Serial1.length;
    return replies[replies.length - 1];
  };
  const must = (r: { status: number; fields: Record<string, unknown> }) => {
    if (r.status !== 0) throw new Error('old token refused: ' + JSON.stringify(r.fields));
    return r;
  };
  must(send(COMMANDS.TIME_SET, { timeMs: FIXTURE.madeAtMs }));
  for (const a of FIXTURE.accounts) must(send(COMMANDS.ADD, { name: a.name, issuer: a.issuer, algorithm: ['', 'SHA1', 'SHA256', 'SHA512'].indexOf(a.algorithm), digits: a.digits, period: a.period, secret: Buffer.from(a.secretHex, 'hex') }));
  const hello = must(send(COMMANDS.HELLO, {}));
  const key = await deriveAccessKey(FIXTURE.password, hello.fields.salt, hello.fields.iterations);
  send(COMMANDS.SET_PASSWORD, { accessKey: key });
  vm.press('D13', 1500); // the ESP32 board's one button, held: confirm
  reader.push(vm.written.Serial1.slice(seen));
  must(replies[replies.length - 1]);
  const files: Record<string, string> = {};
  for (const [k, v] of flash.files) if (k !== '.bootcde') files[k] = v;
  out('espruino.json', { madeBy: 'aa03bcd firmware/ports/espruino/esp32-ssd1306.ts in aa03bcd test/espruino/harness.ts', files });
}

await simFixture();
await espruinoFixture();
console.log('fixtures written');
