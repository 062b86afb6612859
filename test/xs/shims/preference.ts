// Shim of Moddable's `preference` module, per board store:
//
// 'sector' (Pico): modules/files/preference/esp/modPreference.c, which the
// preference manifest uses for the pico platform, byte for byte over the NOR
// flash model of ./flash.ts at _MODPREF_start (two 4 KB sectors). What that
// code does, and so this:
//  - one sector in use, marked by the signature 0x81213141 at its start; the
//    first sector wins when both carry it (findPrefsBlock); neither: both are
//    erased and the first signed (resetPrefs), even from a get();
//  - entries domain\0 key\0 type value, rounded to 4 bytes, appended; a value
//    at most 63 bytes and an entry at most 128 ("can't save prefs"); names over
//    31 characters "too long" (set only);
//  - set() first zeroes the old entry (erasePref), then appends the new one:
//    a cut between the two loses the old value;
//  - a set that does not fit compacts: erase the other sector, write ITS
//    signature, copy the live entries one by one, then zero the old sector's
//    signature. A cut mid-copy when copying into the first sector leaves a
//    signed first sector holding part of the entries: findPrefsBlock picks it,
//    and the rest, old and new, are gone.
//
// 'nvs' (ESP32): modules/files/preference/esp32/modPreference.c over ESP-IDF
// NVS, kept as a map: set() erases the key first (ERASE_KEY, an IDF type-change
// workaround), then nvs_set_*: a failed write loses the old value and throws
// "nvs set fail" (so do keys over 15 characters, NVS_KEY_NAME_MAX_SIZE - 1, and
// a string over 4000 bytes: NVS keeps a string within one page); a namespace
// over 15 characters is "nvs_open fail". Capacity coarsely: 32-byte entries, a
// string or blob takes 1 + ceil(bytes/32), 126 entries per 4 KB page, one page
// kept free, one entry per namespace.
//
// Power cuts (config.cutAfterWrites): see ./flash.ts; on NVS each erase and
// each set counts one operation.
//
// Checked by hand: the SDK's modPreference.c compiled on Linux over the same
// NOR model (pico xsHost.c's modSPI* semantics), fed the same 300 sets with and
// without a cut at 70 different flash operations, left byte-identical sectors
// and the same operation counts as this shim.
import { config, IN, onHost, textReply } from './host.ts';
import { flashErase, flashImage, flashOperation, flashRead, flashStats, flashWrite, PREFERENCE_START, SECTOR } from './flash.ts';

type Value = string | number | boolean | ArrayBuffer;

function checkValue(value: Value): void {
  if (typeof value === 'number' && !Number.isInteger(value)) throw new Error('float unsupported');
  if (!['string', 'number', 'boolean'].includes(typeof value) && !(value instanceof ArrayBuffer)) throw new Error('unsupported type');
}

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

// ---- Pico: modules/files/preference/esp/modPreference.c ----

const MAGIC = 0x81213141;
const BUFFER = 64; // kBufferSize
const TYPE = { boolean: 1, integer: 2, string: 3, buffer: 4 }; // modPreference.h kPrefsType*

