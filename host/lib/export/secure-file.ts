// Writing a file that holds seeds: owner-only (0600) from the first byte,
// never over an existing file, and never half-written. The content goes to
// a temporary file in the same folder (O_CREAT|O_EXCL, 0600), is synced,
// and is then hard-linked to its name: link(2) fails if the name exists, so
// an existing file is never replaced, and the name only ever points at a
// complete file. Filesystems without hard links fall back to O_EXCL on the
// name itself (still never replacing; removed again if the write fails).
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, lstatSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { TokenError } from '../errors.ts';

export const SEED_FILE_MODE = 0o600;

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function refuseExisting(path: string): never {
  throw new TokenError('BAD_INPUT', `${path} already exists: refusing to overwrite it (choose another name, or move the old file away first)`);
}

function writeAll(fd: number, data: Uint8Array): void {
  let off = 0;
  while (off < data.length) off += writeSync(fd, data, off, data.length - off);
  fsyncSync(fd);
}

function syncFolder(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not every platform can fsync a folder; the file itself is synced.
  }
}

/**
 * Create `path` with `content`, mode 0600, refusing an existing file.
 * Returns the absolute path. The content buffer is not kept.
 */
export function writeNewSecretFile(path: string, content: string | Uint8Array): string {
  const target = resolve(path);
  const dir = dirname(target);
  if (exists(target)) refuseExisting(target);
  if (!exists(dir)) throw new TokenError('BAD_INPUT', `cannot write ${target}: the folder ${dir} does not exist`);
  const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const temp = join(dir, `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number;
  try {
    fd = openSync(temp, 'wx', SEED_FILE_MODE);
  } catch (e) {
    throw new TokenError('BAD_INPUT', `cannot write in ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    try {
      writeAll(fd, data);
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(temp, target);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') refuseExisting(target);
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV') {
        throw new TokenError('BAD_INPUT', `cannot create ${target}: ${code ?? (e as Error).message}`);
      }
      writeDirectly(target, data);
    }
  } finally {
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
    if (typeof content === 'string') (data as Buffer).fill(0);
  }
  syncFolder(dir);
  return target;
}

function writeDirectly(target: string, data: Uint8Array): void {
  let fd: number;
  try {
    fd = openSync(target, 'wx', SEED_FILE_MODE);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') refuseExisting(target);
    throw new TokenError('BAD_INPUT', `cannot create ${target}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    writeAll(fd, data);
    closeSync(fd);
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      // closed already
    }
    unlinkSync(target); // ours (O_EXCL): never leave half a seed file
    throw e;
  }
}
