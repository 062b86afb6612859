// host/lib/host-clock.ts: what the OS says of this computer's clock, read from
// the tools' own output. The samples are those tools' documented output:
// timedatectl(1) `show -p NTPSynchronized --value` prints yes or no; chronyc(1)
// `tracking`'s "Leap status" is Normal, Insert second, Delete second or Not
// synchronised; `w32tm /query /status` as Microsoft's W32Time tools page and
// its field guides show it (Leap Indicator 0(no warning) / 3(not synchronized),
// Source "Local CMOS Clock" without a time server).
import { describe, expect, it } from 'vitest';
import { fromChronyc, fromTimedatectl, fromW32tm, hostClockState } from '../../host/lib/host-clock.ts';
import type { RunCommand } from '../../host/lib/host-clock.ts';

const CHRONY = (leap: string) => `Reference ID    : C0A80001 (192.168.0.1)
Stratum         : 3
Ref time (UTC)  : Tue Dec 01 17:00:00 2026
System time     : 0.000012345 seconds fast of NTP time
Last offset     : +0.000004567 seconds
RMS offset      : 0.000023456 seconds
Frequency       : 12.345 ppm slow
Residual freq   : +0.001 ppm
Skew            : 0.012 ppm
Root delay      : 0.012345678 seconds
Root dispersion : 0.001234567 seconds
Update interval : 1024.5 seconds
Leap status     : ${leap}
`;
const W32TM = (leap: string, source: string) => `Leap Indicator: ${leap}
Stratum: 4 (secondary reference - syncd by (S)NTP)
Precision: -23 (119.209ns per tick)
Root Delay: 0.0312500s
Root Dispersion: 7.7902343s
ReferenceId: 0xC0A80001 (source IP:  192.168.0.1)
Last Successful Sync Time: 12/1/2026 5:14:02 PM
Source: ${source}
Poll Interval: 10 (1024s)
`;

describe('host clock state', () => {
  it('reads timedatectl, chronyc and w32tm as they print', () => {
    expect([fromTimedatectl('yes\n'), fromTimedatectl('no\n'), fromTimedatectl('')]).toEqual(['synced', 'unsynced', 'unknown']);
    expect([fromChronyc(CHRONY('Normal')), fromChronyc(CHRONY('Insert second')), fromChronyc(CHRONY('Not synchronised')), fromChronyc('506 Cannot talk to daemon')]).toEqual(['synced', 'synced', 'unsynced', 'unknown']);
    expect(fromW32tm(W32TM('0(no warning)', 'time.windows.com,0x9'))).toBe('synced');
    expect(fromW32tm(W32TM('3(not synchronized)', 'time.windows.com,0x9'))).toBe('unsynced');
    expect(fromW32tm(W32TM('0(no warning)', 'Local CMOS Clock'))).toBe('unsynced');
    expect(fromW32tm('The following error occurred: The service has not been started. (0x80070426)')).toBe('unknown');
  });

  it('asks chronyc when timedatectl cannot tell, and says unknown when no tool answers or the OS has none', async () => {
    const calls: string[] = [];
    const tools = (answers: { [cmd: string]: string }): RunCommand => async (cmd) => {
      calls.push(cmd);
      if (!(cmd in answers)) throw Object.assign(new Error(`spawn ${cmd} ENOENT`), { code: 'ENOENT' });
      return answers[cmd];
    };
    expect(await hostClockState('linux', tools({ timedatectl: 'no\n', chronyc: CHRONY('Normal') }))).toBe('unsynced');
    expect(await hostClockState('linux', tools({ chronyc: CHRONY('Not synchronised') }))).toBe('unsynced');
    expect(await hostClockState('linux', tools({}))).toBe('unknown');
    expect(await hostClockState('win32', tools({ w32tm: W32TM('3(not synchronized)', 'Local CMOS Clock') }))).toBe('unsynced');
    calls.length = 0;
    expect(await hostClockState('darwin', tools({}))).toBe('unknown');
    expect(calls).toEqual([]);
  });
});
