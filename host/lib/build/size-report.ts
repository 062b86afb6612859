// Where an Espruino bundle's bytes go, per source module, after terser: the
// build asks esbuild for a source map, hands it to terser, and charges each
// byte of terser's output to the source file its mapping segment points at
// (a segment runs to the next one on the line). Bytes with no mapping (the
// IIFE wrapper, punctuation between statements) are charged to '(glue)'.
// Printed by `npx tsx host/tools/build.ts --verbose` and by `npm run bench`.
import { relative } from 'node:path';

export interface ModuleBytes {
  module: string;
  bytes: number;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decodes one source-map "mappings" line into [generated column, source index] pairs (Source Map v3 §"mappings"). */
function decodeLine(line: string, state: { source: number }): [number, number][] {
  const out: [number, number][] = [];
  let col = 0;
  for (const seg of line.split(',')) {
    if (!seg) continue;
    const values: number[] = [];
    let value = 0;
    let shift = 0;
    for (const ch of seg) {
      const digit = B64.indexOf(ch);
      value += (digit & 31) << shift;
      if (digit & 32) shift += 5;
      else {
        values.push(value & 1 ? -(value >>> 1) : value >>> 1);
        value = 0;
        shift = 0;
      }
    }
    col += values[0];
    if (values.length >= 4) {
      state.source += values[1];
      out.push([col, state.source]);
    } else out.push([col, -1]);
  }
  return out;
}

/**
 * Bytes of `code` per source file of `map` (a Source Map v3 object), largest
 * first. `weigh(start, end)` gives the bytes of code.slice(start, end)
 * (default: its UTF-8 bytes; the stored form's bytes for the report as stored).
 */
export function bytesPerModule(
  code: string,
  map: { sources: string[]; mappings: string },
  root: string,
  weigh: (start: number, end: number) => number = (a, b) => Buffer.byteLength(code.slice(a, b)),
): ModuleBytes[] {
  const totals = new Map<string, number>();
  const add = (name: string, n: number) => totals.set(name, (totals.get(name) ?? 0) + n);
  const lines = code.split('\n');
  const lineStart: number[] = [];
  for (let i = 0, at = 0; i < lines.length; at += lines[i].length + 1, i++) lineStart.push(at);
  const state = { source: 0 };
  const mapLines = map.mappings.split(';');
  mapLines.forEach((mapLine, i) => {
    const text = lines[i] ?? '';
    const o = lineStart[i] ?? code.length;
    const segs = decodeLine(mapLine, state);
    let last = 0;
    segs.forEach(([col, src], j) => {
      if (j === 0 && col > 0) add('(glue)', weigh(o, o + col));
      const end = j + 1 < segs.length ? segs[j + 1][0] : text.length;
      add(src < 0 ? '(glue)' : relative(root, map.sources[src]).replace(/^(\.\.\/)+/, ''), weigh(o + col, o + end));
      last = end;
    });
    if (segs.length === 0) add('(glue)', weigh(o, o + text.length));
    else if (last < text.length) add('(glue)', weigh(o + last, o + text.length));
  });
  for (let i = mapLines.length; i < lines.length; i++) add('(glue)', weigh(lineStart[i], lineStart[i] + lines[i].length));
  for (let i = 0; i < lines.length - 1; i++) add('(glue)', weigh(lineStart[i] + lines[i].length, lineStart[i] + lines[i].length + 1)); // the newlines
  return [...totals].map(([module, bytes]) => ({ module, bytes })).sort((a, b) => b.bytes - a.bytes);
}

/** The report's lines: one per module, then the total; with `stored` (bytes per module as stored), both columns. */
export function formatModuleBytes(rows: ModuleBytes[], stored?: ModuleBytes[]): string[] {
  const total = rows.reduce((s, r) => s + r.bytes, 0);
  if (!stored) return rows.map((r) => `${String(r.bytes).padStart(6)}  ${((100 * r.bytes) / total).toFixed(1).padStart(5)}%  ${r.module}`).concat(`${String(total).padStart(6)}  total`);
  const of = new Map(stored.map((r) => [r.module, r.bytes]));
  const storedTotal = stored.reduce((s, r) => s + r.bytes, 0);
  const row = (text: number, st: number, pct: string, name: string) => `${String(text).padStart(6)}  ${String(st).padStart(6)}  ${pct.padStart(5)}  ${name}`;
  return ['  text  stored  share  module (share of the stored bytes)']
    .concat(rows.map((r) => row(r.bytes, of.get(r.module) ?? 0, ((100 * (of.get(r.module) ?? 0)) / storedTotal).toFixed(1) + '%', r.module)))
    .concat(row(total, storedTotal, '', 'total'));
}

/**
 * Espruino API names the firmware reads as properties (espruino.com/Reference;
 * firmware/ports/espruino/espruino-api.ts and the ports' `declare`s): never shortened.
 */
const ESPRUINO_API_NAMES = [
  'setConsole', 'hwRand', 'toUint8Array', 'toString', 'CRC32', 'mapInPlace', 'writeTo', 'setup', 'scl', 'sda', 'bitrate',
  'createArrayBuffer', 'vertical_byte', 'msb', 'setFont', 'setFontCustom', 'drawString', 'fillRect', 'clear', 'buffer',
  'read', 'write', 'erase', 'state', 'time', 'repeat', 'edge', 'debounce', 'force', 'usage', 'total', 'free', 'memory',
  'SHA1', 'SHA256', 'SHA512', 'require', 'on', 'env', 'VERSION', 'BOARD',
];

/** Every property name some built-in of this JavaScript runtime has (its globals, their statics and prototypes). */
function builtinPropertyNames(): Set<string> {
  const names = new Set<string>();
  const seen = new Set<unknown>();
  const visit = (o: unknown, depth: number) => {
    if (!o || (typeof o !== 'object' && typeof o !== 'function') || seen.has(o) || depth > 2) return;
    seen.add(o);
    for (const k of Object.getOwnPropertyNames(o)) {
      names.add(k);
      if (depth < 2) {
        try {
          visit((o as Record<string, unknown>)[k], depth + 1);
        } catch {
          // a getter that throws off its object
        }
      }
    }
    visit(Object.getPrototypeOf(o), depth);
  };
  visit(globalThis, 0);
  return names;
}

/**
 * Property names of three or more characters left as they are in a shipped
 * bundle that are neither a built-in's nor an Espruino API's: the firmware's
 * own names that esbuild could shorten if they were added to
 * ESPRUINO_INTERNAL_PROPS (host/lib/build/esbuild-firmware.ts) - unless they
 * are keys of a record kept in Storage, or used as strings. With uses, most first.
 */
export function unshortenedNames(code: string): { name: string; uses: number }[] {
  const builtins = builtinPropertyNames();
  for (const n of ESPRUINO_API_NAMES) builtins.add(n);
  const counts = new Map<string, number>();
  // Strings first: a name inside a string literal is not a property.
  const bare = code.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`/g, '""');
  for (const m of bare.matchAll(/(?:\.|[{,])([A-Za-z_$][\w$]{2,})(?=\s*[:(=,;.)}\]\s+\-*/&|^?<>!]|$)/g)) {
    const name = m[1];
    if (m[0][0] !== '.' && !/^[{,]\w+\s*:/.test(m[0] + bare.slice(m.index! + m[0].length, m.index! + m[0].length + 1))) continue; // an object literal key needs its colon
    if (builtins.has(name)) continue;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts].map(([name, uses]) => ({ name, uses })).sort((a, b) => b.uses - a.uses);
}
