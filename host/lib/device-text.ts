// Tokenized device text, host side. The Espruino build replaces each
// say('template') in protocol/ and firmware/ with a token (protocol/say.ts
// says why); a device then sends 0x1E token (0x1F value)* 0x1D instead of
// words. This module owns the token function (the build imports it, so both
// sides agree) and turns such messages back into the words of the sources.
// Tokens are a hash of the template, not an index: a host and a firmware
// built from different sources still agree on every template they share, and
// an unknown token is shown as such, never as some other message.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from '../../protocol/crc32.ts';
import { say } from '../../protocol/say.ts';
import { packageRoot } from './flash/firmware-bundle.ts';

const START = '\x1e';
const SEP = '\x1f';
const END = '\x1d';

/** A say( call and its template, a quoted string literal ('...' or "..."). */
const SAY_CALL = /\bsay\(\s*(?:'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)")/g;
const ANY_SAY = /\bsay\(/g;

/** The token of a template: 24 bits of its CRC-32, in base 36 (at most 5 characters). */
export function tokenOf(template: string): string {
  const bytes = new Uint8Array(template.length);
  for (let i = 0; i < template.length; i++) bytes[i] = template.charCodeAt(i) & 255;
  return (crc32(bytes) >>> 8).toString(36);
}

/** The runtime text of a quoted literal's body; only the escapes templates need. */
function unquote(body: string, where: string): string {
  return body.replace(/\\(.)/g, (_m, c: string) => {
    if (c === "'" || c === '\\' || c === '"') return c;
    throw new Error(`${where}: say() template uses an escape the token build does not read: \\${c}`);
  });
}

export interface TemplateSite {
  template: string;
  /** Offsets of the literal (quotes included) in the source. */
  start: number;
  end: number;
}

/** In a // comment, a doc-comment line, or the say function's own declaration: not a call. */
function notACall(source: string, index: number): boolean {
  const before = source.slice(source.lastIndexOf('\n', index - 1) + 1, index);
  return /\/\/|^\s*\*|function\s+$/.test(before);
}

/** Every say() template in a source file; throws when a say( call has no single-quoted literal template. */
export function templatesIn(source: string, where: string): TemplateSite[] {
  const sites: TemplateSite[] = [];
  for (const m of source.matchAll(SAY_CALL)) {
    if (notACall(source, m.index!)) continue;
    const body = m[1] ?? m[2];
    const start = m.index! + m[0].length - body.length - 2;
    sites.push({ template: unquote(body, where), start, end: start + body.length + 2 });
  }
  const calls = [...source.matchAll(ANY_SAY)].filter((m) => !notACall(source, m.index!));
  if (calls.length !== sites.length) throw new Error(`${where}: every say() call needs a quoted string literal as its template (first argument)`);
  return sites;
}

/** The source with each say() template replaced by its token (the Espruino build's rewrite). */
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

/** Token -> template for every say() in protocol/ and firmware/; throws if two templates share a token. */
export function templateTable(root: string): Map<string, string> {
  const table = new Map<string, string>();
  for (const file of [...sourceFiles(join(root, 'protocol')), ...sourceFiles(join(root, 'firmware'))]) {
    for (const { template } of templatesIn(readFileSync(file, 'utf8'), file)) {
      const token = tokenOf(template);
      const seen = table.get(token);
      if (seen !== undefined && seen !== template) throw new Error(`device text tokens collide: "${seen}" and "${template}" (reword one)`);
      table.set(token, template);
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
 * values filled in (tokens may nest inside values). Plain text passes through.
 * A token this host does not know shows as "device message #<token> (values)".
 */
export function deviceText(message: string, table: Map<string, string> = packageTable()): string {
  if (message.indexOf(START) < 0) return message;
  let i = 0;
  function parseValue(stopAt: string): string {
    let out = '';
    while (i < message.length && stopAt.indexOf(message[i]) < 0) {
      if (message[i] === START) out += parseToken();
      else out += message[i++];
    }
    return out;
  }
  function parseToken(): string {
    i++; // START
    let token = '';
    while (i < message.length && message[i] !== SEP && message[i] !== END) token += message[i++];
    const values: string[] = [];
    while (i < message.length && message[i] === SEP) {
      i++;
      values.push(parseValue(SEP + END));
    }
    if (message[i] === END) i++;
    const template = table.get(token);
    if (template === undefined) return `device message #${token}` + (values.length ? ` (${values.join(', ')})` : '');
    return say(template, values[0], values[1], values[2]);
  }
  // Control characters from a device never reach the terminal.
  return parseValue('').replace(/[\x00-\x1f\x7f]/g, '?');
}
