// Does this computer's OS say its own clock is synchronized? TIME_SET tells the
// token (field hostClock): a sync from a clock the OS says is NOT synchronized
// moves the token's time only within its own error estimate and teaches it no
// rate (firmware/clock.ts), because one such sync 3 s off looks to the token
// exactly like a different oscillator rate. Only a positive answer counts:
// anything the tools do not say plainly is "unknown", which the token treats
// as it treated every sync before this field.
//  - Linux: `timedatectl show -p NTPSynchronized --value` prints yes/no: the
//    kernel's own flag (adjtimex STA_UNSYNC, cleared by whichever daemon keeps
//    time: systemd-timesyncd, chrony, ntpd); systemd's timedatectl(1).
//    Without systemd, `chronyc tracking`: its "Leap status" line reads
//    "Normal" when synchronized and "Not synchronised" when not (chronyc(1)).
//  - Windows: `w32tm /query /status`: "Leap Indicator: 3(not synchronized)",
//    or the source "Local CMOS Clock" (no time server), means not synchronized
//    (Microsoft's w32tm documentation, "Windows Time service tools").
//  - macOS has no unprivileged query of timed's state: unknown.
import { execFile } from 'node:child_process';

export type HostClockState = 'synced' | 'unsynced' | 'unknown';

/** Runs a command and resolves with its standard output; rejects if it is missing or fails. */
export type RunCommand = (cmd: string, args: string[]) => Promise<string>;

const run: RunCommand = (cmd, args) =>
  new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 3000, windowsHide: true }, (err, stdout) => (err ? reject(err) : resolve(String(stdout))));
  });

/** timedatectl's NTPSynchronized value. */
export function fromTimedatectl(out: string): HostClockState {
  const v = out.trim();
  return v === 'yes' ? 'synced' : v === 'no' ? 'unsynced' : 'unknown';
}

/** `chronyc tracking`'s Leap status line. */
export function fromChronyc(out: string): HostClockState {
  const m = /^Leap status\s*:\s*(.+)$/m.exec(out);
  if (!m) return 'unknown';
  const v = m[1].trim();
  return v === 'Normal' || v.startsWith('Insert') || v.startsWith('Delete') ? 'synced' : v === 'Not synchronised' ? 'unsynced' : 'unknown';
}

/** `w32tm /query /status`. */
export function fromW32tm(out: string): HostClockState {
  const leap = /Leap Indicator:\s*(\d)/.exec(out);
  if (!leap) return 'unknown';
  if (leap[1] === '3' || /^Source:\s*(Local CMOS Clock|Free-running System Clock)/m.test(out)) return 'unsynced';
  return 'synced';
}

/** What the OS says of this computer's clock; never throws (a tool that is missing or fails means unknown). */
export async function hostClockState(platform: string, runCommand: RunCommand = run): Promise<HostClockState> {
  const ask = async (cmd: string, args: string[], parse: (out: string) => HostClockState): Promise<HostClockState> => {
    try {
      return parse(await runCommand(cmd, args));
    } catch (e) {
      return 'unknown';
    }
  };
  if (platform === 'linux') {
    const t = await ask('timedatectl', ['show', '-p', 'NTPSynchronized', '--value'], fromTimedatectl);
    return t !== 'unknown' ? t : ask('chronyc', ['tracking'], fromChronyc);
  }
  if (platform === 'win32') return ask('w32tm', ['/query', '/status'], fromW32tm);
  return 'unknown';
}
