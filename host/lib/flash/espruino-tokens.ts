// Espruino's pretokenised code: the form a bundle is stored in on the board.
// Espruino's lexer takes any byte >= 128 in source as a token, and reads raw
// strings and integers (espruino-lexer.ts, after src/jslex.c). So `function`
// costs one byte instead of eight, `===` one instead of three, and `return a`
// needs no space. This module writes the tokens espruino-lexer.ts reads
// (exactly as Espruino 2v29 lexes) as Espruino's own tokeniser does (jslex.c
// _jslNewTokenisedStringFromLexer, built unless ESPR_NO_PRETOKENISE) and as
// the Web IDE / BangleApps loader upload them (github.com/espruino/EspruinoTools
// plugins/pretokenise.js: tokenise(), including its `-N` folding and its
// version gates). Both boards read tokens: reading them is not under
// ESPR_NO_PRETOKENISE (Espruino commit f80bc1b92: "pretokenised code can be
// executed, it's just not tokenised in Espruino"), which only SAVE_ON_FLASH
// builds set (src/jsutils.h), and neither boards/PICO_R1_3.py nor
// boards/ESP32.py does. Deliberate differences, each on the safe side:
// - a reserved word used as a property name (`.catch`, `{default:`) stays text:
//   pretokenised, those tripped older parsers (Espruino issues #1868, #2047);
// - a string stays text unless Espruino reads it as the same bytes on every
//   build (pure ASCII source, no \u escape past 0x7F: builds with
//   ESPR_UNICODE_SUPPORT, such as Linux's, make those UTF-8 strings, which a
//   raw string never is);
// - no NUL byte anywhere (a raw int or string that would hold one stays
//   text): Espruino's lexer reads NUL at a token's start as the end of the
//   code, and the Linux build reads a script file as a C string;
// - an int is raw only where that is no longer than its digits;
// - one rewrite beyond tokens: terser's `!0` / `!1` are stored as the one-byte
//   `true` / `false` (the same value; not before `.`, `[` or `(`);
// - the result is lexed again and must give the text's tokens, or it throws.
// No Node imports: the CLI and the web page flash with it.

import { LEX, lexEspruino, tokenText } from './espruino-lexer.ts';
import type { EspruinoToken } from './espruino-lexer.ts';

export { LEX, lexEspruino, tokenText } from './espruino-lexer.ts';
export type { EspruinoToken } from './espruino-lexer.ts';

/** What the board's Espruino reads (EspruinoTools pretokenise.js gates strings on 2v20.48 and ints on 2v25.396 builds). */
export interface TokenForm {
  /** LEX_RAW_STRING8/16 (Espruino commit bb241ae8d, first released in 2v21). */
  strings: boolean;
  /** LEX_RAW_INT0/8/16 (Espruino commit be8102c33, first released in 2v26). */
  ints: boolean;
}

/** The newest Espruino whose src/jslex.h this module was checked against (and run on: test/espruino). */
export const NEWEST_CHECKED_VERSION = '2v29';

/**
 * The token form an Espruino of `version` (process.env.VERSION: "2v29",
 * "2v29.12" for a cutting-edge build) runs, or why it gets plain text. The
 * keyword numbers are those of 2v14 onwards (Espruino commit aa8167b24 kept
 * them when `??` came); a version newer than the one checked, or one that does
 * not parse, gets text: never a guess.
 */
export function tokenFormFor(version: string): { form: TokenForm } | { form: null; reason: string } {
  // Espruino's versions are <major>v<two digits>[.build]: "1v129" or "2v290" is not 2v29.
  const m = /^(\d)v(\d\d)(?![\dv])/.exec(version);
  const v = m ? Number(m[1]) * 100 + Number(m[2]) : NaN;
  const newest = 229;
  if (!m) return { form: null, reason: `Espruino version "${version}" is not one this flasher knows` };
  if (v > newest) return { form: null, reason: `Espruino ${version} is newer than ${NEWEST_CHECKED_VERSION}, the last version whose token table (src/jslex.h) this flasher was checked against` };
  if (v < 214) return { form: null, reason: `Espruino ${version} predates the token table of 2v14 onwards` };
  return { form: { strings: v >= 221, ints: v >= 226 } };
}

/** The full form (what a 2v26..2v29 board stores): the budget counts these bytes. */
export const FULL_TOKEN_FORM: TokenForm = { strings: true, ints: true };

const PROPERTY_KEY_BEFORE = new Set([123, 44]); // `{` or `,` then `word:` is an object key
const FOLD_MINUS_AFTER = new Set([44, 40, 58, 63, 61]); // EspruinoTools: after , ( : ? =

