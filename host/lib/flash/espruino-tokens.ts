// Espruino's pretokenised code: the form a bundle is stored in on the board.
// Espruino's lexer takes any byte >= 128 in source as a token (jslex.c
// jslGetNextToken: past the jump table, a byte is a "single char" token, so
// 0x8A is LEX_EQUAL, 0xA3 LEX_R_IF ...), and reads LEX_RAW_STRING8/16 (0xD1/0xD2
// + length + bytes) and LEX_RAW_INT0/8/16 (0xD3..0xD5) as a string or an
// integer. So `function` costs one byte instead of eight, `===` one instead of
// three, and `return a` needs no space. This module lexes exactly as
// Espruino 2v29's src/jslex.c does (jslGetNextToken, jslLexString,
// jslLexRegex; the token numbers are jslex.h's LEX_TYPES) and writes the
// tokens as Espruino's own tokeniser does (jslex.c
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

/** jslex.h LEX_TYPES: the token numbers (ordering frozen there: "DO NOT MODIFY THE ORDERING OF THIS LIST"). */
export const LEX = {
  EOF: 0,
  ID: 128,
  INT: 129,
  FLOAT: 130,
  STR: 131,
  TEMPLATE_LITERAL: 133,
  REGEX: 135,
  /** _LEX_TOKENS_START: LEX_EQUAL, the first operator. */
  TOKENS_START: 138,
  ARROW_FUNCTION: 162,
  R_LIST_START: 163,
  R_TRUE: 180,
  R_FALSE: 181,
  R_NULL: 182,
  R_UNDEFINED: 183,
  R_LIST_END: 198,
  NULLISH: 208,
  RAW_STRING8: 209,
  RAW_STRING16: 210,
  RAW_INT0: 211,
  RAW_INT8: 212,
  RAW_INT16: 213,
} as const;

/** jslex.c jslReservedWordAsString: the text of tokens 138..198 (operators 1, `=>`, the reserved words). */
const TOKEN_TEXT = [
  '==', '===', '!=', '!==', '<=', '<<', '<<=', '>=', '>>', '>>>', '>>=', '>>>=', '+=', '-=', '++', '--', '*=', '/=', '%=', '&=',
  '&&', '|=', '||', '^=', '=>',
  'if', 'else', 'do', 'while', 'for', 'break', 'continue', 'function', 'return', 'var', 'let', 'const', 'this', 'throw', 'try',
  'catch', 'finally', 'true', 'false', 'null', 'undefined', 'new', 'in', 'instanceof', 'switch', 'case', 'default', 'delete',
  'typeof', 'void', 'debugger', 'class', 'extends', 'super', 'static', 'of',
];
const RESERVED = new Map(TOKEN_TEXT.slice(LEX.R_LIST_START - LEX.TOKENS_START).map((w, i) => [w, LEX.R_LIST_START + i]));
const OPERATOR = new Map(TOKEN_TEXT.slice(0, LEX.R_LIST_START - LEX.TOKENS_START).map((w, i) => [w, LEX.TOKENS_START + i]));
OPERATOR.set('??', LEX.NULLISH);

/** The source text of token `tk` (an operator or reserved word), or undefined. */
export function tokenText(tk: number): string | undefined {
  if (tk === LEX.NULLISH) return '??';
  return tk >= LEX.TOKENS_START && tk <= LEX.R_LIST_END ? TOKEN_TEXT[tk - LEX.TOKENS_START] : undefined;
}

export interface EspruinoToken {
  /** Espruino's token number: a char code below 128, or LEX.*. */
  tk: number;
  start: number;
  end: number;
  /** STR: the bytes Espruino makes of it; INT: its value as a decimal string. */
  value?: string;
  /** STR written as text: whether every Espruino build reads it as `value` (see the header). */
  sameOnEveryBuild?: boolean;
  /** Read from a raw token (LEX_RAW_*), not from text. */
  raw?: boolean;
}

const isAlpha = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95; // jsutils.h isAlphaInline
const isDigit = (c: number) => c >= 48 && c <= 57;
const isHex = (c: number) => isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
const isWhite = (c: number) => c === 9 || c === 11 || c === 12 || c === 32 || c === 10 || c === 13; // jsutils.h isWhitespaceInline

