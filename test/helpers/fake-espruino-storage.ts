// require("Storage") in memory, the one copy the harness (test/espruino/harness.ts)
// and the fake REPL (fake-espruino-repl.ts) use: files are byte strings in a Map.
// write() follows Espruino 2v29's src/jswrap_storage.c (jswrap_storage_write: an
// object is written as its JSON, whole, offset and size ignored) and
// src/jsflash.c (jsfWriteFile): the bytes written are the data's own bytes
// (jsvGetDataPointer: a string's chars, a typed array's or ArrayBuffer's memory -
// for a Uint16Array or Float32Array only its first `length` bytes, as measured)
// or else what jsvIterateCallback walks (a number or boolean is one byte, an
// array each item's low byte: E.toUint8Array's walk, fake-espruino-e.ts). A
// file is created whole at offset 0 (erased, 0xFF) - a file already there is
// replaced unless it has that size and is still erased, and kept as it is when
// the same bytes are written again; later writes go to erased bytes only. The
// errors are Espruino's. test/espruino/fake-storage.test.ts holds what the real
// interpreter stored for each case and reruns them under ESPRUINO_BIN.
// Not modelled: file headers, page alignment and compaction (space is the sum
// of the files' sizes), names longer than 28 characters, StorageFile.
import { types } from 'node:util';
import vm from 'node:vm';
import { fakeEspruinoE } from './fake-espruino-e.ts';

export interface FakeStorageOptions {
  /** Storage space in bytes (default 256 KB). */
  capacity?: number;
  /** Called after each write that succeeded (a test hook may then damage what was stored). */
  afterWrite?: (name: string, offset: number, length: number) => void;
}

export interface FakeStorage {
  read(name: string, offset?: number, length?: number): string | undefined;
  write(name: string, data: unknown, offset?: number, size?: number): boolean;
  erase(name: string): void;
  list(re?: RegExp): string[];
  getFree(): number;
}

const isErased = (f: string, from: number, length: number) => /^\xff*$/.test(f.slice(from, from + length));

export function fakeEspruinoStorage(files: Map<string, string>, context: () => vm.Context, opts: FakeStorageOptions = {}): FakeStorage {
  const E = fakeEspruinoE(context);
  const error = (message: string) => new (vm.runInContext('Error', context()) as ErrorConstructor)(message);
  const capacity = opts.capacity ?? 262144;
  const used = () => [...files.values()].reduce((n, v) => n + v.length, 0);

  /** JSV_GET_AS_CHAR_ARRAY_NO_ERROR: the data's memory where it has one, else its bytes as jsvIterateCallback walks them. */
  function bytesOf(data: unknown): string {
    if (data === undefined) throw error("Can't get pointer to data to write");
    if (typeof data === 'string') return data.replace(/[^\0-\xff]/g, (c) => String.fromCharCode(c.charCodeAt(0) & 255));
    const memory = types.isArrayBuffer(data) ? new Uint8Array(data) : types.isTypedArray(data) ? new Uint8Array(data.buffer, data.byteOffset, data.length) : null;
    return E.toString(memory ?? E.toUint8Array(data));
  }

  return {
    read(name, offset, length) {
      const f = files.get(String(name));
      if (f === undefined) return undefined;
      const from = offset ?? 0;
      return f.slice(from, length === undefined ? undefined : from + length);
    },
    write(name, data, offset, size) {
      name = String(name);
      let from = offset ?? 0;
      let total = size ?? 0;
      if (data !== null && typeof data === 'object' && !Array.isArray(data) && !types.isArrayBuffer(data) && !types.isTypedArray(data)) {
        data = JSON.stringify(data); // jsvIsObject: written whole
        from = 0;
        total = 0;
      }
      if (from < 0 || total < 0) return false;
      const bytes = bytesOf(data);
      if (!total) total = bytes.length;
      if (!total) throw error("Can't create zero length file");
      let f = files.get(name);
      if (from === 0 && (f === undefined || total !== f.length || !isErased(f, 0, total))) {
        if (f !== undefined && total === f.length && bytes === f) return true; // the same file again: left as it is
        files.delete(name);
        f = undefined;
        if (used() + total <= capacity) files.set(name, (f = '\xff'.repeat(total)));
      }
      if (f === undefined) throw error('Unable to find or create file');
      if (from + bytes.length > f.length) throw error('Too much data for file size');
      if (!isErased(f, from, bytes.length)) throw error('File already written with different data');
      files.set(name, f.slice(0, from) + bytes + f.slice(from + bytes.length));
      opts.afterWrite?.(name, from, bytes.length);
      return true;
    },
    erase(name) {
      files.delete(String(name));
    },
    list(re) {
      return [...files.keys()].filter((k) => !re || re.test(k));
    },
    getFree: () => capacity - used(),
  };
}
