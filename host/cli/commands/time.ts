// totp-token time sync | time show: the token's clock against this computer's UTC.
import type { Command } from 'commander';
import type { ClockInfo } from '../../lib/client.ts';
import { hostClockState } from '../../lib/host-clock.ts';
import { action, withClient, withDevice } from '../context.ts';
import type { CommonOptions } from '../context.ts';

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const seconds = (ms: number) => `${(ms / 1000).toFixed(3)} s`;

export function describeClock(c: ClockInfo): string {
  if (!c.set || c.timeMs === undefined) return 'not set (the token shows no codes until: totp-token time sync)';
  const parts = [iso(c.timeMs)];
  if (c.errorMs !== undefined) parts.push(`±${seconds(c.errorMs)} estimated`);
  if (c.driftPpm) parts.push(`drift ${c.driftPpm} ppm corrected`);
  if (c.syncedAtMs) parts.push(`synced ${iso(c.syncedAtMs)}`);
  // A sync the token held out of its rate estimate: usually a host whose clock was off.
  if (c.suspectAtMs && c.suspectMs !== undefined) {
    parts.push(`the sync at ${iso(c.suspectAtMs)} looked inconsistent: ${seconds(Math.abs(c.suspectMs))} ${c.suspectMs >= 0 ? 'ahead of' : 'behind'} the token's own estimate (was that host's clock right?)`);
  }
  // The token shows "clock?" past the same limit.
  if (c.errorMs !== undefined && c.errorMs > 5000) parts.push('MAY BE OFF: run totp-token time sync');
  return parts.join(', ');
}

export function register(program: Command): void {
  const time = program.command('time').description("the token's clock");

  withDevice(time.command('sync').description("set the token's clock to this computer's UTC time")).action(
    action(async (out, opts: CommonOptions) => {
      const hostClock = await hostClockState(process.platform);
      const r = await withClient(opts, out, (client) => client.syncTime(Date.now, undefined, hostClock));
      const was = r.offsetBeforeMs === undefined ? 'it was not set' : `it was ${seconds(Math.abs(r.offsetBeforeMs))} ${r.offsetBeforeMs >= 0 ? 'ahead' : 'behind'}`;
      const lines = [`token clock set to ${r.clock.timeMs !== undefined ? iso(r.clock.timeMs) : 'host time'} (${was}; round trip ${r.roundTripMs} ms)`];
      // The token held this sync out of its rate estimate: it disagreed with the syncs before.
      if (r.clock.suspectAtMs !== undefined && r.clock.suspectAtMs === r.clock.syncedAtMs && r.clock.suspectMs !== undefined) {
        lines.push(`note: this time is ${seconds(Math.abs(r.clock.suspectMs))} ${r.clock.suspectMs >= 0 ? 'ahead of' : 'behind'} what the token's earlier syncs predict; the token moved its clock half way and keeps its learned rate until another sync settles which was right. Is this computer's clock right?`);
      }
      // One sync from a clock a few seconds off looks to the token like a different oscillator rate.
      if (hostClock === 'unsynced') {
        lines.push("note: this computer's clock is not synchronized (NTP), so the token took its time only within its own error estimate and learned no rate from it (tokens before this check learn from it as from any sync). Sync from a computer whose clock is synchronized.");
      }
      out.result(lines, { ...r, hostClock });
    }),
  );

  withDevice(time.command('show').description("show the token's clock and how far it is from this computer's")).action(
    action(async (out, opts: CommonOptions) => {
      const r = await withClient(opts, out, async (client) => {
        const t0 = Date.now();
        const clock = await client.timeGet();
        const t1 = Date.now();
        return { clock, hostMs: Math.round((t0 + t1) / 2), roundTripMs: t1 - t0 };
      });
      const offset = r.clock.timeMs !== undefined ? r.clock.timeMs - r.hostMs : undefined;
      const lines = [`token  ${describeClock(r.clock)}`, `host   ${iso(r.hostMs)}`];
      if (offset !== undefined) lines.push(`offset ${offset >= 0 ? '+' : '-'}${seconds(Math.abs(offset))} (round trip ${r.roundTripMs} ms)`);
      out.result(lines, { ...r, ...(offset !== undefined ? { offsetMs: offset } : {}) });
    }),
  );
}
