// Tokenized device text, host side. The Espruino build replaces each
// template in protocol/ and firmware/ - say('template'), refuse(status,
// 'template') and badRequest('template') - with a token (protocol/say.ts
// says why); a device then sends 0x1E token (0x1F value)* 0x1D instead of
// words. This module owns the token function (the build imports it, so both
// sides agree) and turns such messages back into the words of the sources.
// Tokens are a hash of the template, not an index: a host and a firmware
// built from different sources still agree on every template they share, and
// an unknown token is shown as such, never as some other message.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { decodeDeviceText, legacyTokenOf, tokenOf } from './device-text-decode.ts';
import { packageRoot } from './flash/firmware-bundle.ts';

export { legacyTokenOf, tokenOf } from './device-text-decode.ts';

/**
 * The calls that take a template, each up to where its template starts: say(
 * and badRequest( take it first, refuse( second, after the status (an
 * expression without commas or parentheses: ERRORS.X). firmware/refuse.ts
 * passes a refusal's template on to say().
 */
const TEMPLATE_TAKER = String.raw`\b(?:say\(|badRequest\(|refuse\(\s*[\w.]+\s*,)`;
/** Such a call and its template, a quoted string literal ('...' or "..."). */
const TEMPLATE_CALL = new RegExp(TEMPLATE_TAKER + String.raw`\s*(?:'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)")`, 'g');
/** Any call of a function that takes a template, literal or not. */
const ANY_TAKER = /\b(?:say|badRequest|refuse)\(/g;

/** The runtime text of a quoted literal's body; only the escapes templates need. */
function unquote(body: string, where: string): string {
  return body.replace(/\\(.)/g, (_m, c: string) => {
    if (c === "'" || c === '\\' || c === '"') return c;
    throw new Error(`${where}: device text template uses an escape the token build does not read: \\${c}`);
  });
}

export interface TemplateSite {
  template: string;
  /** Offsets of the literal (quotes included) in the source. */
  start: number;
  end: number;
}

/** In a // comment, a doc-comment line, or a template taker's own declaration: not a call. */
function notACall(source: string, index: number): boolean {
  const before = source.slice(source.lastIndexOf('\n', index - 1) + 1, index);
  return /\/\/|^\s*\*|function\s+$/.test(before);
}

/**
 * Every device text template in a source file: those of say(), refuse() and
 * badRequest() calls. Throws when such a call has no quoted literal template.
 */
export function templatesIn(source: string, where: string): TemplateSite[] {
  const sites: TemplateSite[] = [];
  for (const m of source.matchAll(TEMPLATE_CALL)) {
    if (notACall(source, m.index!)) continue;
    const body = m[1] ?? m[2];
    const start = m.index! + m[0].length - body.length - 2;
    sites.push({ template: unquote(body, where), start, end: start + body.length + 2 });
  }
  const calls = [...source.matchAll(ANY_TAKER)].filter((m) => !notACall(source, m.index!));
  if (calls.length !== sites.length) throw new Error(`${where}: every say(), refuse() and badRequest() call needs a quoted string literal as its template (say's and badRequest's first argument, refuse's second)`);
  return sites;
}

/** The source with each template (say, refuse, badRequest) replaced by its token (the Espruino build's rewrite). */
export function tokenizeSource(source: string, where: string): string {
  let out = '';
  let at = 0;
  for (const site of templatesIn(source, where)) {
    out += source.slice(at, site.start) + JSON.stringify(tokenOf(site.template));
    at = site.end;
  }
  return out + source.slice(at);
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/**
 * Token -> template for every template in protocol/ and firmware/, by today's
 * token and by the longer one older firmware sends (legacyTokenOf); throws if
 * two templates share a token of either kind.
 */
export function templateTable(root: string): Map<string, string> {
  const table = new Map<string, string>();
  for (const file of [...sourceFiles(join(root, 'protocol')), ...sourceFiles(join(root, 'firmware'))]) {
    for (const { template } of templatesIn(readFileSync(file, 'utf8'), file)) {
      for (const token of [tokenOf(template), legacyTokenOf(template)]) {
        const seen = table.get(token);
        if (seen !== undefined && seen !== template) throw new Error(`device text tokens collide: "${seen}" and "${template}" (reword one)`);
        table.set(token, template);
      }
    }
  }
  return table;
}

let cached: Map<string, string> | null = null;

/** The table of this package's sources (they ship with it), read once; empty if they cannot be read. */
function packageTable(): Map<string, string> {
  if (!cached) {
    try {
      cached = templateTable(packageRoot());
    } catch {
      cached = new Map();
    }
  }
  return cached;
}

/**
 * A device message in words: tokens replaced by their templates with the
 * values filled in. Without a table, this package's own sources are read.
 */
export function deviceText(message: string, table: Map<string, string> = packageTable()): string {
  return decodeDeviceText(message, table);
}
