// The data half of Espruino's `E` object, the one copy both fakes use (the
// harness, test/espruino/harness.ts, and the fake REPL,
// test/helpers/fake-espruino-repl.ts): E.toString, E.toUint8Array, E.CRC32 and
// E.mapInPlace, ported from Espruino 2v29's src/jswrap_espruino.c
// (jswrap_espruino_toStringX, _toUint8Array, _CRC32, _mapInPlace), with the
// argument walk of src/jsvariterator.c (jsvIterateCallback) and the number
// conversion of src/jsvar.c (jsvGetInteger), failure modes included: the same
// errors with the same messages, and undefined where Espruino returns nothing.
// test/espruino/fake-e.test.ts holds the cases as the real 2v29 interpreter
// answered them, and with ESPRUINO_BIN set runs them on it again.
//
// Strings are byte strings here, as on the boards (Pico, ESP32), whose builds
// have no ESPR_UNICODE_SUPPORT: a char code above 255 keeps its low byte. The
// Linux build does have it and would walk such a string as its UTF-8 bytes.
// Not modelled: E.toFlatString's allocation failure (undefined when memory is
// short), and Espruino's TypeError not being an instanceof Error.
import { types } from 'node:util';
import vm from 'node:vm';

type Bytes = ArrayLike<number>;

/** The elements of `v` when it is a typed array, or its bytes when an ArrayBuffer (either from any realm); else null. */
function arrayBufferElements(v: unknown): Bytes | null {
  if (types.isArrayBuffer(v)) return new Uint8Array(v); // jsvIsArrayBuffer: an ArrayBuffer is a Uint8 view of itself
  if (types.isTypedArray(v)) return v as unknown as Bytes;
  return null;
}

/**
 * src/jsvar.c jsvGetInteger: numbers truncated (NaN and infinities 0), booleans
 * 0/1, null/undefined 0, an array or buffer of one element that element, a
 * string that reads as an integer (decimals cut, 0x hex: stringToInt) its value,
 * anything else 0.
 */
export function espruinoInteger(v: unknown): number {
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const s = v.trim();
    if (/^[+-]?0x[0-9a-f]+$/i.test(s)) return (s[0] === '-' ? -1 : 1) * parseInt(s.replace(/^[+-]/, ''), 16);
    if (/^[+-]?\d+(\.\d*)?$/.test(s)) return parseInt(s, 10);
    return 0;
  }
  const items = Array.isArray(v) ? v : arrayBufferElements(v);
  if (items && items.length === 1) return espruinoInteger(items[0]);
  return 0;
}

/**
 * How Espruino's %j prints a value in an error message (src/jswrap_json.c,
 * JSON_PRETTY: `{ "a": 1 }`, `[ 1, 2 ]`). Its JSON_SOME_NEWLINES line breaks
 * are not modelled: compare such messages with runs of whitespace folded.
 */
function espruinoJson(v: unknown): string {
  if (Array.isArray(v)) return '[ ' + v.map(espruinoJson).join(', ') + ' ]';
  if (v !== null && typeof v === 'object') return '{ ' + Object.entries(v).map(([k, x]) => JSON.stringify(k) + ': ' + espruinoJson(x)).join(', ') + ' }';
  return v === undefined ? 'undefined' : JSON.stringify(v);
}

export interface FakeE {
  toString(...args: unknown[]): string;
  toUint8Array(...args: unknown[]): Uint8Array;
  CRC32(data: unknown): number | undefined;
  mapInPlace(from: unknown, to: unknown, map?: unknown, bits?: number): void;
}

/**
 * The data methods of E, their errors and Uint8Arrays made in the realm
 * `context()` returns (so `instanceof Uint8Array` / `TypeError` hold in the
 * code under test, as on a board). A function: the harness builds its globals
 * before its context exists.
 */
