// totp-token info: what the token is and can do (HELLO).
import { escapeText } from '../../lib/text.ts';
import type { Command } from 'commander';
import { action, withClient, withDevice } from '../context.ts';
import type { CommonOptions, Output } from '../context.ts';
import { describeClock } from './time.ts';

/** The command's work; also run without commander (fast-argv.ts). */
export async function deviceAction(out: Output, opts: CommonOptions): Promise<void> {
  const info = await withClient(opts, out, (client) => Promise.resolve(client.info!));
  // Board and firmware names come from the device: escaped, so they cannot forge a line.
  out.result(
    [
      `board      ${escapeText(info.board)}`,
      `firmware   ${escapeText(info.firmware)} (protocol ${info.protocol})`,
      `algorithms ${info.algorithms.join(', ')}`,
      `accounts   ${info.hotp ? 'TOTP, HOTP' : 'TOTP only (firmware before HOTP)'}`,
      `slots      ${info.slotsFree} free of ${info.slotsTotal}`,
      `clock      ${describeClock(info.clock)}`,
      `storage    ${['ok', 'damaged: recovered the previous copy', 'damaged: nothing recovered'][info.storageHealth] ?? 'damaged'}`,
    ],
    { port: opts.port ?? process.env.TOTP_TOKEN_PORT, ...info },
  );
}

export function register(program: Command): void {
  withDevice(program.command('info').description('show firmware, board, capabilities, free slots and clock state')).action(action(deviceAction));
}
