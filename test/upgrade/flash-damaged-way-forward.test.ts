// Attack: a damaged record of older firmware stops the flash after the old
// bundle is erased, so the board runs no token until it is flashed with
// --wipe. The web page's flasher (host/web/flash-panel.ts) calls the same
// flashEspruino, with the same options but no wipe, and has no wipe choice:
// the message must name a way forward that exists from there too (the CLI
// command), not an option of a CLI the user may not be running.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasSocat } from '../../firmware/ports/node/serial-links.ts';
import { flashEspruino } from '../../host/lib/flash/espruino-flash.ts';
import { migrationScript } from '../../host/lib/flash/firmware-bundle.ts';
import { createTransport } from '../../host/lib/transport/index.ts';
import { startFakeEspruinoRepl } from '../helpers/fake-espruino-repl.ts';
import { upgradeFixture } from './fixture-spec.ts';

const files = upgradeFixture('espruino');

/**
 * Flashes 'print(1)' over a fake ESP32 REPL holding `stored`, with `migration` as the
 * one-shot script and flash-panel.ts's options (board ids, REPL mode, no wipe): the
 * error it ends with, whether the bundle was started (load) and the board's files.
 */
async function flashWith(stored: Record<string, string>, migration: Uint8Array): Promise<{ error: unknown; loaded: boolean; board: Map<string, string> }> {
  const board = new Map(Object.entries(stored));
  const repl = await startFakeEspruinoRepl({ linkPath: join(mkdtempSync(join(tmpdir(), 'tt-flash-forward-')), 'tty'), board: 'ESP32', files: board });
  const t = createTransport(repl.address);
  await t.open();
  try {
    const error = await flashEspruino(t, new Uint8Array(Buffer.from('print(1)')), { firmwareBoards: ['ESP32'], migration, startTimeoutMs: 0 }).then(
      () => null,
      (e: unknown) => e,
    );
    await expect.poll(() => repl.loaded).toBe(true); // started before the error: the bundle takes the console off USB
    return { error, loaded: repl.loaded, board };
  } finally {
    await t.close();
    await repl.close();
  }
}

describe.skipIf(!hasSocat())('a damaged old record stops the flash with a way forward from the web page too', () => {
  it('names the command that wipes (totp-token flash --wipe), as the page flashes without one', async () => {
    const r = await flashWith({ ...files, 'tt.access': '{"k":' }, await migrationScript());
    expect(r.error).toMatchObject({ code: 'FLASH_MIGRATE', message: expect.stringContaining('totp-token flash --wipe') });
  }, 60_000);
});

describe.skipIf(!hasSocat())('a migration that fails on the board (a write the flash refused, out of memory)', () => {
  it('still leaves the bundle written and started, so the board does not boot to an open REPL that reads every seed', async () => {
    // What firmware/migrate-espruino.ts prints when migrateStorage throws.
    const r = await flashWith(files, new Uint8Array(Buffer.from('print("TT"+"MIG","failed")')));
    expect(r.error).toMatchObject({ code: 'FLASH_MIGRATE' });
    expect(r.board.has('.bootcde')).toBe(true);
  }, 60_000);
});

describe.skipIf(!hasSocat())('a migration script the board cannot run (an exception, no answer)', () => {
  it('still starts the written bundle before the error is thrown: the REPL does not stay open on USB', async () => {
    // The REPL prints "Uncaught Error: ..." for it (src/jsinteractive.c), which the flasher reads as FLASH_DEVICE.
    const r = await flashWith(files, new Uint8Array(Buffer.from('throw new Error("no memory")')));
    expect(r.error).toMatchObject({ code: 'FLASH_DEVICE' });
    expect(r.board.has('.bootcde')).toBe(true);
  }, 60_000);
});
