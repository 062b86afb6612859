// Runs the storage migration (firmware/migrate.ts, built as a one-shot script
// by firmware/migrate-espruino.ts) on an Espruino board through its REPL:
// the script goes over in base64 chunks into a RAM variable (never into
// Storage), is eval()ed once, and answers with counts only. The records it
// converts never leave the board.
import { base64Encode } from '../../../protocol/base64.ts';
import { TokenError } from '../errors.ts';
import type { EspruinoRepl } from './espruino-repl.ts';

/** What the migration did: records converted, records of older firmware left as they were (unreadable). */
export interface MigrationResult {
  converted: number;
  left: number;
}

const VAR = 'TTM'; // the RAM variable the script is sent into (dropped after)

export async function runEspruinoMigration(repl: EspruinoRepl, script: Uint8Array, chunkBytes: number, timeoutMs: number): Promise<MigrationResult> {
  await repl.command(`${VAR}="";print("TT"+"C",${VAR}.length)`, 'TTC', timeoutMs);
  for (let off = 0; off < script.length; off += chunkBytes) {
    const end = Math.min(script.length, off + chunkBytes);
    const got = await repl.command(`${VAR}+=atob("${base64Encode(script.subarray(off, end))}");print("TT"+"C",${VAR}.length)`, 'TTC', timeoutMs);
    if (Number(got) !== end) throw new TokenError('FLASH_WRITE', `sending the storage migration failed: the board holds ${got} of ${end} bytes; nothing was converted, flash again`);
  }
  // Four times the usual wait: its writes may make Storage compact the flash first.
  const status = await repl.command(`eval(${VAR});${VAR}=undefined`, 'TTMIG', timeoutMs * 4);
  const m = /^(\d+) (\d+)/.exec(status);
  if (!m) {
    throw new TokenError('FLASH_MIGRATE', 'converting the records older firmware stored failed on the board; nothing was removed before its new copies were read back: flash again');
  }
  return { converted: Number(m[1]), left: Number(m[2]) };
}
