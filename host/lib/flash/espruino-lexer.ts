// Espruino's lexer, in TypeScript: the tokens Espruino 2v29 reads from a
// byte string, text or pretokenised (src/jslex.c jslGetNextToken, jslLexString,
// jslLexRegex; the token numbers are src/jslex.h's LEX_TYPES). Any byte from
// 128 is a "single char" token past jslex.c's jump table: 0x8A is LEX_EQUAL,
// 0xA3 LEX_R_IF ..., and LEX_RAW_STRING8/16 (0xD1/0xD2 + length + bytes) and
// LEX_RAW_INT0/8/16 (0xD3..0xD5) are read as a string or an integer.
// espruino-tokens.ts writes the stored form with it. No Node imports.

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
      // As jslSkipWhiteSpace: a NUL ends a line comment and is skipped with its
      // end (the code after it is read); before `*/` it leaves the comment unfinished.
      if (at(p) === 47 && at(p + 1) === 47) {
        while (at(p) && at(p) !== 10) p++;
        p++;
        continue;
      }
      if (at(p) === 47 && at(p + 1) === 42) {
        const end = src.indexOf('*/', p + 2);
        const nul = src.indexOf('\0', p + 2);
        if (end < 0 || (nul >= 0 && nul < end)) fail('an unfinished comment', p);
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
