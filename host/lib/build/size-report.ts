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

/** Bytes of `code` per source file of `map` (a Source Map v3 object), largest first. */
export function bytesPerModule(code: string, map: { sources: string[]; mappings: string }, root: string): ModuleBytes[] {
  const totals = new Map<string, number>();
  const add = (name: string, n: number) => totals.set(name, (totals.get(name) ?? 0) + n);
  const lines = code.split('\n');
  const state = { source: 0 };
  map.mappings.split(';').forEach((mapLine, i) => {
    const text = lines[i] ?? '';
    const segs = decodeLine(mapLine, state);
    let last = 0;
    segs.forEach(([col, src], j) => {
      if (j === 0 && col > 0) add('(glue)', Buffer.byteLength(text.slice(0, col)));
      const end = j + 1 < segs.length ? segs[j + 1][0] : text.length;
      add(src < 0 ? '(glue)' : relative(root, map.sources[src]).replace(/^(\.\.\/)+/, ''), Buffer.byteLength(text.slice(col, end)));
      last = end;
    });
    if (segs.length === 0) add('(glue)', Buffer.byteLength(text));
    else if (last < text.length) add('(glue)', Buffer.byteLength(text.slice(last)));
  });
  for (let i = map.mappings.split(';').length; i < lines.length; i++) add('(glue)', Buffer.byteLength(lines[i]));
  const newlines = lines.length - 1;
  if (newlines) add('(glue)', newlines);
  return [...totals].map(([module, bytes]) => ({ module, bytes })).sort((a, b) => b.bytes - a.bytes);
}

/** The report's lines: one per module, then the total. */
export function formatModuleBytes(rows: ModuleBytes[]): string[] {
  const total = rows.reduce((s, r) => s + r.bytes, 0);
  return rows.map((r) => `${String(r.bytes).padStart(6)}  ${((100 * r.bytes) / total).toFixed(1).padStart(5)}%  ${r.module}`).concat(`${String(total).padStart(6)}  total`);
}
