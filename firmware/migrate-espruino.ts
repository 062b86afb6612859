// The one-shot script `totp-token flash` runs over an Espruino board's REPL
// (host/lib/flash/espruino-migrate.ts) before the new bundle starts: it
// converts the records older firmware stored (firmware/migrate.ts) in place,
// in RAM, and is never saved. It prints one status line, counts only: no
// record's content leaves the board, not even in an error (its message
// could quote the record's text).
import { migrateStorage } from './migrate.ts';
import { espruinoStorage } from './ports/espruino/storage.ts';

declare function print(...args: unknown[]): void;

let status = 'failed';
try {
  const n = migrateStorage(espruinoStorage());
  status = n[0] + ' ' + n[1];
} catch (e) {
  // a write the flash refused, or out of memory: nothing old was removed before its copies were read back
}
print('TT' + 'MIG', status);
