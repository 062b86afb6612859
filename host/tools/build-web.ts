// Builds the web page (host/web) into dist/web: static files only. Checks
// that nothing the page loads imports a Node built-in (a module that does
// fails the build, naming who imports it), swaps the two host/lib modules
// that have a Node-only default for their browser form (as a package.json
// "browser" field would), and keeps the first load at most 100 KB of
// JavaScript gzipped: the simulator, QR decoding and the like are split out
// and load when used.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { BuildOptions, Metafile, Plugin } from 'esbuild';
import { templateTable } from '../lib/device-text.ts';

export const FIRST_LOAD_BUDGET_GZIP = 100 * 1024;
const ROOT = resolve(import.meta.dirname, '../..');

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Fails the build on any import of a Node built-in, naming the importer. */
export const noNodeModules: Plugin = {
  name: 'no-node-modules',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (!NODE_BUILTINS.has(args.path) && !args.path.startsWith('node:')) return undefined;
      return { errors: [{ text: `the web page may not import Node module '${args.path}' (imported by ${relative(ROOT, args.importer)})` }] };
    });
  },
};

/** host/lib modules whose default needs Node, and what the page uses instead. */
const BROWSER_FORMS: Record<string, () => string> = {
  // The client's default key-check hashes: @noble/hashes in place of node:crypto.
  'host/lib/hashes/node-hashes.ts': () => `export { nobleHashes as nodeHashes } from ${JSON.stringify(join(ROOT, 'host/lib/hashes/noble-hashes.ts'))};`,
  // The USB password's PBKDF2 (WebCrypto) and HMAC (@noble/hashes) in place of node:crypto.
  'host/lib/access-crypto.ts': () => `export * from ${JSON.stringify(join(ROOT, 'host/lib/access-crypto-web.ts'))};`,
  // QR PNG files by path (node:fs + pngjs): the page reads images from its file picker instead.
  'host/lib/qr.ts': () => `export * from ${JSON.stringify(join(ROOT, 'host/web/browser/qr.ts'))};`,
  // The token -> words table, read from the sources now instead of at run time.
  'host/lib/device-text.ts': () => {
    const decode = JSON.stringify(join(ROOT, 'host/lib/device-text-decode.ts'));
    return `import { decodeDeviceText } from ${decode};
export { tokenOf } from ${decode};
const TABLE = new Map(${JSON.stringify([...templateTable(ROOT)])});
export function deviceText(message, table) { return decodeDeviceText(message, table || TABLE); }`;
  },
};

const browserForms: Plugin = {
  name: 'browser-forms',
  setup(b) {
    b.onResolve({ filter: /\.ts$/ }, (args) => {
      const path = resolve(args.resolveDir, args.path);
      return BROWSER_FORMS[relative(ROOT, path)] ? { path, namespace: 'browser-form' } : undefined;
    });
    b.onLoad({ filter: /.*/, namespace: 'browser-form' }, (args) => ({ contents: BROWSER_FORMS[relative(ROOT, args.path)](), resolveDir: ROOT, loader: 'ts' }));
  },
};

export function webBuildOptions(outdir: string, entryPoints = [join(ROOT, 'host/web/main.ts'), join(ROOT, 'host/web/sim/token-worker.ts')]): BuildOptions {
  return {
    entryPoints,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome109', 'firefox115', 'safari16'],
    minify: true,
    entryNames: '[name]',
    chunkNames: '[name]-[hash]',
    metafile: true,
    legalComments: 'none',
    plugins: [noNodeModules, browserForms],
    logLevel: 'silent',
  };
}

/** Node's globals: code that uses them builds fine for a browser and fails there at run time. */
const NODE_GLOBALS = /\b(Buffer|process|__dirname|__filename|setImmediate)\b/;

/** Throws naming the first source file that uses a Node global in what the page loads. */
export function checkNoNodeGlobals(meta: Metafile): void {
  for (const [out, o] of Object.entries(meta.outputs)) {
    if (!out.endsWith('.js')) continue;
    for (const input of Object.keys(o.inputs)) {
      if (input.includes('node_modules/')) continue; // libraries guard their own feature tests (typeof process)
      const path = input.startsWith('browser-form:') ? null : resolve(ROOT, input);
      if (!path || !existsSync(path)) continue;
      const code = readFileSync(path, 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '').replace(/'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/g, "''");
      const m = NODE_GLOBALS.exec(code.replace(/\bimport type[^;]*;|:\s*Buffer\b/g, ''));
      if (m) throw new Error(`the web page may not use Node's global '${m[1]}' (in ${relative(ROOT, path)})`);
    }
  }
}

export interface WebSize {
  /** main.js plus the chunks it imports statically. */
  firstLoadFiles: string[];
  firstLoadGzip: number;
  /** What each part loaded when used (the worker, QR decoding, the flasher...) adds to the first load, gzipped. */
  lazy: { name: string; gzip: number }[];
}

/** The output files an output needs: itself and its static imports, transitively. */
function closure(meta: Metafile, out: string, seen = new Set<string>()): Set<string> {
  if (seen.has(out)) return seen;
  seen.add(out);
  for (const imp of meta.outputs[out]?.imports ?? []) if (imp.kind === 'import-statement' && !imp.external) closure(meta, imp.path, seen);
  return seen;
}

const gzipOf = (files: Iterable<string>): number => {
  let n = 0;
  for (const f of files) n += gzipSync(readFileSync(f), { level: 9 }).length;
  return n;
};

/** What the browser fetches before the page works (the entry and its static imports), and what each lazily loaded part adds. */
export function firstLoad(meta: Metafile, outdir: string, entry = 'main.js'): WebSize {
  const key = (f: string) => relative(process.cwd(), join(outdir, f));
  const first = closure(meta, key(entry));
  const lazy: WebSize['lazy'] = [];
  for (const [out, o] of Object.entries(meta.outputs)) {
    if (!o.entryPoint || first.has(out) || !out.endsWith('.js')) continue;
    const extra = [...closure(meta, out)].filter((f) => !first.has(f));
    lazy.push({ name: out.split('/').pop()!.replace(/-[A-Z0-9]{8}\.js$/, '.js'), gzip: gzipOf(extra) });
  }
  return { firstLoadFiles: [...first], firstLoadGzip: gzipOf(first), lazy };
}

export async function buildWeb(outdir = 'dist/web'): Promise<WebSize> {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await build(webBuildOptions(outdir));
  checkNoNodeGlobals(result.metafile!);
  for (const f of ['index.html', 'style.css', 'favicon.svg']) copyFileSync(join(ROOT, 'host/web', f), join(outdir, f));
  // The Espruino bundles the page can flash (built just before by build.ts), served beside it.
  const bundles = join(ROOT, 'dist/espruino');
  if (existsSync(bundles)) {
    mkdirSync(join(outdir, 'firmware'), { recursive: true });
    for (const f of readdirSync(bundles).filter((n) => n.endsWith('.js'))) copyFileSync(join(bundles, f), join(outdir, 'firmware', f));
  }
  const size = firstLoad(result.metafile!, outdir);
  if (size.firstLoadGzip > FIRST_LOAD_BUDGET_GZIP) {
    throw new Error(`the web page's first load is ${size.firstLoadGzip} B of JavaScript gzipped, over the ${FIRST_LOAD_BUDGET_GZIP} B budget: load more of it when used`);
  }
  return size;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const s = await buildWeb();
  console.log(`web: first load ${s.firstLoadGzip} B gzipped (${s.firstLoadFiles.length} file(s))`);
}
