// Figures over the real link (issue 3): add+verify latency over the pty to the
// simulator, bytes on the wire per add, round trips per CLI command, CLI start time.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimToken } from '../../firmware/ports/node/sim-token.ts';
import { hasSocat } from '../../firmware/ports/node/serial-links.ts';
import { TokenClient } from '../../host/lib/client.ts';
import { openTransport } from '../../host/lib/transport/index.ts';
import { encodeFrame, REPLY_MARKER, REQUEST_MARKER } from '../../protocol/frame.ts';
import { COMMANDS, encodeReply, encodeRequest } from '../../protocol/messages.ts';
import { base32Encode } from '../../protocol/base32.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)];

export async function printFigures(section: (t: string) => void): Promise<void> {
  section('wire bytes per ADD (request line + reply line) by seed size');
  for (const n of [10, 20, 32, 40, 64]) {
    const req = encodeFrame(REQUEST_MARKER, encodeRequest({ id: 1, command: COMMANDS.ADD, fields: { name: 'root-account-mfa-device@123456789012', issuer: 'AWS', algorithm: 1, digits: 6, period: 30, secret: new Uint8Array(n) } }));
    const rep = encodeFrame(REPLY_MARKER, encodeReply({ id: 1, status: 0, fields: { check: new Uint8Array(8) } }));
    console.log(`seed ${String(n).padStart(2)} bytes: request ${req.length} B, reply ${rep.length} B (36-char name, 3-char issuer)`);
  }

  const link = hasSocat() ? 'pty' : 'tcp';
  const sim = await startSimToken({ stateDir: mkdtempSync(join(tmpdir(), 'bench-sim-')), link, slots: 250 });
  const client = new TokenClient(await openTransport(sim.address));
  await client.hello();
  await client.syncTime();
  const times: number[] = [];
  for (let i = 0; i < 200; i++) {
    const secret = new Uint8Array(randomBytes(40));
    const t0 = performance.now();
    await client.add({ name: 'bench-' + i, issuer: 'Bench', algorithm: 'SHA1', digits: 6, period: 30, secret });
    await client.keyCheck('bench-' + i);
    times.push(performance.now() - t0);
  }
  const rtt: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    await client.timeGet();
    rtt.push(performance.now() - t0);
  }
  // Sync accuracy: after a sync, how far the token's clock is from the host's,
  // judged at the midpoint of each TIME_GET round trip.
  const syncs: number[] = [];
  for (let k = 0; k < 20; k++) {
    await client.syncTime();
    const t0 = Date.now();
    const c = await client.timeGet();
    const t1 = Date.now();
    syncs.push(Math.abs(c.timeMs! - (t0 + t1) / 2));
  }
  await client.close();
  section(`link to the simulator over a ${link}`);
  console.log(`clock after 'time sync': median |offset| ${median(syncs).toFixed(1)} ms, worst ${Math.max(...syncs).toFixed(1)} ms over 20 syncs (1 ms resolution)`);
  console.log(`add (verified key check) + KEY_CHECK: median ${median(times).toFixed(2)} ms, p90 ${p90(times).toFixed(2)} ms over 200`);
  console.log(`one round trip (TIME_GET): median ${median(rtt).toFixed(2)} ms over 200`);

  // Round trips per CLI command: count the reply frames the token sends per run.
  section('round trips per CLI command (reply frames counted on the token; HELLO included)');
  let replies = 0;
  const counting = await startSimToken({ stateDir: mkdtempSync(join(tmpdir(), 'bench-sim-')), link, traceOut: (t) => (replies += (t.match(/</g) ?? []).length) });
  // Asynchronous: the simulator runs in this process and must keep answering.
  const cli = (args: string[], input = '') =>
    new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['dist/totp-token.cjs', ...args, '--port', counting.address]);
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.stdin.end(input);
      child.on('close', (status) => resolve({ status, stderr }));
    });
  const runs: [string, string[], string][] = [
    ['info', ['info'], ''],
    ['time sync', ['time', 'sync'], ''],
    ['add (stdin base32)', ['add', '--name', 'x'], base32Encode(new Uint8Array(randomBytes(40)))],
    ['list (1 account)', ['list'], ''],
    ['verify', ['verify', 'x'], ''],
  ];
  for (const [label, args, input] of runs) {
    replies = 0;
    const r = await cli(args, input);
    console.log(`${label.padEnd(20)} ${replies} round trips${r.status === 0 ? '' : ` (exit ${r.status}: ${r.stderr.trim()})`}`);
  }
  await counting.close();
  await sim.close();

  section('CLI start time: node dist/totp-token.cjs --version (the bin)');
  const starts: number[] = [];
  for (let i = 0; i < 15; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, ['dist/totp-token.cjs', '--version']);
    starts.push(performance.now() - t0);
  }
  console.log(`median ${median(starts).toFixed(1)} ms over 15 runs`);
}
