// Loaded before the firmware bundle: the clock, timers and host bridge
// (host.ts), the `screen` global for targets with a built-in display, the
// platform's Math.random (math-random.ts), and a
// status report for the host.
import { clock, IN, onHost, pendingTimers, textReply } from './host.ts';
import { installScreen } from './screen.ts';
import { installMathRandom } from './math-random.ts';
import { serialStats } from './serial.ts';
import { panels } from './i2c.ts';

installScreen();
installMathRandom();

onHost(IN.STATUS, () =>
  textReply(JSON.stringify({
    nowMs: clock.nowMs,
    ticks: clock.ticks,
    timers: pendingTimers(),
    serial: serialStats,
    panelWrites: [...panels.values()].map((p) => p.writes),
  })),
);
