// totp-token demo (what `npm start` runs): a simulator token in this
// process, provisioned with a demo key through the real client path over its
// pty (TCP where socat is missing), its clock synced, its display shown live.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { TokenClient } from '../../lib/client.ts';
import { DEMO_URI } from '../../lib/demo-key.ts';
import { accountFromUri } from '../../lib/key-input.ts';
import { openTransport } from '../../lib/transport/index.ts';
import { action, pressPrompt, withJson } from '../context.ts';
import type { Output } from '../context.ts';
import { keyboard, shownLine, showLive } from '../sim-view.ts';

async function runDemo(out: Output, once: boolean): Promise<void> {
  const { startSimToken } = await import('../../../firmware/ports/node/sim-token.ts');
  const { hasSocat } = await import('../../../firmware/ports/node/serial-links.ts');
  const { framebufferToText } = await import('../../../firmware/ports/node/render-text.ts');
  const stateDir = mkdtempSync(join(tmpdir(), 'totp-token-demo-'));
  const sim = await startSimToken({ stateDir, link: hasSocat() ? 'pty' : 'tcp' });
  try {
    out.note(`simulator token on ${sim.address}`);
    const transport = await openTransport(sim.address);
    const client = new TokenClient(transport, { onWaiting: pressPrompt(out) });
    const account = accountFromUri(DEMO_URI, {});
    const { secret, ...summary } = account;
    let check: string;
    try {
      await client.hello();
      check = (await client.add({ ...summary, secret })).check;
      out.note(`added ${summary.issuer}: ${summary.name} over ${sim.address} (key check ${check} matches)`);
      await client.syncTime();
      out.note('synced the token clock to this computer');
    } finally {
      await client.close();
    }
    sim.app.render();
    if (once || !process.stdout.isTTY || !process.stdin.isTTY) {
      // Not a terminal (or one frame asked for): the full-resolution picture, then its text.
      const frame = framebufferToText(sim.framebuffer);
      const shown = sim.shown();
      out.result([frame, shownLine(shown)], { port: sim.address, account: summary, check, display: frame.split('\n'), shown });
      if (!once) {
        out.note('Ctrl-C to stop');
        await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
      }
      return;
    }
    const header = [`totp-token demo: a simulator token on ${sim.address}`, `try: totp-token list --port ${sim.address}`];
    const view = showLive(sim, header, 'totp-token-demo.png');
    try {
      await keyboard(sim, 'totp-token-demo.png', () => view.paint());
    } finally {
      view.stop();
    }
  } finally {
    await sim.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

export function register(program: Command): void {
  withJson(program.command('demo').description('start a simulator token with a demo account and show its codes (npm start)').option('--once', 'print one frame of the display and exit')).action(
    action(async (out, opts: { once?: boolean }) => runDemo(out, !!opts.once)),
  );
}