/** terser's quoting (lib/output.js make_string), so the detokenised text is the minified text again; bytes from 0x7F escaped. */
export function quoteString(s: string): string {
  let dq = 0;
  let sq = 0;
  const body = s.replace(/[\\\b\f\n\r\v\t"'\0]/g, (ch, i: number) => {
    switch (ch) {
      case '"': dq++; return ch;
      case "'": sq++; return ch;
      case '\\': return '\\\\';
      case '\n': return '\\n';
      case '\r': return '\\r';
      case '\t': return '\\t';
      case '\b': return '\\b';
      case '\f': return '\\f';
      case '\v': return '\\v';
      default: return /[0-9]/.test(s[i + 1] ?? '') ? '\\x00' : '\\0';
    }
  });
  // Bytes from 0x7F as \xHH: a raw string holds bytes, and text keeps them bytes only escaped (see the header).
  const bytes = body.replace(/[\x7f-\xff]/g, (ch) => '\\x' + ch.charCodeAt(0).toString(16).padStart(2, '0'));
  return dq > sq ? "'" + bytes.replace(/'/g, "\\'") + "'" : '"' + bytes.replace(/"/g, '\\"') + '"';
}

interface Piece {
  bytes: string;
  /** Text that may run into its neighbour (a token byte never does). */
  textual: boolean;
  tk: number;
  /** Where its token starts in the text (for bytes per source module). */
  from: number;
}

/** JavaScript operators Espruino 2v29 lexes as two (jslGetNextToken has no case for them). */
const JS_ONLY_OPERATORS = ['?.', '**', '**=', '...', '&&=', '||=', '??='];

/** Whether `a` then `b` (both text) lex as the same two tokens with no space between. */
function joinsCleanly(a: Piece, b: Piece, before: number): boolean {
  // Word chars on both sides always get a space: `0in` lexes in Espruino, but JavaScript forbids it.
  if (/[\w$]$/.test(a.bytes) && /^[\w$]/.test(b.bytes)) return false;
  // Nor may two operators make one Espruino lacks (`||` `=` is not `||=`): the text stays JavaScript.
  for (const op of JS_ONLY_OPERATORS) {
    for (let k = 1; k < op.length; k++) if (a.bytes.endsWith(op.slice(0, k)) && b.bytes.startsWith(op.slice(k))) return false;
  }
  // Only operator chars, word chars and `.` can run into a neighbour (a bracket, quote or separator never does).
  if (!/[!%&*+\-/<=>?^|.\w$]$/.test(a.bytes) || !/^[!%&*+\-/<=>?^|.\w$]/.test(b.bytes)) return true;
  try {
    const ta = lexEspruino(a.bytes, before);
    const tb = lexEspruino(b.bytes, ta.length ? ta[ta.length - 1].tk : before);
    const t = lexEspruino(a.bytes + b.bytes, before);
    return t.length === ta.length + tb.length && (ta.length === 0 || t[ta.length - 1].end === a.bytes.length);
  } catch {
    return false;
  }
}

/** Pieces joined, a space only where two texts would run together; `cost` gets each piece's bytes (and its space) at its token's start. */
function join(pieces: Piece[], cost?: number[]): string {
  let out = '';
  let before: number = LEX.EOF;
  for (let i = 0; i < pieces.length; i++) {
    const prev = pieces[i - 1];
    const cur = pieces[i];
    const space = prev && prev.textual && cur.textual && !joinsCleanly(prev, cur, before) ? ' ' : '';
    out += space + cur.bytes;
    if (cost) cost[cur.from] = (cost[cur.from] ?? 0) + space.length + cur.bytes.length;
    if (prev) before = prev.tk;
  }
  return out;
}

function rawInt(v: number): string {
  if (v === 0) return String.fromCharCode(LEX.RAW_INT0);
  if (v >= -128 && v < 128) return String.fromCharCode(LEX.RAW_INT8, v & 255);
  return String.fromCharCode(LEX.RAW_INT16, v & 255, (v >> 8) & 255);
}

