// The token's clock on a Linux board: the system time plus an offset the
// token keeps in a file (TIME_SET moves the offset, never the system clock:
// no root needed, no fight with NTP), as the simulator's clock does.
//
// A Pi Zero has no battery-backed RTC and is powered by the USB port it
// talks through, so every unplug is a power loss and the system time after
// boot is a guess (fake-hwclock restores the last shutdown time). The offset
// is therefore tied to the boot it was set in: after a reboot the clock
// reads as not set and the display asks for a sync, unless the board has a
// real time source (an RTC hat read by hwclock at boot, or NTP) and the port
// is started with `bootId: null`.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Clock } from '../../ports.ts';

interface ClockFile {
  set: boolean;
  offsetMs: number;
  bootId: string | null;
}

/** This boot's id, or null where the kernel does not offer one. */
export function currentBootId(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return null;
  }
}

/**
 * `bootId`: the running boot's id (the clock is forgotten when the file was
 * written in another boot), or null when the system time survives reboots.
 */
export function systemClock(stateFile: string, source: () => number, bootId: string | null): Clock {
  let state: ClockFile = { set: false, offsetMs: 0, bootId };
  if (existsSync(stateFile)) {
    try {
      const saved = JSON.parse(readFileSync(stateFile, 'utf8')) as ClockFile;
      // A damaged file, or one from another boot, means the time is unknown: the default.
      if (typeof saved.offsetMs === 'number' && (bootId === null || saved.bootId === bootId)) state = saved;
    } catch {
      // keep the default
    }
  }
  return {
    nowMs: () => source() + state.offsetMs,
    setMs: (ms) => {
      state = { set: true, offsetMs: ms - source(), bootId };
      writeFileSync(stateFile, JSON.stringify(state), { mode: 0o600 });
    },
    isSet: () => state.set === true,
  };
}
