// Simulator storage: one file per key under the state folder, written to a
// temporary name and renamed, so each key's write is whole or absent (as a
// flash page write with a CRC is on a board). Files are owner-only.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Storage } from '../../ports.ts';

export function fileStorage(dir: string): Storage {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pathOf = (key: string) => join(dir, key.replace(/[^A-Za-z0-9._-]/g, '_'));
  return {
    read: (key) => (existsSync(pathOf(key)) ? readFileSync(pathOf(key), 'latin1') : undefined),
    write: (key, value) => {
      const tmp = pathOf(key) + '.tmp';
      // fsync before the rename: on a board that loses power at every unplug
      // (a Pi Zero) the rename must never point at unwritten data.
      const fd = openSync(tmp, 'w', 0o600);
      try {
        writeSync(fd, Buffer.from(value, 'latin1'));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, pathOf(key));
    },
    erase: (key) => rmSync(pathOf(key), { force: true }),
  };
}