function rawString(s: string): string {
  return s.length < 256 ? String.fromCharCode(LEX.RAW_STRING8, s.length) + s : String.fromCharCode(LEX.RAW_STRING16, s.length & 255, s.length >> 8) + s;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A token's kind and value, for comparing the stored form with the text (a `-N` folded into a raw int compares as `-` then N). */
function meaning(src: string, t: EspruinoToken): string[] {
  if (t.tk === LEX.STR) return ['S' + t.value];
  if (t.tk === LEX.R_TRUE || t.tk === LEX.R_FALSE) return ['C33', t.tk === LEX.R_TRUE ? 'I0' : 'I1']; // `!0` is stored as `true`
  if (t.tk === LEX.INT) {
    const v = Number(t.value);
    return v < 0 ? ['C45', 'I' + -v] : ['I' + v];
  }
  if (t.tk === LEX.ID || t.tk === LEX.FLOAT || t.tk === LEX.REGEX || t.tk === LEX.TEMPLATE_LITERAL) return ['T' + t.tk + src.slice(t.start, t.end)];
  return ['C' + t.tk];
}

/** What Espruino reads from `code` (text or stored), token by token: kinds and values (`true` counted as `!0`, `-5` as `-` then 5). */
export function tokenMeanings(code: string): string[] {
  return lexEspruino(code).flatMap((t) => meaning(code, t));
}

/**
 * The stored form of `text` (a byte string, as the file's bytes) for an
 * Espruino that reads `form`. Throws if the result would not lex as the text.
 * `cost`, if given, gets the stored bytes of each token at the text offset
 * where the token starts (the size report's bytes per module as stored).
 */
export function pretokenise(text: string, form: TokenForm = FULL_TOKEN_FORM, cost?: number[]): string {
  const toks = lexEspruino(text);
  const pieces: Piece[] = [];
  const expected: string[] = []; // what the stored form must lex as: the text's tokens, atob("...") folds aside
  let from = 0;
  const piece = (bytes: string, textual: boolean, tk: number) => pieces.push({ bytes, textual, tk, from });
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    from = t.start;
    const src = text.slice(t.start, t.end);
    const prev = toks[i - 1];
    const next = toks[i + 1];
    expected.push(...meaning(text, t));
    if (t.tk >= LEX.TOKENS_START && t.tk <= LEX.NULLISH) {
      const word = t.tk >= LEX.R_LIST_START && t.tk <= LEX.R_LIST_END;
      const propertyName = word && ((prev && prev.tk === 46) || (next && next.tk === 58 && prev && PROPERTY_KEY_BEFORE.has(prev.tk)));
      if (propertyName) piece(src, true, t.tk);
      else piece(String.fromCharCode(t.tk), false, t.tk);
    } else if (t.tk === 33 && next && next.tk === LEX.INT && !next.raw && (text.slice(next.start, next.end) === '0' || text.slice(next.start, next.end) === '1') && !(toks[i + 2] && [46, 91, 40].includes(toks[i + 2].tk))) {
      // terser writes true and false as `!0` and `!1`: two bytes stored, the keyword one (not before `.`, `[` or `(`).
      piece(String.fromCharCode(next.value === '0' ? LEX.R_TRUE : LEX.R_FALSE), false, next.value === '0' ? LEX.R_TRUE : LEX.R_FALSE);
      expected.push(...meaning(text, next));
      i++;
    } else if (t.tk === LEX.INT && form.ints && Math.abs(Number(t.value)) <= 32767 && rawInt(Number(t.value)).length <= (t.raw ? 9 : src.length) && !rawInt(Number(t.value)).includes('\0')) {
      // Only where no longer than the digits: `7` is one byte as text, two raw (Espruino stores every int raw, for speed).
      piece(rawInt(Number(t.value)), false, t.tk);
    } else if (
      t.tk === 45 && form.ints && prev && FOLD_MINUS_AFTER.has(prev.tk) && next && next.tk === LEX.INT && !next.raw &&
      Number(next.value) > 0 && Number(next.value) <= 32768 && !(toks[i + 2] && (toks[i + 2].tk === 46 || toks[i + 2].tk === 91)) &&
      rawInt(-Number(next.value)).length <= next.end - next.start && !rawInt(-Number(next.value)).includes('\0')
    ) {
      piece(rawInt(-Number(next.value)), false, LEX.INT); // EspruinoTools' `-N` folding (not before `.` or `[`, and never -0)
      expected.push(...meaning(text, next));
      i++;
    } else if (t.tk === LEX.STR && form.strings && t.sameOnEveryBuild && t.value!.length > 0 && t.value!.length < 65536) {
      let value = t.value!;
      // jslex.c: atob("...") of a constant is stored as the decoded bytes.
      const last = pieces.length;
      if (next && next.tk === 41 && prev && prev.tk === 40 && last >= 2 && pieces[last - 2].bytes === 'atob' && pieces[last - 2].tk === LEX.ID && BASE64.test(value)) {
        const tokBefore = toks[i - 3];
        if (!tokBefore || tokBefore.tk !== 46) {
          value = globalThis.atob(value);
          pieces.length = last - 2;
          from = toks[i - 2].start;
          expected.splice(expected.length - 3, 3, 'S' + value);
          i++; // the `)`
        }
      }
      if (value.length && !rawString(value).includes('\0')) piece(rawString(value), false, LEX.STR);
      else piece(value === t.value ? src : quoteString(value), true, LEX.STR);
    } else {
      piece(t.raw ? (t.tk === LEX.STR ? quoteString(t.value!) : String(t.value)) : src, true, t.tk);
    }
  }
  const stored = join(pieces, cost);
  const got = lexEspruino(stored).flatMap((t) => meaning(stored, t));
  if (got.join('\n') !== expected.join('\n')) throw new Error('pretokenise: the stored form would not lex as the text does (a bug in the pretokeniser)');
  return stored;
}

/** The text of a stored form: each token written out (strings as terser quotes them), spaces only where needed. */
export function detokenise(stored: string): string {
  const pieces: Piece[] = lexEspruino(stored).map((t) => {
    const word = tokenText(t.tk);
    if (t.raw) return { bytes: t.tk === LEX.STR ? quoteString(t.value!) : t.value!, textual: true, tk: t.tk, from: t.start };
    return { bytes: word !== undefined && stored.charCodeAt(t.start) >= 128 ? word : stored.slice(t.start, t.end), textual: true, tk: t.tk, from: t.start };
  });
  return join(pieces);
}