function read32(at: number): number {
  const b = flashRead(at, 4);
  return (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
}

function magicBytes(value: number): Uint8Array {
  return Uint8Array.of(value & 255, (value >>> 8) & 255, (value >>> 16) & 255, value >>> 24);
}

function cString(at: number): Uint8Array {
  const b = flashRead(at, BUFFER);
  const end = b.indexOf(0);
  return b.subarray(0, end < 0 ? BUFFER : end);
}

function sameString(bytes: Uint8Array, text: string): boolean {
  const t = utf8(text);
  return bytes.length === t.length && bytes.every((b, i) => b === t[i]);
}

function prefSize(at: number): number {
  const b = flashRead(at, BUFFER);
  switch (b[0]) {
    case TYPE.boolean: return 2;
    case TYPE.integer: return 5;
    case TYPE.string: { const end = b.indexOf(0, 1); return 1 + (end < 0 ? BUFFER : end - 1) + 1; }
    case TYPE.buffer: return 1 + 2 + (b[1]! | (b[2]! << 8));
  }
  return SECTOR; // "force to skip to end of preferences"
}

function resetPrefs(): void {
  flashErase(PREFERENCE_START, SECTOR * 2);
  flashWrite(PREFERENCE_START, magicBytes(MAGIC));
}

function findPrefsBlock(): number | null {
  if (read32(PREFERENCE_START) === MAGIC) return PREFERENCE_START;
  if (read32(PREFERENCE_START + SECTOR) === MAGIC) return PREFERENCE_START + SECTOR;
  resetPrefs();
  return null;
}

interface Found { entry: number; value: number; size: number }

/** findPrefOffset: the entry of domain/key, or with both null the end of the entries. */
function findPrefOffset(domain: string | null, key: string | null): Found | null {
  let offset = findPrefsBlock();
  if (offset === null) {
    if (domain !== null && key !== null) return null;
    offset = PREFERENCE_START; // resetPrefs just signed the first sector
  }
  const endOffset = offset + SECTOR;
  offset += 4;
  while (offset < endOffset) {
    const b = flashRead(offset, Math.min(BUFFER, endOffset - offset));
    let i = 0;
    for (; i < b.length; i++) {
      if (b[i] === 0xff) return domain === null && key === null ? { entry: offset + i, value: 0, size: 0 } : null;
      if (b[i] !== 0) break;
    }
    offset += i;
    if (i === b.length) continue;
    const entry = offset;
    const d = cString(offset);
    let match = domain !== null && sameString(d, domain);
    offset += d.length + 1;
    const k = cString(offset);
    if (match) match = sameString(k, key!);
    offset += k.length + 1;
    const value = offset;
    offset += prefSize(offset);
    offset = (offset + 3) & ~3;
    if (match) return { entry, value, size: offset - entry };
  }
  if (domain === null && key === null) return { entry: offset - 1, value: 0, size: 0 };
  return null;
}

function erasePref(domain: string, key: string): void {
  const found = findPrefOffset(domain, key);
  if (!found) return;
  for (let at = found.entry, left = found.size; left > 0; ) {
    const use = Math.min(BUFFER, left);
    flashWrite(at, new Uint8Array(use));
    at += use;
    left -= use;
  }
}

function encodeValue(value: Value): { type: number; bytes: Uint8Array } {
  if (typeof value === 'boolean') return { type: TYPE.boolean, bytes: Uint8Array.of(value ? 1 : 0) };
  if (typeof value === 'number') return { type: TYPE.integer, bytes: magicBytes(value | 0) };
  if (typeof value === 'string') {
    const s = utf8(value);
    const out = new Uint8Array(s.length + 1);
    out.set(s);
    return { type: TYPE.string, bytes: out };
  }
  return { type: TYPE.buffer, bytes: new Uint8Array(value) };
}

function sectorSet(domain: string, key: string, value: Value): boolean {
  const { type, bytes } = encodeValue(value);
  const d = utf8(domain);
  const k = utf8(key);
  let size = d.length + 1 + k.length + 1 + 1 + bytes.length + (type === TYPE.buffer ? 2 : 0);
  size = (size + 3) & ~3;
  if (size > BUFFER * 2 || bytes.length > 63) return false;
  erasePref(domain, key);
  let end = findPrefOffset(null, null)!.entry;
  if (SECTOR - (end & (SECTOR - 1)) < size) {
    // compact, in modPreferenceSet's order
    let src = end & ~(SECTOR - 1);
    const srcSave = src;
    let dst = src === PREFERENCE_START ? PREFERENCE_START + SECTOR : PREFERENCE_START;
    if (!flashErase(dst, SECTOR)) return false;
    flashWrite(dst, magicBytes(MAGIC));
    dst += 4;
    src += 4;
    while (src < end) {
      const b = flashRead(src, Math.min(BUFFER * 2, end - src));
      let i = 0;
      while (i < b.length && b[i] === 0) i++;
      src += i;
      if (i === b.length) continue;
      if (b[i] === 0xff) break;
      const record = flashRead(src, BUFFER * 2);
      let n = record.indexOf(0) + 1;
      n += record.indexOf(0, n) - n + 1;
      n += prefSize(src + n);
      n = (n + 3) & ~3;
      flashWrite(dst, record.subarray(0, n));
      dst += n;
      src += n;
    }
    flashWrite(srcSave, magicBytes(0)); // invalidate the previous block
    end = findPrefOffset(null, null)!.entry;
    if (SECTOR - (end & (SECTOR - 1)) < size) return false; // not enough space
  }
  const entry = new Uint8Array(size);
  entry.set(d, 0);
  entry.set(k, d.length + 1);
  let at = d.length + 1 + k.length + 1;
  entry[at++] = type;
  if (type === TYPE.buffer) {
    entry[at++] = bytes.length & 255;
    entry[at++] = bytes.length >> 8;
  }
  entry.set(bytes, at);
  return flashWrite(end, entry);
}

function sectorGet(domain: string, key: string): Value | undefined {
  const found = findPrefOffset(domain, key);
  if (!found) return undefined;
  const b = flashRead(found.value, BUFFER);
  switch (b[0]) {
    case TYPE.boolean: return b[1] !== 0;
    case TYPE.integer: return b[1]! | (b[2]! << 8) | (b[3]! << 16) | (b[4]! << 24);
    case TYPE.string: return new TextDecoder().decode(cString(found.value + 1));
    case TYPE.buffer: return flashRead(found.value + 3, b[1]! | (b[2]! << 8)).slice().buffer;
  }
  return undefined;
}

/** Every live entry of the sector in use, in order (xs_preference_keys' walk). */
function sectorEntries(): { domain: string; key: string; value: Value }[] {
  const out: { domain: string; key: string; value: Value }[] = [];
  const start = read32(PREFERENCE_START) === MAGIC ? PREFERENCE_START : read32(PREFERENCE_START + SECTOR) === MAGIC ? PREFERENCE_START + SECTOR : null;
  if (start === null) return out;
  const dec = new TextDecoder();
  for (let offset = start + 4; offset < start + SECTOR; ) {
    const b = flashRead(offset, 1)[0];
    if (b === 0xff) break;
    if (b === 0) {
      offset++;
      continue;
    }
    const domain = dec.decode(cString(offset));
    offset += utf8(domain).length + 1;
    const key = dec.decode(cString(offset));
    offset += utf8(key).length + 1;
    out.push({ domain, key, value: sectorGet(domain, key)! });
    offset = (offset + prefSize(offset) + 3) & ~3;
  }
  return out;
}

// ---- ESP32: modules/files/preference/esp32/modPreference.c over NVS ----

const nvs = new Map<string, Value>();
const SEP = '\u0000';
const NVS_NAME_MAX = 15;

function nvsCost(value: Value): number {
  if (typeof value === 'string') return 1 + Math.ceil((utf8(value).length + 1) / 32);
  if (value instanceof ArrayBuffer) return 1 + Math.ceil(value.byteLength / 32);
  return 1;
}

function nvsUsed(): number {
  let n = 0;
  const domains = new Set<string>();
  for (const [name, value] of nvs) {
    n += nvsCost(value);
    domains.add(name.split(SEP)[0]!);
  }
  return n + domains.size;
}

function nvsCapacity(): number {
  return (config.preference.capacityBytes / 4096 - 1) * 126;
}

function nvsOperation(): void {
  if (flashOperation()) throw new Error('power cut (NVS operation ' + flashStats.operations + ')');
}

function nvsSet(domain: string, key: string, value: Value): void {
  if (utf8(domain).length > NVS_NAME_MAX) throw new Error('nvs_open fail');
  const name = domain + SEP + key;
  // ERASE_KEY: its result is not checked (the macro tests a stale err).
  if (nvs.has(name)) {
    nvsOperation();
    nvs.delete(name);
  }
  if (utf8(key).length > NVS_NAME_MAX) throw new Error('nvs set fail');
  if (typeof value === 'string' && utf8(value).length + 1 > 4000) throw new Error('nvs set fail');
  if (value instanceof ArrayBuffer && value.byteLength > config.preference.maxValueBytes) throw new Error('nvs set fail');
  nvsOperation();
  nvs.set(name, value instanceof ArrayBuffer ? value.slice(0) : value);
  if (nvsUsed() > nvsCapacity()) {
    nvs.delete(name);
    throw new Error('nvs set fail');
  }
}

// ---- the module ----

const sector = config.preference.store === 'sector';

const Preference = {
  set(domain: string, key: string, value: Value): void {
    domain = String(domain);
    key = String(key);
    checkValue(value);
    if (!sector) return nvsSet(domain, key, value);
    if (utf8(domain).length > 31 || utf8(key).length > 31) throw new Error('too long');
    if (!sectorSet(domain, key, value)) throw new Error("can't save prefs");
  },
  get(domain: string, key: string): Value | undefined {
    domain = String(domain);
    key = String(key);
    if (!sector) {
      if (utf8(domain).length > NVS_NAME_MAX) return undefined;
      if (utf8(key).length > NVS_NAME_MAX) throw new Error('nvs get fail');
      const v = nvs.get(domain + SEP + key);
      return v instanceof ArrayBuffer ? v.slice(0) : v;
    }
    return sectorGet(domain, key);
  },
  delete(domain: string, key: string): void {
    domain = String(domain);
    key = String(key);
    if (!sector) {
      if (!nvs.has(domain + SEP + key)) return;
      nvsOperation();
      nvs.delete(domain + SEP + key);
      return;
    }
    erasePref(domain, key);
  },
  keys(domain: string): string[] {
    if (!sector) {
      const out: string[] = [];
      for (const name of nvs.keys()) if (name.startsWith(domain + SEP)) out.push(name.slice(domain.length + 1));
      return out;
    }
    findPrefsBlock();
    return sectorEntries().filter((e) => e.domain === domain).map((e) => e.key);
  },
};

// Preferences present at power-up (a flash image, if given, already holds the Pico's).
if (!(sector && config.flash)) {
  const saved = config.cutAfterWrites;
  config.cutAfterWrites = undefined;
  for (const domain of Object.keys(config.preferences)) {
    for (const key of Object.keys(config.preferences[domain]!)) Preference.set(domain, key, config.preferences[domain]![key]!);
  }
  config.cutAfterWrites = saved;
  flashStats.operations = 0;
}

function snapshot(): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  if (sector) {
    for (const e of sectorEntries()) (out[e.domain] ??= {})[e.key] = e.value;
    return out;
  }
  for (const [name, value] of nvs) {
    const [domain, key] = name.split(SEP) as [string, string];
    (out[domain] ??= {})[key] = value;
  }
  return out;
}

function sectorUsed(): number {
  const found = read32(PREFERENCE_START) === MAGIC || read32(PREFERENCE_START + SECTOR) === MAGIC ? findPrefOffset(null, null) : null;
  return found ? (found.entry & (SECTOR - 1)) - 4 : 0;
}

// The host reads the store (and the Pico's flash) to restart the board with the same flash, and to look at its use.
onHost(IN.PREFERENCES, () =>
  textReply(JSON.stringify({
    preferences: snapshot(),
    used: sector ? sectorUsed() : nvsUsed(),
    capacity: sector ? SECTOR - 4 : nvsCapacity(),
    writes: flashStats.operations,
    flash: config.platform === 'pico' ? flashImage() : undefined,
  })),
);

export default Preference;
