// Loaded before the firmware bundle: the clock, timers and host bridge
// (host.ts), the `screen` global for targets with a built-in display, and a
// status report for the host.
import { clock, IN, onHost, pendingTimers, textReply } from './host.ts';
import { installScreen } from './screen.ts';
import { serialStats } from './serial.ts';
import { panels } from './i2c.ts';

installScreen();

onHost(IN.STATUS, () =>
  textReply(JSON.stringify({
    nowMs: clock.nowMs,
    ticks: clock.ticks,
    timers: pendingTimers(),
    serial: serialStats,
    panelWrites: [...panels.values()].map((p) => p.writes),
  })),
);
