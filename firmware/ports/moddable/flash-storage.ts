// The app's key/value Storage in flash the port manages itself: the Pico's
// storage partition through the project's native Flash (native/totp-native.c,
// the SDK's flash API: erase(sector), read, write that only clears bits).
// The SDK's Pico Preference store cannot be made power-cut safe from outside:
// its set() zeroes the old entry before writing the new one, and when it
// compacts it signs the new sector before copying the entries into it, so a
// cut mid-copy loses old and new (modules/files/preference/esp/modPreference.c).
//
// Here every key lives in one image, written whole to one of two slots in
// turn: erase the slot, write the body, then the 16-byte header (magic,
// sequence, length, CRC-32 of the body) as the commit point, and read it all
// back. At every moment one slot holds a complete image whose CRC matches: the
// old one until the new header is written and read back, the new one after. On
// start the valid slot with the higher sequence wins; if the newest is damaged
// the previous image is used (health() says so). The previous image stays as
// that fallback after a write, but an erase() scrubs it once the new image is
// read back, so values the app erases (removed or wiped seeds) leave the flash.
import { Flash } from 'totp-native';
import { crc32 } from '../../../protocol/crc32.ts';
import { getWord, putWord } from '../../../protocol/bytes.ts';
import type { Storage } from '../../ports.ts';

const MAGIC = 0x54544601; // "TTF" + format 1
const HEADER = 16;

export interface FlashStorage extends Storage {
  /** True when a slot holds a valid image (false on a blank or wholly damaged partition). */
  hasImage(): boolean;
  /** 0: the newest slot was good; 1: it was damaged and the older one was used; 2: no slot was good but the flash was not blank. */
  health(): number;
  /** Replaces every key at once, in one commit (the one-time move from Preference). */
  replaceAll(values: Record<string, string>): void;
}

interface Image {
  slot: number;
  seq: number;
  values: Record<string, string>;
}

function encodeText(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

function decodeText(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

export function flashStorage(flash: Flash): FlashStorage {
  const sector = flash.blockSize;
  const slotSectors = Math.floor(flash.byteLength / sector / 2);
  const slotBytes = slotSectors * sector;
  let health = 0;

  function readSlot(slot: number): Image | null | 'blank' {
    const base = slot * slotBytes;
    const head = new Uint8Array(flash.read(base, HEADER));
    const magic = getWord(head, 0);
    if (magic === 0xffffffff) return 'blank';
    const length = getWord(head, 8);
    if (magic !== MAGIC || length === 0 || length > slotBytes - HEADER) return null;
    const body = new Uint8Array(flash.read(base + HEADER, length));
    if (crc32(body) !== getWord(head, 12)) return null;
    let values: Record<string, string>;
    try {
      values = JSON.parse(decodeText(body));
    } catch (e) {
      return null;
    }
    if (!values || typeof values !== 'object') return null;
    for (const k in values) if (typeof values[k] !== 'string') return null;
    return { slot: slot, seq: getWord(head, 4), values: values };
  }

  function load(): Image | null {
    const a = readSlot(0);
    const b = readSlot(1);
    const goodA = a && a !== 'blank' ? a : null;
    const goodB = b && b !== 'blank' ? b : null;
    const newest = goodA && (!goodB || goodA.seq > goodB.seq) ? goodA : goodB;
    // A slot that is neither blank nor valid is damage (or a write a cut interrupted).
    const damaged = a === null || b === null;
    health = !damaged ? 0 : newest ? 1 : 2;
    return newest;
  }

  function blank(index: number): boolean {
    const bytes = new Uint8Array(flash.read(index * sector, sector));
    for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0xff) return false;
    return true;
  }

  /** Erases the slot's first `needed` sectors, and any later one that is not blank (what a longer or interrupted image left). */
  function eraseSlot(slot: number, needed: number): void {
    for (let i = 0; i < slotSectors; i++) {
      const index = slot * slotSectors + i;
      if (i < needed || !blank(index)) flash.erase(index);
    }
  }

  let current = load();
  let values: Record<string, string> = current ? current.values : {};

  function commit(next: Record<string, string>, scrub: boolean): void {
    const body = encodeText(JSON.stringify(next));
    if (body.length > slotBytes - HEADER) throw new Error('storage full');
    const slot = current ? 1 - current.slot : 0;
    const seq = current ? (current.seq + 1) >>> 0 : 1;
    const base = slot * slotBytes;
    eraseSlot(slot, Math.ceil((HEADER + body.length) / sector));
    flash.write(base + HEADER, body.length, body);
    const head = new Uint8Array(HEADER);
    putWord(head, 0, MAGIC);
    putWord(head, 4, seq);
    putWord(head, 8, body.length);
    putWord(head, 12, crc32(body));
    flash.write(base, HEADER, head);
    const check = readSlot(slot);
    if (!check || check === 'blank' || check.seq !== seq) throw new Error('flash did not keep the write');
    const old = current;
    current = check;
    values = check.values;
    health = 0;
    if (old && scrub) eraseSlot(old.slot, 0);
  }

  function checkValue(key: string, value: string): void {
    for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 255) throw new Error('storage holds 8-bit text only (key ' + key + ')');
  }

  return {
    read: (key: string) => {
      const v = values[key];
      return typeof v === 'string' ? v : undefined;
    },
    write: (key: string, value: string) => {
      checkValue(key, value);
      const next: Record<string, string> = {};
      for (const k in values) next[k] = values[k];
      next[key] = value;
      commit(next, false);
    },
    erase: (key: string) => {
      if (typeof values[key] !== 'string') return;
      const next: Record<string, string> = {};
      for (const k in values) if (k !== key) next[k] = values[k];
      commit(next, true);
    },
    scrub: () => {
      // Rewrite the current image and erase the previous one, which may still hold removed values.
      const next: Record<string, string> = {};
      for (const k in values) next[k] = values[k];
      commit(next, true);
    },
    hasImage: () => current !== null,
    health: () => health,
    replaceAll: (all: Record<string, string>) => {
      for (const k in all) checkValue(k, all[k]);
      commit(all, true);
    },
  };
}
