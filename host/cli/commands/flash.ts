// totp-token flash: install the token firmware on an Espruino board over its
// REPL. Progress on stderr; --json prints the summary on stdout.
import { escapeText } from '../../lib/text.ts';
import type { Command } from 'commander';
import { espruinoTarget } from '../../../boards/espruino-profile.ts';
import { moddableTarget } from '../../../boards/moddable-profile.ts';
import type { ModdableBoardProfile } from '../../../boards/moddable-profile.ts';
import { flashModdable } from './flash-moddable.ts';
import { BOARDS, findBoard } from '../../../boards/index.ts';
import { flashEspruino } from '../../lib/flash/espruino-flash.ts';
import type { FlashProgress } from '../../lib/flash/espruino-flash.ts';
import { firmwareBundle, migrationScript } from '../../lib/flash/firmware-bundle.ts';
import { detectBoard } from '../../lib/ports.ts';
import { openTransport } from '../../lib/transport/index.ts';
import { action, usage, withDevice } from '../context.ts';
import type { CommonOptions, Output } from '../context.ts';

interface FlashOptions extends CommonOptions {
  board: string;
  wipe?: boolean;
  bundle?: string;
  out?: string;
}

/** A bar on stderr: redrawn in place on a terminal, one line per 10 % otherwise. */
function progressBar(out: Output): (p: FlashProgress) => void {
  const tty = !!process.stderr.isTTY;
  let lastTenth = -1;
  let lastPhase = '';
  return (p) => {
    const pct = Math.floor((p.done * 100) / p.total);
    const tenth = Math.floor(pct / 10);
    if (!tty && p.phase === lastPhase && tenth === lastTenth) return;
    const bar = '#'.repeat(Math.round(pct / 5)).padEnd(20, '.');
    const text = `${p.phase === 'write' ? 'writing  ' : 'verifying'} [${bar}] ${String(pct).padStart(3)}%  ${p.done}/${p.total} bytes`;
    if (tty) process.stderr.write('\r' + text + (p.done === p.total ? '\n' : ''));
    else out.note(text);
    lastTenth = tenth;
    lastPhase = p.phase;
  };
}

export function register(program: Command): void {
  const espruinoBoards = BOARDS.filter((b) => espruinoTarget(b) || moddableTarget(b)).map((b) => b.id);
  withDevice(
    program
      .command('flash')
      .description('install the token firmware on an Espruino board through its REPL (stored accounts are kept unless --wipe)')
      .requiredOption('--board <id>', `board profile: ${espruinoBoards.join(', ')}`)
      .option('--wipe', "also erase the token's stored accounts, clock and password")
      .option('--bundle <file>', 'upload this bundle instead of dist/espruino/<board>.js')
      // Moddable XS boards: flash-moddable.ts writes the project and runs mcconfig ($MODDABLE), or prints the steps.
      .option('--out <dir>', 'Moddable boards: keep the generated project in this folder'),
  ).action(
    action(async (out, opts: FlashOptions) => {
      const board = findBoard(opts.board);
      if (board && moddableTarget(board)) return flashModdable(out, board as ModdableBoardProfile, { port: opts.port, out: opts.out });
      const target = board && espruinoTarget(board);
      if (!board || !target) throw usage(`--board ${opts.board} is not an Espruino board; flash knows: ${espruinoBoards.join(', ')}`);
      const bundle = await firmwareBundle(board, opts.bundle);
      const migration = await migrationScript();
      const port = opts.port || process.env.TOTP_TOKEN_PORT || (await detectBoard());
      out.note(`flashing ${bundle.file} (${bundle.code.length} bytes) to ${board.name} on ${port}`);
      const transport = await openTransport(port);
      try {
        const r = await flashEspruino(transport, bundle.code, {
          firmwareBoards: target.firmwareBoards,
          wipe: !!opts.wipe,
          replMode: target.replMode,
          migration,
          onProgress: progressBar(out),
        });
        if (!r.started) out.warn('the bundle is written and verified, but the token did not answer after load(): unplug and replug the board');
        out.result(
          [
            `flashed and verified ${r.bytes} bytes (${r.chunks} chunks) on Espruino ${escapeText(r.espruino.version)} (${escapeText(r.espruino.board)}) in ${r.seconds} s`,
            r.form === 'tokens' ? `stored pretokenised: ${r.bytes} bytes for ${r.textBytes} bytes of text` : `${escapeText(r.note ?? 'stored as text')} (${r.textBytes} bytes)`,
            r.wiped ? 'stored accounts, clock and password: erased' : `stored token files kept: ${r.keptFiles}` + (r.migrated?.converted ? ` (${r.migrated.converted} record(s) of older firmware converted)` : ''),
            r.started ? `token running: ${escapeText(r.started.board)}, firmware ${escapeText(r.started.firmware)}` : 'token not confirmed running',
          ],
          { board: board.id, port, bundle: bundle.file, bundleOrigin: bundle.origin, ...r },
        );
      } finally {
        await transport.close().catch(() => {});
      }
    }),
  );
}
