// Installing the token firmware on an Espruino board from the page: the
// bundle `npm run build` made (served beside the page in firmware/), written
// through the board's REPL by host/lib/flash (the CLI's flasher), read back
// and compared, then started; records older firmware stored are converted on
// the board first (firmware/migrate.ts, as the CLI does). Loaded only when used.
import { BOARDS } from '../../boards/index.ts';
import { espruinoTarget } from '../../boards/espruino-profile.ts';
import type { BoardProfile } from '../../boards/profile.ts';
import { TokenError } from '../lib/errors.ts';
import { flashEspruino } from '../lib/flash/espruino-flash.ts';
import type { FlashProgress, FlashResult } from '../lib/flash/espruino-flash.ts';
import { tokenPortFilters, webSerialTransport } from '../lib/transport/web-serial.ts';
import type { WebSerial } from '../lib/transport/web-serial.ts';

export const espruinoBoards = (): BoardProfile[] => BOARDS.filter((b) => espruinoTarget(b) !== null && !!b.firmwareEntry);

async function fetchBundle(board: BoardProfile): Promise<Uint8Array> {
  const res = await fetch(`firmware/${board.id}.js`);
  if (!res.ok) throw new TokenError('BAD_INPUT', `this page has no firmware bundle for ${board.id} (run npm run build before serving it)`);
  return new Uint8Array(await res.arrayBuffer());
}

/** The storage migration the flasher runs before the bundle starts (dist/espruino/migrate.js, copied beside the bundles). */
async function fetchMigration(): Promise<Uint8Array> {
  const res = await fetch('firmware/migrate.js');
  if (!res.ok) throw new TokenError('BAD_INPUT', 'this page has no storage migration script (run npm run build before serving it)');
  return new Uint8Array(await res.arrayBuffer());
}

export async function flashFromPage(serial: WebSerial, boardId: string, onProgress: (p: FlashProgress) => void): Promise<FlashResult> {
  const board = espruinoBoards().find((b) => b.id === boardId);
  const target = board ? espruinoTarget(board) : null;
  if (!board || !target) throw new TokenError('BAD_INPUT', `unknown Espruino board '${boardId}'`);
  const code = await fetchBundle(board);
  const migration = await fetchMigration();
  const port = await serial.requestPort({ filters: tokenPortFilters() });
  const transport = webSerialTransport(port, target.baud ?? 115200);
  await transport.open();
  try {
    return await flashEspruino(transport, code, { firmwareBoards: target.firmwareBoards, replMode: target.replMode, migration, onProgress });
  } finally {
    await transport.close();
  }
}
