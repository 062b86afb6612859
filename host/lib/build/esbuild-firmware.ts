// esbuild settings for code that runs on the boards. esbuild cannot emit ES5,
// so protocol/ and firmware/ are written in the Espruino subset and esbuild
// only strips types and joins modules. The target is pinned to es2017 so the
// minifier never introduces `?.` or `??=` (it would for es2020+); the
// subset check runs over the output to prove it.
import { build } from 'esbuild';
import ts from 'typescript';
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tokenizeSource } from '../device-text.ts';
import { arrowifySource } from './arrow-functions.ts';
import { minify as terserMinify } from 'terser';
import type { BuildOptions, Plugin } from 'esbuild';
import { bytesPerModule } from './size-report.ts';
import { FULL_TOKEN_FORM, pretokenise } from '../flash/espruino-tokens.ts';
import { indexProperties, RESERVED_FOR_PROPERTIES, skipNames } from './property-index.ts';
import type { ModuleBytes } from './size-report.ts';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export function firmwareBuildOptions(entry: string, outfile: string, minify: boolean): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'iife',
    platform: 'neutral',
    target: 'es2017',
    minify,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'silent',
    // Espruino's require("crypto") / require("Storage") and Moddable's modules
    // are provided by the runtime, not bundled.
    external: ['crypto', 'Storage', 'Flash', 'Graphics', 'preference', 'time', 'crypt', 'embedded:*'],
  };
}

/**
 * Modules with an Espruino-specific twin in firmware/ports/espruino/: same
 * exports, built on the interpreter's natives, so the bundle carries less code
 * (the Espruino bundle must stay within 16 KB). Keyed by the path from the
 * repository root.
 */
export const ESPRUINO_SUBSTITUTES: { [module: string]: string } = {
  'protocol/base64.ts': 'firmware/ports/espruino/native-base64.ts', // native btoa/atob
  'protocol/say.ts': 'firmware/ports/espruino/say.ts', // tokens for device text (templates replaced below)
  'protocol/hmac.ts': 'firmware/ports/espruino/native-hmac.ts', // pads by native E.mapInPlace
  'protocol/crc32.ts': 'firmware/ports/espruino/native-crc32.ts', // native E.CRC32
  'protocol/latin1.ts': 'firmware/ports/espruino/native-latin1.ts', // native E.toUint8Array/E.toString
};

/**
 * Board-profile properties only the host reads (docs, flasher checks, which
 * entry to build). They stay out of the firmware, where every byte of string
 * costs RAM.
 */
const HOST_ONLY_BOARD_KEYS = ['runtime', 'name', 'wiring', 'firmwareEntry', 'nativeHashes'];
const HOST_ONLY_SUB_KEYS: { [key: string]: string[] } = {
  espruino: ['firmwareBoards', 'replMode'],
  display: ['driver', 'pins'],
  storage: ['kind'],
  clock: ['source'],
};

function stripHostOnly(profile: { [key: string]: unknown }): { [key: string]: unknown } {
  const out: { [key: string]: unknown } = {};
  for (const key of Object.keys(profile)) {
    if (HOST_ONLY_BOARD_KEYS.includes(key)) continue;
    const value = profile[key];
    const drop = HOST_ONLY_SUB_KEYS[key];
    if (drop && value && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value).filter(([k]) => !drop.includes(k)));
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** A JavaScript literal of JSON-like data with bare keys (quoted keys would escape the property shortening below). */
function jsLiteral(value: unknown): string {
  if (Array.isArray(value)) return '[' + value.map(jsLiteral).join(',') + ']';
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)) + ':' + jsLiteral(v));
    return '{' + entries.join(',') + '}';
  }
  return JSON.stringify(value);
}

/**
 * A tokenized say() with no values is a constant: what the Espruino say
 * (firmware/ports/espruino/say.ts) returns for it, 0x1E token 0x1D, written
 * as the string itself (one stored byte less than the call, 18 calls).
 */
