// Shim of Moddable's `preference` module: an in-memory store with the limits
// of the board's real one, so a port that only works without them fails here.
//  - names: domain and key at most maxKeyChars ("too long");
//  - values: Boolean, integer, String or ArrayBuffer ("unsupported type",
//    "float unsupported"); a string costs its UTF-8 bytes plus a NUL;
//  - size: a value over maxValueBytes, or one that does not fit the store's
//    capacity, throws "can't save prefs" and changes nothing.
// Capacity: 'sector' models modules/files/preference/esp/modPreference.c (one
// 4 KB sector, entries of domain\0 key\0 type value rounded to 4 bytes, a
// 4-byte signature); 'nvs' models ESP-IDF NVS coarsely (32-byte entries, a
// string takes 1 + ceil(bytes/32), 126 entries per 4 KB page, one page kept free).
import { config, IN, onHost, textReply } from './host.ts';

type Value = string | number | boolean | ArrayBuffer;
const store = new Map<string, Value>();
const SEP = '\u0000';

function valueBytes(value: Value): number {
  if (typeof value === 'string') return new TextEncoder().encode(value).length + 1;
  if (typeof value === 'boolean') return 1;
  if (typeof value === 'number') return 4;
  return value.byteLength + (config.preference.store === 'sector' ? 2 : 0);
}

function entryCost(domain: string, key: string, value: Value): number {
  const bytes = valueBytes(value);
  if (config.preference.store === 'sector') return (domain.length + 1 + key.length + 1 + 1 + bytes + 3) & ~3;
  return typeof value === 'string' || value instanceof ArrayBuffer ? 1 + Math.ceil(bytes / 32) : 1;
}

function capacity(): number {
  const p = config.preference;
  return p.store === 'sector' ? p.capacityBytes - 4 : (p.capacityBytes / 4096 - 1) * 126;
}

function used(): number {
  let n = 0;
  const domains = new Set<string>();
  for (const [name, value] of store) {
    const [domain, key] = name.split(SEP) as [string, string];
    n += entryCost(domain, key, value);
    domains.add(domain);
  }
  // NVS keeps one entry per namespace.
  return n + (config.preference.store === 'nvs' ? domains.size : 0);
}

// Power-cut model: after config.cutAfterWrites writes, flash takes no more.
let writes = 0;
function step(): void {
  writes++;
  if (config.cutAfterWrites !== undefined && writes > config.cutAfterWrites) throw new Error('power cut (preference write ' + writes + ')');
}

function check(domain: string, key: string): void {
  const max = config.preference.maxKeyChars;
  if (typeof domain !== 'string' || typeof key !== 'string') throw new TypeError('preference: domain and key must be strings');
  if (domain.length > max || key.length > max) throw new Error('too long');
}

const Preference = {
  set(domain: string, key: string, value: Value): void {
    check(domain, key);
    if (typeof value === 'number' && !Number.isInteger(value)) throw new Error('float unsupported');
    if (!['string', 'number', 'boolean'].includes(typeof value) && !(value instanceof ArrayBuffer)) throw new Error('unsupported type');
    const name = domain + SEP + key;
    if (valueBytes(value) > config.preference.maxValueBytes) throw new Error("can't save prefs");
    step();
    const old = store.get(name);
    store.delete(name);
    store.set(name, value instanceof ArrayBuffer ? value.slice(0) : value);
    if (used() > capacity()) {
      store.delete(name);
      if (old !== undefined) store.set(name, old);
      throw new Error("can't save prefs");
    }
  },
  get(domain: string, key: string): Value | undefined {
    check(domain, key);
    const v = store.get(domain + SEP + key);
    return v instanceof ArrayBuffer ? v.slice(0) : v;
  },
  delete(domain: string, key: string): void {
    check(domain, key);
    if (!store.has(domain + SEP + key)) return;
    step();
    store.delete(domain + SEP + key);
  },
  keys(domain: string): string[] {
    const out: string[] = [];
    for (const name of store.keys()) if (name.startsWith(domain + SEP)) out.push(name.slice(domain.length + 1));
    return out;
  },
};

for (const domain of Object.keys(config.preferences)) {
  for (const key of Object.keys(config.preferences[domain]!)) store.set(domain + SEP + key, config.preferences[domain]![key]!);
}

// The host reads the store to restart the board with the same flash, and to look at its use.
onHost(IN.PREFERENCES, () => {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, value] of store) {
    const [domain, key] = name.split(SEP) as [string, string];
    (out[domain] ??= {})[key] = value;
  }
  return textReply(JSON.stringify({ preferences: out, used: used(), capacity: capacity(), writes }));
});

export default Preference;