export function fakeEspruinoE(context: () => vm.Context): FakeE {
  const realm = <T>(name: string) => vm.runInContext(name, context()) as T;
  const typeError = (message: string) => new (realm<ErrorConstructor>('TypeError'))(message);
  const error = (message: string) => new (realm<ErrorConstructor>('Error'))(message);

  /** src/jsvariterator.c jsvIterateCallback: every byte `data` stands for, each cut to 8 bits. */
  function eachByte(data: unknown, out: (byte: number) => void): void {
    if (typeof data === 'number' || typeof data === 'boolean') return out(espruinoInteger(data) & 255); // jsvIsNumeric
    if (typeof data === 'string') {
      for (let i = 0; i < data.length; i++) out(data.charCodeAt(i) & 255);
      return;
    }
    const buffer = arrayBufferElements(data);
    if (buffer) {
      for (let i = 0; i < buffer.length; i++) out(espruinoInteger(buffer[i]) & 255);
      return;
    }
    if (Array.isArray(data)) {
      for (let i = 0; i < data.length; i++) eachByte(data[i], out); // JSIF_EVERY_ARRAY_ELEMENT: a hole is undefined, which throws
      return;
    }
    if (typeof data === 'function') return; // iterable, but a plain function has no elements to walk (measured: E.toString(function(){}) is "")
    if (data !== null && typeof data === 'object') {
      const o = data as { callback?: unknown; count?: unknown; data?: unknown };
      if (typeof o.callback === 'function') {
        const r = (o.callback as () => unknown)();
        if (r !== undefined) eachByte(r, out); // `if (result)`: undefined adds nothing, null is a value (and throws below)
        return;
      }
      if (o.data !== undefined && (typeof o.count === 'number' || typeof o.count === 'boolean')) {
        for (let n = espruinoInteger(o.count); n > 0; n--) eachByte(o.data, out);
        return;
      }
      throw typeError(`If specifying an object, it must be of the form {data : ..., count : N} or {callback : fn} - got ${espruinoJson(data)}`);
    }
    throw typeError(`Expecting Number or iterable, got ${data === null ? 'null' : 'undefined'}`);
  }
  const bytesOf = (args: unknown[]) => {
    const bytes: number[] = [];
    eachByte(args, (b) => bytes.push(b));
    return bytes;
  };

  return {
    // jswrap_espruino_toStringX: one string argument comes back as it is; else each byte as a char.
    toString: (...args) => {
      if (args.length === 1 && typeof args[0] === 'string') return args[0];
      return bytesOf(args).map((b) => String.fromCharCode(b)).join('');
    },
    toUint8Array: (...args) => new (realm<Uint8ArrayConstructor>('Uint8Array'))(bytesOf(args)),
    // jswrap_espruino_CRC32: undefined unless iterable (jsvIsIterable: string, array, buffer, object);
    // each element's jsvGetInteger cut to 8 bits (a string's chars; an array's "7" is 7, "x" 0), zlib's CRC-32.
    CRC32: (data) => {
      let items: ArrayLike<unknown>;
      if (typeof data === 'string') items = Array.prototype.map.call(data, (c: string) => c.charCodeAt(0)) as number[];
      else if (arrayBufferElements(data)) items = arrayBufferElements(data)!;
      else if (Array.isArray(data)) items = data;
      else if (data !== null && typeof data === 'object') items = Object.values(data);
      else if (typeof data === 'function') items = [];
      else return undefined;
      let crc = 0xffffffff;
      for (let i = 0; i < items.length; i++) {
        crc ^= espruinoInteger(items[i]) & 255;
        for (let t = 0; t < 8; t++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
      }
      return ~crc >>> 0;
    },
    // jswrap_espruino_mapInPlace: `bits` per element taken from `from` (MSB first; negative: LSB
    // first; 0 or absent: the element size, 1:1), each mapped by an array, a buffer or
    // map(value, index) - index of `from` - or passed through, until either array runs out.
    mapInPlace: (from, to, map, bits) => {
      const src = types.isTypedArray(from) ? (from as unknown as Bytes) : types.isArrayBuffer(from) ? new Uint8Array(from) : null;
      const dst = types.isTypedArray(to) ? (to as unknown as { [i: number]: number; length: number }) : types.isArrayBuffer(to) ? new Uint8Array(to) : null;
      if (!src || !dst) throw error('First 2 arguments should be array buffers');
      const isFn = typeof map === 'function';
      if (map !== undefined && !Array.isArray(map) && !arrayBufferElements(map) && !isFn) throw error('Third argument should be a function or array');
      const bitsFrom = 8 * ((src as unknown as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1);
      let n = espruinoInteger(bits);
      const msbFirst = n >= 0;
      n = Math.abs(n) || bitsFrom;
      let el = 0n;
      let b = 0;
      let i = 0;
      for (let o = 0; (i < src.length || b >= n) && o < dst.length; o++) {
        const index = i;
        while (b < n) {
          const v = BigInt(espruinoInteger(src[i++]));
          el = msbFirst ? (el << BigInt(bitsFrom)) | v : el | (v << BigInt(b));
          b += bitsFrom;
        }
        const mask = (1n << BigInt(n)) - 1n;
        let v: number;
        if (msbFirst) v = Number((el >> BigInt(b - n)) & mask);
        else {
          v = Number(el & mask);
          el >>= BigInt(n);
        }
        b -= n;
        if (msbFirst) el &= (1n << BigInt(b)) - 1n; // the bits still to read (Espruino's int drops the rest as it shifts)
        const mapped = map === undefined ? v : isFn ? (map as (v: number, i: number) => unknown)(v, index) : (map as ArrayLike<unknown>)[v];
        const isFloat = types.isFloat32Array(dst) || types.isFloat64Array(dst);
        dst[o] = isFloat ? Number(mapped ?? 0) : espruinoInteger(mapped);
      }
    },
  };
}