export function foldBareSay(source: string): string {
  return source.replace(/\bsay\(\s*("(?:[^"\\\n]|\\.)*")\s*\)/g, (_m, literal: string) => JSON.stringify('\x1e' + (JSON.parse(literal) as string) + '\x1d'));
}

/**
 * Names the firmware owns that an Espruino built-in has too: the Espruino
 * build shortens them (ESPRUINO_INTERNAL_PROPS), so the built-in's must be
 * read quoted, `err['message']`, `g['clear']()`: esbuild's mangleProps leaves
 * a quoted name whole, and a dotted read would ask the built-in for a member
 * it does not have. `message` is the wire field key and an Error's, `total`
 * the wire field key and process.memory()'s (read in any module of an Espruino
 * bundle, test entries too); `clear` and `fillRect` are the Canvas's
 * and AccessControl's, and Graphics' (only the Espruino port's modules,
 * firmware/ports/espruino/, touch Espruino built-ins).
 */
export const SHARED_WITH_BUILTINS: { name: string; where: RegExp }[] = [
  { name: 'message', where: /./ },
  { name: 'total', where: /./ },
  { name: 'clear', where: /[\\/]firmware[\\/]ports[\\/]espruino[\\/]/ },
  { name: 'fillRect', where: /[\\/]firmware[\\/]ports[\\/]espruino[\\/]/ },
];

/** Throws on a dotted read of a SHARED_WITH_BUILTINS name in a module where it would be the built-in's (comments and strings aside). */
export function refuseDottedBuiltins(source: string, path: string): void {
  const names = SHARED_WITH_BUILTINS.filter((s) => s.where.test(path)).map((s) => s.name);
  if (names.length === 0) return;
  const sf = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const visit = (n: ts.Node): void => {
    if (ts.isPropertyAccessExpression(n) && names.includes(n.name.text)) {
      const line = sf.getLineAndCharacterOfPosition(n.name.getStart(sf)).line + 1;
      throw new Error(`${path}:${line}: read the built-in's ${n.name.text} as ['${n.name.text}'] (the Espruino build shortens the firmware's own .${n.name.text}: SHARED_WITH_BUILTINS)`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
}

/** The Espruino build's substitutions (above) and board profiles reduced to what the firmware reads. */
export function espruinoPlugin(): Plugin {
  const twins = new Map(Object.entries(ESPRUINO_SUBSTITUTES).map(([from, to]) => [join(repoRoot, from), join(repoRoot, to)]));
  return {
    name: 'espruino-substitutes',
    setup(b) {
      b.onResolve({ filter: /\.ts$/ }, (args) => {
        if (!args.resolveDir) return undefined;
        const twin = twins.get(resolve(args.resolveDir, args.path));
        return twin ? { path: twin } : undefined;
      });
      // Every module of an Espruino bundle (test entries too): no dotted read of a built-in's shortened name.
      b.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (!/[\\/]node_modules[\\/]/.test(args.path)) refuseDottedBuiltins(await readFile(args.path, 'utf8'), args.path);
        return undefined;
      });
      b.onLoad({ filter: /[\\/]boards[\\/]espruino-[^\\/]*\.ts$/ }, async (args) => {
        if (args.path.endsWith('espruino-profile.ts')) return undefined;
        const mod = (await import(pathToFileURL(args.path).href)) as { [name: string]: { [key: string]: unknown } };
        const lines = Object.keys(mod).map((name) => 'export const ' + name + ' = ' + jsLiteral(stripHostOnly(mod[name])) + ';');
        return { contents: lines.join('\n'), loader: 'js' };
      });
      // Device text: each template becomes its token (say('<token>'),
      // refuse(status, '<token>'), badRequest('<token>')); the host
      // puts the words back (host/lib/device-text.ts). Then function
      // declarations become arrow functions (arrow-functions.ts says why).
      b.onLoad({ filter: /[\\/](protocol|firmware)[\\/].*\.ts$/ }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        return { contents: arrowifySource(foldBareSay(tokenizeSource(source, args.path)), args.path), loader: 'ts' };
      });
    },
  };
}

/**
 * Property names the minifier may shorten in Espruino bundles (esbuild
 * renames each the same way everywhere in the bundle). Only names the
 * firmware owns:
 * - its interfaces between modules (Outcome, PendingConfirm, Handler,
 *   AccessControl, Clock, Ports, Canvas, CodeView, Hash, DeviceLink, TokenApp,
 *   FieldSpec) and the board profile (an object literal in the bundle);
 * - the wire field keys: the field table is an object literal and the code
 *   reads fields as properties, so table and readers change together (the
 *   wire itself carries tags, never keys);
 * - COMMANDS' names (read with a dot only).
 * Never: a key of a record kept in Storage as JSON (clock.ts's and access.ts's
 * records, which use one- and two-letter keys for that reason), so a reflash
 * reads what the last firmware wrote; a key used
 * as a string value ('stored'); ERRORS' names (looked up by string); a name an
 * Espruino built-in has that the bundle reads (max, set, write, read, erase,
 * buffer, setup, scl, sda, bitrate, SHA1 ...): each of those must reach the
 * interpreter spelled as in the source. Except the few in
 * SHARED_WITH_BUILTINS (message, total, clear, fillRect), whose built-in
 * reads are written quoted and checked; and names of globals or of built-ins
 * the firmware never reads as properties (setTimeout, setInterval, random:
 * Math.random is never used, DESIGN.md).
 */
export const ESPRUINO_INTERNAL_PROPS = [
  // interfaces between the firmware's modules
  'fields', 'confirm', 'then', 'deadlineMs', 'run', 'handle', 'hashFor', 'codeFor', 'enabled', 'unlocked', 'setKey',
  'unlock', 'hello', 'nowMs', 'setMs', 'isSet', 'driftPpm', 'ownMs', 'serial', 'canvas', 'timers', 'hashes',
  'onButton', 'digest', 'blockLen', 'flip', 'label', 'sublabel', 'index', 'count', 'warning', 'onData',
  'commit', 'render', 'linkClosed', 'pendingAction', 'reply', 'fault', 'tag', 'type', 'key', 'id', 'command', 'status', 'list',
  'find', 'seq', 'accounts', 'sync', 'needsConfirm', 'lock', 'access', 'text', 'width', 'height', 'cellW', 'cellH',
  'settled', // PendingConfirm's
  'maxLen', // FieldSpec's
  'clear', 'fillRect', // Canvas's and AccessControl's (Graphics' too: SHARED_WITH_BUILTINS)
  'setInterval', 'setTimeout', 'random', // Ports' timers and random source (the bundle calls the globals setInterval/setTimeout by name, never as properties; Math.random is never used: DESIGN.md)
  'load', 'health', 'scrub', // CheckedStorage's own (Espruino's Storage has none of them; its `load` is a global)
  // board profile
  'maxAccounts', 'typicalDriftPpm', 'espruino', 'storage', 'display', 'buttons', 'role', 'activeLow', 'pin', 'i2c', 'bus',
  'address', 'confirmHint', 'link', 'baud', 'nativeHashes', 'font', 'rng',
  // wire field keys ('total' is also process.memory()'s, which the firmware never reads and a test entry reads quoted;
  // 'message' is also Error's: SHARED_WITH_BUILTINS)
  'message', 'name', 'issuer', 'algorithm', 'digits', 'period', 'secret', 'timeMs', 'newName', 'newIssuer', 'check', 'code',
  'total', 'secondsLeft', 'firmware', 'board', 'algorithms', 'slotsTotal', 'slotsFree', 'clock', 'protocol', 'maxBody', 'account',
  'timeoutS', 'action', 'start', 'next', 'syncedAtMs', 'driftCentiPpm', 'errorMs', 'challenge', 'response',
  'salt', 'locked', 'accessKey', 'iterations', 'counter', 'nextHotp', 'untilMs', 'storageHealth', 'roundTripMs', 'suspectAtMs', 'suspectMs', 'session', 'hostClock',
  // COMMANDS
  'HELLO', 'TIME_GET', 'TIME_SET', 'ADD', 'LIST', 'REMOVE', 'RENAME', 'KEY_CHECK', 'CODE', 'WIPE', 'UNLOCK',
  'SET_PASSWORD', 'CLEAR_PASSWORD',
];

/** Built-ins replaced by the short names of firmware/ports/espruino/short-builtins.ts. */
const SHORT_BUILTINS: { [expr: string]: string } = {
  'Math.floor': 'mathFloor',
  'Math.ceil': 'mathCeil',
  'Math.round': 'mathRound',
  'Math.max': 'mathMax',
  'Math.min': 'mathMin',
};

/**
 * Built-ins the minified bundle reads through a parameter of the wrapper
 * terser puts around it (squeezeForEspruino's `enclose`): esbuild rewrites
 * each use to the parameter's name, terser shortens that to one letter and
 * passes the built-in in once. The non-minified bundle has no wrapper, so
 * only a minified build defines them.
 */
const ENCLOSED_BUILTINS: { [name: string]: string } = {
  Uint8Array: 'u8Array', // 19 uses
  Object: 'objectClass', // 4
  global: 'globalObject', // 4
  setTimeout: 'setTimeoutFn', // 3
  Error: 'errorClass', // 9 (called without new: the same on Espruino and in JavaScript)
  JSON: 'jsonObject', // 4
  Math: 'mathObject', // short-builtins.ts's 5 plus sqrt, PI, SQRT2, abs, pow in clock.ts
  getTime: 'getTimeFn', // 3 (a native that reads no `this`)
};
/** terser's enclose: the parameters above, then `undefined` (given no value, so it is undefined: `void 0` becomes one letter). */
const ENCLOSE = Object.values(ENCLOSED_BUILTINS).concat(['undefined']).join(',') + ':' + Object.keys(ENCLOSED_BUILTINS).join(',');

/** The settings for an Espruino bundle: the common ones plus the Espruino substitutions. */
export function espruinoBuildOptions(entry: string, outfile: string, minify: boolean, early: string[] = []): BuildOptions {
  return {
    ...firmwareBuildOptions(entry, outfile, minify),
    // es2019 for its one new syntax: a catch that never reads its exception
    // loses the binding (`catch{`, 3 stored bytes each). Espruino's parser
    // reads the binding only if a `(` follows catch (src/jsparse.c
    // jspeStatementTry), run on 2v29. ES2019 adds no other syntax, and what
    // ES2018 added the subset check would catch.
    target: minify ? 'es2019' : 'es2017',
    // Minified, terser's enclose wraps the bundle in a function: esbuild's own
    // IIFE inside it would be one more.
    format: minify ? 'esm' : 'iife',
    plugins: [espruinoPlugin()],
    mangleProps: minify ? new RegExp('^(' + ESPRUINO_INTERNAL_PROPS.join('|') + ')$') : undefined,
    inject: [join(repoRoot, 'firmware/ports/espruino/short-builtins.ts')].concat(early),
    define: minify ? Object.assign({}, SHORT_BUILTINS, ENCLOSED_BUILTINS) : SHORT_BUILTINS,
    // tsconfig's strict mode would add "use strict", which Espruino ignores.
    tsconfigRaw: { compilerOptions: { alwaysStrict: false } },
  };
}

/**
 * Modules placed first in a minified Espruino bundle when it holds them
 * anyway: terser's mangler names a scope's variables in the order they are
 * declared, so the first get one-letter names, and refuse()'s two functions
 * are called some 30 times (-31 B stored; each other module tried measured
 * no gain). Placed first by esbuild's inject, which would also add a module
 * (and what it imports) to a bundle that never uses it: hence "anyway".
 */
const EARLY_MODULES = ['firmware/refuse.ts'];

/** The minified build's settings for `entry`, with EARLY_MODULES that its bundle holds anyway placed first. */
export async function minifiedEspruinoBuildOptions(entry: string, outfile: string): Promise<BuildOptions> {
  const probe = await build({ ...espruinoBuildOptions(entry, outfile, true), write: false, metafile: true });
  const inputs = Object.keys(probe.metafile!.inputs).map((p) => resolve(p));
  const early = EARLY_MODULES.map((m) => join(repoRoot, ESPRUINO_SUBSTITUTES[m] ?? m)).filter((m) => inputs.includes(m));
  return espruinoBuildOptions(entry, outfile, true, early);
}

/**
 * Terser's second pass over esbuild's minified output: its compressor
 * (several passes, top-level inlining, arrows for plain functions) takes
 * about 1.2 KB more off an Espruino bundle than esbuild alone. The options
 * keep to constructs Espruino parses; the subset check over dist/ and the
 * real-interpreter suites prove it. Then the property reads that pay go
 * through the wrapper's parameters (property-index.ts: `.length` -> `[L]`).
 * With `map` (esbuild's source map) it also returns terser's map, which maps
 * `mapped` (terser's output), and for each byte of `code` the offset in
 * `mapped` it came from: the per-module size report needs both.
 */
export async function squeezeForEspruino(code: string, map?: string): Promise<string>;
export async function squeezeForEspruino(code: string, map: string, withMap: true): Promise<{ code: string; map: string; mapped: string; origin: number[] }>;
export async function squeezeForEspruino(code: string, map?: string, withMap?: boolean): Promise<string | { code: string; map: string; mapped: string; origin: number[] }> {
  const out = await terserMinify(code, {
    ecma: 2015,
    compress: {
      passes: 10,
      toplevel: true,
      pure_getters: true,
      unsafe: true,
      unsafe_arrows: true,
      unsafe_comps: true,
      unsafe_methods: true,
      unsafe_undefined: true, // `void 0` -> the enclosed `undefined` below
      keep_fargs: false,
      inline: 3,
    },
    enclose: ENCLOSE,
    // The letters property-index.ts gives its parameters are never a mangled name.
    mangle: { toplevel: true, nth_identifier: skipNames(RESERVED_FOR_PROPERTIES) },
    format: { ascii_only: false, comments: false },
    sourceMap: map ? { content: map } : false,
  });
  if (out.code === undefined) throw new Error('terser produced no code');
  // The lexer reads bytes: the rewrite works on the UTF-8 bytes, one char each.
  const indexed = indexProperties(Buffer.from(out.code, 'utf8').toString('latin1'));
  const final = Buffer.from(indexed.code, 'latin1').toString('utf8');
  if (withMap) return { code: final, map: String(out.map), mapped: out.code, origin: indexed.origin };
  return final;
}

/** An Espruino bundle as shipped (esbuild with the plugin, then terser when minifying), in memory. */
export async function espruinoBundle(entry: string, minify: boolean): Promise<string> {
  const result = await build({ ...(minify ? await minifiedEspruinoBuildOptions(entry, 'bundle.js') : espruinoBuildOptions(entry, 'bundle.js', false)), write: false });
  const code = result.outputFiles[0].text;
  return minify ? squeezeForEspruino(code) : code;
}

/**
 * The shipped bundle's bytes per source module (see size-report.ts), as text
 * and as stored on a board (each token's stored bytes charged where it
 * starts; only for an ASCII bundle, where text offsets are byte offsets); the
 * code is the same as espruinoBundle's.
 */
export async function espruinoBundleReport(entry: string): Promise<{ bytes: number; modules: ModuleBytes[]; storedBytes: number; storedModules?: ModuleBytes[] }> {
  const result = await build({ ...(await minifiedEspruinoBuildOptions(entry, join(repoRoot, 'bundle.js'))), write: false, sourcemap: 'external' });
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'))!.text;
  const map = result.outputFiles.find((f) => f.path.endsWith('.map'))!.text;
  const out = await squeezeForEspruino(js, map, true);
  const cost: number[] = [];
  const storedBytes = pretokenise(Buffer.from(out.code, 'utf8').toString('latin1'), FULL_TOKEN_FORM, cost).length;
  // Each byte of the shipped code, and each stored byte, charged where terser's output (the map's) had it.
  // (The wrapper's new parameters and arguments, origin -1, are glue.)
  const textAt: number[] = [];
  const storedAt: number[] = [];
  const glue = { text: 0, stored: 0 };
  out.origin.forEach((o, i) => {
    if (o < 0) {
      glue.text++;
      glue.stored += cost[i] ?? 0;
      return;
    }
    textAt[o] = (textAt[o] ?? 0) + 1;
    storedAt[o] = (storedAt[o] ?? 0) + (cost[i] ?? 0);
  });
  const withGlue = (rows: ModuleBytes[], n: number) => {
    const row = rows.find((r) => r.module === '(glue)');
    if (row) row.bytes += n;
    else rows.push({ module: '(glue)', bytes: n });
    return rows.sort((a, b) => b.bytes - a.bytes);
  };
  const ascii = !/[^\x00-\x7f]/.test(out.mapped);
  const weigh = (at: number[]) => (a: number, b: number) => {
    let n = 0;
    for (let i = a; i < b; i++) n += at[i] ?? 0;
    return n;
  };
  const sourceMap = JSON.parse(out.map);
  return {
    bytes: Buffer.byteLength(out.code),
    modules: ascii ? withGlue(bytesPerModule(out.mapped, sourceMap, repoRoot, weigh(textAt)), glue.text) : bytesPerModule(out.mapped, sourceMap, repoRoot),
    storedBytes,
    ...(ascii ? { storedModules: withGlue(bytesPerModule(out.mapped, sourceMap, repoRoot, weigh(storedAt)), glue.stored) } : {}),
  };
}

/** Build one Espruino firmware bundle (esbuild, then terser when minifying); returns its size in bytes. */
export async function buildFirmwareBundle(entry: string, outfile: string, minify: boolean): Promise<number> {
  const code = await espruinoBundle(entry, minify);
  writeFileSync(outfile, code);
  return Buffer.byteLength(code);
}

/**
 * The bytes a board stores for a shipped (minified) bundle: the flasher
 * pretokenises it for an Espruino that reads tokens (2v26..2v29: keywords
 * and operators as one byte, raw strings and ints; host/lib/flash/espruino-tokens.ts).
 * The budget counts these bytes. `text` is the bundle as a byte string (its UTF-8 bytes, one char each).
 */
export function espruinoStoredForm(text: string): string {
  return pretokenise(text, FULL_TOKEN_FORM);
}
