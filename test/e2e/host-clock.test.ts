// `time sync` asks this computer's OS whether its clock is synchronized
// (host/lib/host-clock.ts) and tells the token (TIME_SET field hostClock). The
// tools are faked on PATH so the answer is known, each after what the real one
// prints:
//  - systemd's timedatectl(1): `timedatectl show -p NTPSynchronized --value`
//    prints "yes" or "no"; without systemd as PID 1 (containers, this CI) it
//    prints "System has not been booted with systemd as init system (PID 1).
//    Can't operate." on stderr and exits 1.
//  - chronyc(1) `tracking`: a block of "Name : value" lines whose "Leap status"
//    reads "Normal" when synchronized and "Not synchronised" when not.
// What the token did with it is read back from its stored clock record: a sync
// the host cannot vouch for is an anchor with the 60 s error of
// firmware/clock.ts's UNVERIFIED_MS, a vouched one its round trip's.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkedStorage } from '../../firmware/checked-storage.ts';
import { fileStorage } from '../../firmware/ports/node/file-storage.ts';
import { latin1Text } from '../../protocol/latin1.ts';
import { cliForSuite, runCli, startSim, tempDir } from './harness.ts';
import type { Sim } from './harness.ts';

const cli = cliForSuite();
let sim: Sim;

beforeAll(async () => {
  sim = await startSim({ link: 'tcp' });
}, 60_000);

afterAll(async () => {
  await sim?.close();
});

const CHRONYC_TRACKING = (leap: string) =>
  [
    'Reference ID    : 00000000 ()',
    'Stratum         : 0',
    'Ref time (UTC)  : Thu Jan 01 00:00:00 1970',
    'System time     : 0.000000000 seconds fast of NTP time',
    'Last offset     : +0.000000000 seconds',
    'RMS offset      : 0.000000000 seconds',
    'Frequency       : 0.000 ppm slow',
    'Residual freq   : +0.000 ppm',
    'Skew            : 0.000 ppm',
    'Root delay      : 1.000000000 seconds',
    'Root dispersion : 1.000000000 seconds',
    'Update interval : 0.0 seconds',
    `Leap status     : ${leap}`,
    '',
  ].join('\n');

/** A folder with fake `timedatectl` and `chronyc` (a null answer: the tool behaves as without systemd / is missing). */
function fakeTools(timedatectl: string | null, chronycLeap: string | null): string {
  const dir = join(tempDir('hostclock'), 'bin');
  mkdirSync(dir);
  const script = (name: string, body: string) => {
    writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  };
  script(
    'timedatectl',
    timedatectl === null
      ? `echo "System has not been booted with systemd as init system (PID 1). Can't operate." >&2\necho "Failed to connect to bus: Host is down" >&2\nexit 1`
      : `[ "$*" = "show -p NTPSynchronized --value" ] || exit 1\necho ${timedatectl}`,
  );
  script('chronyc', chronycLeap === null ? 'echo "chronyc: command not found" >&2\nexit 127' : `[ "$1" = "tracking" ] || exit 1\ncat <<'EOF'\n${CHRONYC_TRACKING(chronycLeap)}EOF`);
  return dir;
}

/** The error (ms) of the newest anchor in the token's stored clock record. */
function lastAnchorErrorMs(): number {
  const rec = checkedStorage(fileStorage(join(sim.stateDir, 'storage'))).load('tt.clock', (v) => JSON.parse(latin1Text(v))) as { an: number[][] };
  return rec.an[rec.an.length - 1][2];
}

async function sync(bin: string, json: boolean) {
  const r = await runCli(cli, ['time', 'sync', '--port', sim.address, ...(json ? ['--json'] : [])], { env: { PATH: bin + delimiter + process.env.PATH } });
  expect(r.code, r.stderr).toBe(0);
  return r;
}

const NOTE = /this computer's clock is not synchronized \(NTP\)/;

describe.skipIf(process.platform !== 'linux')("time sync tells the token what the OS says of this computer's clock", () => {
  it('timedatectl says yes: hostClock synced, no note, the token takes the sync as an anchor of its round trip', async () => {
    const bin = fakeTools('yes', null);
    const r = await sync(bin, true);
    expect(JSON.parse(r.stdout).hostClock).toBe('synced');
    expect((await sync(bin, false)).stdout).not.toMatch(NOTE);
    expect(lastAnchorErrorMs()).toBeLessThan(1000);
  });

  it('timedatectl says no: hostClock unsynced, the note, and the token weighs the sync as unverified (60 s)', async () => {
    const bin = fakeTools('no', null);
    expect(JSON.parse((await sync(bin, true)).stdout).hostClock).toBe('unsynced');
    expect((await sync(bin, false)).stdout).toMatch(NOTE);
    expect(lastAnchorErrorMs()).toBe(60000);
  });

  it('without systemd, chronyc answers: "Not synchronised" is unsynced, "Normal" synced', async () => {
    const r = await sync(fakeTools(null, 'Not synchronised'), false);
    expect(r.stdout).toMatch(NOTE);
    expect(lastAnchorErrorMs()).toBe(60000);
    const ok = await sync(fakeTools(null, 'Normal'), true);
    expect(JSON.parse(ok.stdout).hostClock).toBe('synced');
    expect(lastAnchorErrorMs()).toBeLessThan(1000);
  });

  it('neither tool answers: unknown, no note, the sync counts as any sync before the check did', async () => {
    const r = await sync(fakeTools(null, null), true);
    expect(JSON.parse(r.stdout).hostClock).toBe('unknown');
    expect((await sync(fakeTools(null, null), false)).stdout).not.toMatch(NOTE);
    expect(lastAnchorErrorMs()).toBeLessThan(1000);
  });
});
