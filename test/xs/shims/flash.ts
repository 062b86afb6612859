// The Pico's QSPI NOR flash, as the SDK drives it (xs/platforms/pico/xsHost.c):
//  - modSPIErase(offset, size): whole 4 KB sectors (FLASH_SECTOR_SIZE) only, else
//    it fails; an erased byte reads 0xFF;
//  - modSPIWrite(offset, size, src): flash_range_program of whole 256-byte pages
//    (FLASH_PAGE_SIZE), an unaligned head or tail padded with 0xFF; programming
//    only clears bits (NOR: new = old & data), so a byte is written once per erase;
//  - modSPIRead: a copy from the XIP window.
// Where things are: the linker script (build/devices/pico/config/xsproj_rp2040.ld)
// puts the Preference store at _MODPREF_start = 0x101F8000 (two sectors), and
// modGetPartition(kPartitionStorage) gives the 64 KB just below it
// (MODDEF_FILE_LFS_PARTITION_SIZE), the partition totp-native's Flash opens.
//
// Power cuts: config.cutAfterWrites counts every sector erase and every page
// program. The one that the cut hits is torn (half the sector erased, half the
// page programmed), and it and every later one throw, as if power went there.
import { config } from './host.ts';

export const SECTOR = 4096;
export const PAGE = 256;
export const PREFERENCE_START = 0x1f8000;
const STORAGE_BYTES = 65536;

const sectors = new Map<number, Uint8Array>();
for (const [at, hex] of Object.entries(config.flash ?? {})) {
  const s = new Uint8Array(SECTOR);
  for (let i = 0; i < SECTOR; i++) s[i] = parseInt(hex.substr(i * 2, 2), 16);
  sectors.set(Number(at) / SECTOR, s);
}

export const flashStats = { operations: 0 };

export function storagePartition(): { start: number; length: number } {
  return { start: PREFERENCE_START - STORAGE_BYTES, length: STORAGE_BYTES };
}

function sectorAt(index: number): Uint8Array {
  let s = sectors.get(index);
  if (!s) {
    s = new Uint8Array(SECTOR).fill(0xff);
    sectors.set(index, s);
  }
  return s;
}

/** Counts a flash operation; true when this one is the one the power cut tears (it throws past that). */
export function flashOperation(): boolean {
  flashStats.operations++;
  const cut = config.cutAfterWrites;
  if (cut === undefined) return false;
  if (flashStats.operations > cut + 1) throw new Error('power cut (flash operation ' + flashStats.operations + ')');
  return flashStats.operations === cut + 1;
}

export function flashRead(offset: number, size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    const s = sectors.get(Math.floor((offset + i) / SECTOR));
    out[i] = s ? s[(offset + i) % SECTOR]! : 0xff;
  }
  return out;
}

/** modSPIErase: false (nothing done) unless offset and size are whole sectors. */
export function flashErase(offset: number, size: number): boolean {
  if (offset % SECTOR || size % SECTOR) return false;
  for (let at = offset; at < offset + size; at += SECTOR) {
    const torn = flashOperation();
    const s = sectorAt(at / SECTOR);
    if (torn) {
      s.fill(0xff, 0, SECTOR / 2);
      throw new Error('power cut (erasing sector 0x' + at.toString(16) + ')');
    }
    s.fill(0xff);
  }
  return true;
}

/** modSPIWrite: page by page, each byte ANDed into what the flash holds. */
export function flashWrite(offset: number, data: Uint8Array): boolean {
  let i = 0;
  while (i < data.length) {
    const at = offset + i;
    const n = Math.min(PAGE - (at % PAGE), data.length - i);
    const torn = flashOperation();
    const keep = torn ? Math.floor(n / 2) : n;
    for (let k = 0; k < keep; k++) {
      const s = sectorAt(Math.floor((at + k) / SECTOR));
      s[(at + k) % SECTOR]! &= data[i + k]!;
    }
    if (torn) throw new Error('power cut (programming the page at 0x' + (at - (at % PAGE)).toString(16) + ')');
    i += n;
  }
  return true;
}

/** The flash the host keeps across a restart: every sector not blank, in hex, by byte offset. */
export function flashImage(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [index, s] of sectors) {
    if (s.every((b) => b === 0xff)) continue;
    let text = '';
    for (const b of s) text += (b < 16 ? '0' : '') + b.toString(16);
    out[String(index * SECTOR)] = text;
  }
  return out;
}
