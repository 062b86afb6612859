// The app's key/value Storage over Moddable's Preference module.
//
// Preference values are small (63 bytes on the Pico's flash store, 4000 on
// ESP32's NVS) and a set is not atomic (the Pico's store erases the old entry
// before it appends the new one). So a value is kept as chunks plus a header,
// in two generations: a write fills the generation not in use, then writes its
// header ("seq,chunks,crc"), then removes the old one. A cut at any step
// leaves the old value or the new one; a value whose chunks fail the CRC
// reads as DAMAGED, which no decoder accepts (so a damaged access record
// stays locked rather than reading as "no password").
import Preference from 'preference';
import { crc32 } from '../../../protocol/crc32.ts';
import type { Storage } from '../../ports.ts';

export const DOMAIN = 'totp';
/** What a value reads as when its chunks do not match its header. */
export const DAMAGED = '!damaged';
const GENERATIONS = ['a', 'b'];

export interface PreferenceLimits {
  maxKeyChars: number;
  maxValueBytes: number;
}

interface Header {
  gen: number;
  seq: number;
  chunks: number;
  crc: number;
}

function asciiCrc(text: string): number {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return crc32(bytes);
}

export function preferenceStorage(limits: PreferenceLimits): Storage {
  // A string preference is a C string: its bytes plus the NUL.
  const chunkChars = Math.min(limits.maxValueBytes - 1, 1000);

  function headerKey(key: string, gen: number): string {
    return key + '#' + GENERATIONS[gen];
  }
  function chunkKey(key: string, gen: number, i: number): string {
    return key + GENERATIONS[gen] + i;
  }

  function readHeader(key: string, gen: number): Header | null {
    const v = Preference.get(DOMAIN, headerKey(key, gen));
    if (typeof v !== 'string') return null;
    const parts = v.split(',');
    if (parts.length !== 3) return null;
    return { gen: gen, seq: Number(parts[0]), chunks: Number(parts[1]), crc: Number(parts[2]) };
  }

  function newest(key: string): Header | null {
    const a = readHeader(key, 0);
    const b = readHeader(key, 1);
    if (a && b) return a.seq > b.seq ? a : b;
    return a || b;
  }

  function readValue(key: string, h: Header): string {
    let text = '';
    for (let i = 0; i < h.chunks; i++) {
      const part = Preference.get(DOMAIN, chunkKey(key, h.gen, i));
      if (typeof part !== 'string') return DAMAGED;
      text += part;
    }
    return asciiCrc(text) === h.crc ? text : DAMAGED;
  }

  function removeGeneration(key: string, gen: number): void {
    // Header first: a generation without its header is never read. Chunks go
    // while they exist, so a write cut before its header leaves nothing behind.
    Preference.delete(DOMAIN, headerKey(key, gen));
    for (let i = 0; Preference.get(DOMAIN, chunkKey(key, gen, i)) !== undefined; i++) Preference.delete(DOMAIN, chunkKey(key, gen, i));
  }

  function checkKey(key: string, value: string | null): void {
    // The longest name used: key + generation letter + 3-digit chunk index.
    if (key.length + 4 > limits.maxKeyChars) throw new Error('storage key too long for Preference: ' + key);
    if (value === null) return;
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (c < 32 || c > 126) throw new Error('storage holds printable ASCII only (key ' + key + ')');
    }
  }

  return {
    read: (key: string) => {
      checkKey(key, null);
      const h = newest(key);
      return h ? readValue(key, h) : undefined;
    },
    write: (key: string, value: string) => {
      checkKey(key, value);
      const current = newest(key);
      const gen = current ? 1 - current.gen : 0;
      const chunks = Math.ceil(value.length / chunkChars);
      // Leftovers of an interrupted write to this generation go first.
      removeGeneration(key, gen);
      for (let i = 0; i < chunks; i++) Preference.set(DOMAIN, chunkKey(key, gen, i), value.substring(i * chunkChars, (i + 1) * chunkChars));
      Preference.set(DOMAIN, headerKey(key, gen), (current ? current.seq + 1 : 1) + ',' + chunks + ',' + asciiCrc(value));
      if (current) removeGeneration(key, current.gen);
    },
    erase: (key: string) => {
      checkKey(key, null);
      removeGeneration(key, 0);
      removeGeneration(key, 1);
    },
  };
}