/** jsutils.c stringToInt (getRadix: 0x, 0b, 0o, and a leading 0 is octal unless an 8, 9 or '.' follows). */
function stringToInt(s: string): number {
  let i = 0;
  let radix = 10;
  if (s[0] === '0') {
    radix = 8;
    i = 1;
    const p = s[1];
    if (p === 'o' || p === 'O') i = 2;
    else if (p === 'x' || p === 'X') (radix = 16), (i = 2);
    else if (p === 'b' || p === 'B') (radix = 2), (i = 2);
    else {
      for (const ch of s.slice(1)) {
        if (ch === '.' || ch === '8' || ch === '9') radix = 10;
        else if (ch < '0' || ch > '9') break;
      }
    }
  }
  let v = 0;
  for (; i < s.length; i++) {
    const d = parseInt(s[i], 16);
    if (!(d >= 0 && d < radix)) break;
    v = v * radix + d;
  }
  return v;
}

/**
 * Espruino's tokens of `src` (a byte string: one char per byte), as 2v29's
 * jslGetNextToken makes them. `lastTk` is the token before (for `/`: regex
 * or division, decided from the previous token exactly as jslex.c does).
 */
export function lexEspruino(src: string, lastTk: number = LEX.EOF): EspruinoToken[] {
  const out: EspruinoToken[] = [];
  const n = src.length;
  const at = (i: number) => (i < n ? src.charCodeAt(i) : 0);
  let p = 0;
  const fail = (what: string, where: number): never => {
    throw new Error(`${what} at byte ${where}: Espruino could not run this either`);
  };
  for (;;) {
    // jslSkipWhiteSpace: whitespace, // and /* */ comments.
    for (;;) {
      while (isWhite(at(p))) p++;
      if (at(p) === 47 && at(p + 1) === 47) {
        while (p < n && at(p) !== 10) p++;
        continue;
      }
      if (at(p) === 47 && at(p + 1) === 42) {
        const end = src.indexOf('*/', p + 2);
        if (end < 0) fail('an unfinished comment', p);
        p = end + 2;
        continue;
      }
      break;
    }
    const c = at(p);
    if (c === 0) return out; // the end, or a NUL byte (LEX_EOF to Espruino too)
    const start = p;
    const push = (tk: number, extra: Partial<EspruinoToken> = {}) => {
      out.push({ tk, start, end: p, ...extra });
      lastTk = tk;
    };
    if (c >= 125 || c < 33 || c === 35 || c === 40 || c === 41 || c === 44 || c === 58 || c === 59 || c === 64 || c === 91 || c === 92 || c === 93 || c === 123) {
      // A single char; past the jump table (>124) a byte may be a token, or a raw string or integer.
      p++;
      if (c === LEX.RAW_STRING8 || c === LEX.RAW_STRING16) {
        let len = at(p++);
        if (c === LEX.RAW_STRING16) len |= at(p++) << 8;
        if (p + len > n) fail('a raw string past the end', start);
        const value = src.slice(p, p + len);
        p += len;
        push(LEX.STR, { value, raw: true, sameOnEveryBuild: true });
      } else if (c === LEX.RAW_INT0) push(LEX.INT, { value: '0', raw: true });
      else if (c === LEX.RAW_INT8) {
        const v = (at(p++) << 24) >> 24;
        push(LEX.INT, { value: String(v), raw: true });
      } else if (c === LEX.RAW_INT16) {
        const v = ((at(p) | (at(p + 1) << 8)) << 16) >> 16;
        p += 2;
        push(LEX.INT, { value: String(v), raw: true });
      } else push(c);
      continue;
    }
    if (isAlpha(c) || c === 36) {
      while (isAlpha(at(p)) || isDigit(at(p)) || at(p) === 36) p++;
      push(RESERVED.get(src.slice(start, p)) ?? LEX.ID);
      continue;
    }
    if (isDigit(c) || c === 46) {
      // jslGetNextToken JSLJT_NUMBER
      let tk: number = LEX.INT;
      let canBeFloating = true;
      let digits = '';
      if (c === 46) {
        p++;
        if (!isDigit(at(p))) {
          push(46);
          continue;
        }
        tk = LEX.FLOAT;
      } else {
        if (c === 48) {
          digits += '0';
          p++;
          const x = at(p) | 32;
          if (x === 120 || x === 98 || x === 111) {
            canBeFloating = false;
            digits += src[p++];
          }
        }
        while (isDigit(at(p)) || (!canBeFloating && isHex(at(p))) || at(p) === 95) {
          if (at(p) !== 95) digits += src[p];
          p++;
        }
        if (canBeFloating && at(p) === 46) {
          tk = LEX.FLOAT;
          p++;
        }
      }
      if (tk === LEX.FLOAT) while (isDigit(at(p)) || at(p) === 95) p++;
      if (canBeFloating && (at(p) | 32) === 101) {
        tk = LEX.FLOAT;
        p++;
        if (at(p) === 45 || at(p) === 43) p++;
        while (isDigit(at(p)) || at(p) === 95) p++;
      }
      push(tk, tk === LEX.INT ? { value: String(stringToInt(digits)) } : {});
      continue;
    }
    if (c === 34 || c === 39 || c === 96) {
      lexString(c);
      continue;
    }
    if (c === 47) {
      // jslGetNextToken JSLJT_FORWARDSLASH: a regex after EOF, an operator or keyword (but not a value), or one of these chars.
      const regexAfter =
        lastTk === LEX.EOF ||
        (lastTk >= LEX.TOKENS_START && lastTk <= LEX.NULLISH && lastTk !== LEX.R_TRUE && lastTk !== LEX.R_FALSE && lastTk !== LEX.R_NULL && lastTk !== LEX.R_UNDEFINED) ||
        '!%&*+-/<=>?[{}(,;:'.includes(String.fromCharCode(lastTk));
      if (regexAfter) {
        // jslLexRegex: to the next unescaped '/' (no newline), then the flags g, i, m, y, u.
        p++;
        while (at(p) && at(p) !== 47) {
          if (at(p) === 92) p++;
          else if (at(p) === 10) break;
          p++;
        }
        if (at(p) !== 47) fail('an unfinished regular expression', start);
        p++;
        while ('gimyu'.includes(src[p] ?? '-')) p++;
        push(LEX.REGEX);
        continue;
      }
    }
    // Operators: the longest of Espruino's that matches (jslGetNextToken's cases).
    let op = '';
    for (const len of [4, 3, 2]) {
      const s = src.slice(p, p + len);
      if (OPERATOR.has(s)) {
        op = s;
        break;
      }
    }
    if (op) {
      p += op.length;
      push(OPERATOR.get(op)!);
    } else {
      p++;
      push(c);
    }
  }

  // jslLexString: the bytes a non-Unicode build makes of the literal; a template literal with ${ } stays one token.
  function lexString(delim: number): void {
    const start = p;
    p++;
    let value = '';
    let nesting = 0;
    let hasTemplate = false;
    let sameOnEveryBuild = true;
    let lastCh = delim;
    while (at(p) && (at(p) !== delim || nesting)) {
      const ch = at(p);
      if (delim === 96) {
        if ((lastCh === 36 || nesting) && ch === 123) {
          nesting++;
          hasTemplate = true;
        } else if (nesting && ch === 125) nesting--;
      }
      if (nesting === 0 && ch === 92) {
        p++;
        const e = at(p);
        let v = e;
        const named: { [k: number]: number } = { 110: 10, 98: 8, 102: 12, 114: 13, 116: 9, 118: 11 };
        if (named[e] !== undefined) {
          v = named[e];
          p++;
        } else if (e === 117 || e === 120) {
          const len = e === 117 ? 4 : 2;
          const hex = src.slice(p + 1, p + 1 + len);
          if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) fail('an invalid escape sequence', p);
          v = parseInt(hex, 16);
          if (e === 117 && v > 127) sameOnEveryBuild = false; // UTF-8 on Unicode builds
          v &= 255;
          p += 1 + len;
        } else if (e >= 48 && e <= 55) {
          let oct = '';
          while (oct.length < 3 && at(p) >= 48 && at(p) <= 55) oct += src[p++];
          v = parseInt(oct, 8) & 255;
        } else p++; // anything else passes through as itself
        lastCh = v;
        value += String.fromCharCode(v);
      } else if (ch === 10 && delim !== 96) {
        break;
      } else {
        if (ch > 127) sameOnEveryBuild = false;
        value += src[p];
        lastCh = ch;
        p++;
      }
    }
    if (at(p) !== delim) fail('an unfinished string', start);
    p++;
    const tk = delim === 96 && hasTemplate ? LEX.TEMPLATE_LITERAL : LEX.STR;
    out.push({ tk, start, end: p, ...(tk === LEX.STR ? { value, sameOnEveryBuild } : {}) });
    lastTk = tk;
  }
}

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
  const m = /^(\d+)v(\d+)/.exec(version);
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
