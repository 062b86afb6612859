// Espruino build only, after terser: `x.length` becomes `x[L]`, where L is a
// parameter of the bundle's outermost wrapper (terser's enclose) given the
// string "length"; a string or number the bundle repeats ("", "string",
// 1e3...) becomes such a parameter too. Espruino stores an identifier as its
// text, so a property name read 49 times costs 49 times its length; `[L]`
// costs 3 bytes stored, whatever the name. Only what pays for its parameter
// and argument is rewritten (one-letter names first, then two-letter ones),
// and only the uses that get shorter.
//
// Why the meaning is kept:
// - L is a name terser's mangler never generates (RESERVED_FOR_PROPERTIES,
//   skipped by skipNames) and that the bundle neither binds nor reads as a
//   variable (checked here), so no inner binding can shadow it: every `[L]`
//   reads the wrapper's parameter, which nothing assigns;
// - a string or number is a primitive: a variable holding it is the same
//   value. Object keys, directives and atob's argument (which the pretokeniser
//   stores decoded) stay literals;
// - Espruino 2v29 reads `a.b` and `a[s]` (s a string that is not an integer) the
//   same way: jspeFactorMember (src/jsparse.c) calls jspGetNamedField and
//   jspGetVarNamedField, which both look in the object's own children, then in
//   jspGetNamedFieldInParents (prototypes, then built-ins: `E[T]` with T =
//   "toString" is E.toString, run on 2v29), both return a name that
//   assignments write through (`a.length=0` and `a[L]=0` both throw
//   "Assignment to a constant" on 2v29), and both give the member's parent as
//   `this` to a call. They differ only when the property does not exist on a
//   value that cannot have children (a number, a string, a boolean): on 2v29
//   `(5).foo` is undefined and `(5)[F]` throws "Field or method "foo" does not
//   already exist". The rewritten names are those of built-ins the firmware
//   calls on values that have them (a missing one would be a bug either way);
//   the real-interpreter suites run the rewritten bundle;
// - the token stream of the result is the input's with each `. name` replaced
//   by `[ L ]`, each rewritten literal by its name, and the wrapper's new
//   parameters and arguments (checked: a mistake throws instead of shipping);
// - a property name after `.` that is a reserved word (`.catch`) is never
//   touched, nor anything inside a string, template or regular expression (the
//   Espruino lexer, espruino-lexer.ts, reads those as one token).
import { LEX, lexEspruino } from '../flash/espruino-lexer.ts';
import { FULL_TOKEN_FORM, pretokenise } from '../flash/espruino-tokens.ts';
import type { EspruinoToken } from '../flash/espruino-lexer.ts';

/** One-letter names terser's mangler never generates in an Espruino bundle (skipNames below), for the rewrite's parameters. */
export const RESERVED_FOR_PROPERTIES = ['Z', 'Y', 'J', 'j', 'F', 'B', 'V', 'z', 'X', 'W', 'q', 'G'];

/**
 * terser's mangler's names (its `nth_identifier`: lib/scope.js base54, the
 * same frequency order) without the names in `skip`. Unlike mangle.reserved,
 * which would also keep a source variable that happens to be named `B` as
 * `B`, this only stops the mangler from generating them.
 */
export function skipNames(skip: string[]): { get(n: number): string; consider(s: string, delta: number): void; reset(): void; sort(): void } {
  const leading = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ$_'.split('');
  const digits = '0123456789'.split('');
  const avoid = new Set(skip);
  let frequency = new Map<string, number>();
  let chars: string[] = [];
  let names: string[] = []; // the names handed out so far, in order
  let next = 0; // the base54 number of the next candidate
  const base54 = (num: number) => {
    let ret = '';
    let base = 54;
    num++;
    do {
      num--;
      ret += chars[num % base];
      num = Math.floor(num / base);
      base = 64;
    } while (num > 0);
    return ret;
  };
  const gen = {
    reset() {
      frequency = new Map([...leading, ...digits].map((c) => [c, 0]));
    },
    consider(str: string, delta: number) {
      for (let i = str.length; --i >= 0; ) frequency.set(str[i], (frequency.get(str[i]) ?? 0) + delta);
    },
    sort() {
      const byUse = (a: string, b: string) => frequency.get(b)! - frequency.get(a)!;
      chars = [...leading].sort(byUse).concat([...digits].sort(byUse)); // Array sort is stable, as terser's mergeSort
      names = [];
      next = 0;
    },
    get(n: number) {
      while (names.length <= n) {
        const name = base54(next++);
        if (!avoid.has(name)) names.push(name);
      }
      return names[n];
    },
  };
  gen.reset();
  gen.sort();
  return gen;
}

export interface IndexedProperties {
  /** The rewritten code (a byte string, as the input). */
  code: string;
  /** For each byte of `code`, the offset in the input it came from; -1 for the wrapper's new parameters and arguments (no source module's). */
  origin: number[];
  /** Parameter name -> the property name it holds, in parameter order. */
  names: [string, string][];
}

const ID = LEX.ID;
const DOT = 46;

/**
 * The wrapper terser's enclose writes, `((p,...)=>{` (or `(p=>{`, `(()=>{`) ...
 * `})(a,...);`, as token indexes: the parameters' span (first and last
 * token), their names, the call's `)` and where each argument starts.
 */
function wrapperOf(toks: EspruinoToken[], code: string): { paramSpan: [number, number]; params: string[]; close: number; argStarts: number[] } {
  const fail = (): never => {
    throw new Error('property-index: the bundle is not `((params)=>{...})(args);` as terser encloses it');
  };
  const t = (i: number) => toks[i]?.tk;
  const text = (i: number) => code.slice(toks[i].start, toks[i].end);
  if (t(0) !== 40) fail();
  const params: string[] = [];
  let last = 1;
  if (t(1) === ID) params.push(text(1));
  else {
    if (t(1) !== 40) fail();
    let i = 2;
    while (t(i) === ID) {
      params.push(text(i++));
      if (t(i) !== 44) break;
      i++;
    }
    if (t(i) !== 41) fail();
    last = i;
  }
  if (t(last + 1) !== LEX.ARROW_FUNCTION || t(last + 2) !== 123) fail();
  let close = toks.length - 1;
  if (t(close) === 59) close--;
  if (t(close) !== 41) fail();
  // Back to the call's `(`; its arguments are what its top-level commas part.
  let depth = 0;
  let open = close - 1;
  for (; open > 0; open--) {
    const k = t(open)!;
    if (k === 41 || k === 93 || k === 125) depth++;
    else if (k === 40 || k === 91 || k === 123) {
      if (depth === 0) break;
      depth--;
    }
  }
  if (t(open) !== 40 || t(open - 1) !== 41 || t(open - 2) !== 125) fail();
  // Each argument's first token (terser keeps an argument whose parameter it dropped: reading a global may throw).
  const argStarts: number[] = open + 1 < close ? [open + 1] : [];
  for (let k = open + 1, d = 0; k < close; k++) {
    const c = t(k)!;
    if (c === 40 || c === 91 || c === 123) d++;
    else if (c === 41 || c === 93 || c === 125) d--;
    else if (c === 44 && d === 0) argStarts.push(k + 1);
  }
  return { paramSpan: [1, last], params, close, argStarts };
}

/** Kind and text of a token, for the check that the rewrite changed only what it meant to. */
const tokenKey = (src: string, t: EspruinoToken) => t.tk + ':' + (t.tk === LEX.STR ? t.value : src.slice(t.start, t.end));

/** Whether token i of `toks` is a string that must stay a literal: an object key, a directive, or atob's argument (the pretokeniser stores atob("...") decoded). */
function fixedString(toks: EspruinoToken[], i: number, code: string): boolean {
  const prev = toks[i - 1]?.tk;
  const next = toks[i + 1]?.tk;
  if ((prev === 123 || prev === 44) && next === 58) return true;
  if ((prev === 123 || prev === 59) && (next === 59 || next === 125)) return true;
  const callee = toks[i - 2];
  return prev === 40 && !!callee && code.slice(callee.start, callee.end) === 'atob';
}

/** The names the rewrite may give: the pool's letters, then two-character names starting with one of them. */
function nameCandidates(pool: string[], used: Set<string>): string[] {
  const more = pool.flatMap((p) => 'abcdefghijklmnopqrstuvwxyz0123456789'.split('').map((c) => p + c));
  return pool.concat(more).filter((n) => !used.has(n) && /^[A-Za-z_$][\w$]*$/.test(n) && !['do', 'if', 'in', 'of'].includes(n));
}

interface Candidate {
  /** What the parameter holds, as its argument's source text. */
  arg: string;
  /** Its stored bytes as an argument. */
  argCost: number;
  /** Token indexes of its uses: a `.` (the name follows), a string or a number. */
  uses: number[];
  /** Each use's stored bytes now. */
  costs: number[];
  property: boolean;
}

/** Stored bytes saved by giving `c` the parameter `name` (only the uses that get shorter are rewritten). */
function saving(c: Candidate, name: string): number {
  const after = c.property ? name.length + 2 : name.length;
  return c.costs.reduce((s, now) => s + Math.max(0, now - after), 0) - (name.length + 1) - (c.argCost + 1);
}

/**
 * `code` (a terser-enclosed Espruino bundle, a byte string) with the property
 * reads, strings and numbers that pay read through wrapper parameters;
 * `pool` (one-letter names no binding in `code` has) for tests.
 */
export function indexProperties(code: string, pool: string[] = RESERVED_FOR_PROPERTIES): IndexedProperties {
  const toks = lexEspruino(code);
  const cost: number[] = [];
  pretokenise(code, FULL_TOKEN_FORM, cost);
  const used = new Set<string>();
  const found = new Map<string, Candidate>();
  const add = (key: string, i: number, arg: string, argCost: number, useCost: number, property: boolean) => {
    let c = found.get(key);
    if (!c) found.set(key, (c = { arg, argCost, uses: [], costs: [], property }));
    c.uses.push(i);
    c.costs.push(useCost);
  };
  toks.forEach((t, i) => {
    const prev = toks[i - 1]?.tk;
    const text = code.slice(t.start, t.end);
    if (t.tk === ID) {
      // A property name (after `.`, or an object key: `{` or `,` then `name:`) is no variable; anything else may be.
      if (prev === DOT) add('.' + text, i - 1, JSON.stringify(text), text.length + 2, (cost[toks[i - 1].start] ?? 0) + (cost[t.start] ?? 0), true);
      else if (!((prev === 123 || prev === 44) && toks[i + 1]?.tk === 58)) used.add(text);
    } else if (t.tk === LEX.STR && !fixedString(toks, i, code)) {
      add('s' + t.value, i, text, cost[t.start] ?? 0, cost[t.start] ?? 0, false);
    } else if ((t.tk === LEX.INT || t.tk === LEX.FLOAT) && prev !== DOT) {
      add('n' + Number(text.replace(/_/g, '')), i, text, cost[t.start] ?? 0, cost[t.start] ?? 0, false);
    }
  });
  // The best first, each with the shortest name left while that still pays.
  const names = nameCandidates(pool, used);
  const chosen: [string, Candidate][] = [];
  const ranked = [...found.values()].sort((a, b) => saving(b, 'x') - saving(a, 'x'));
  for (const c of ranked) {
    const name = names[chosen.length];
    if (!name || saving(c, name) <= 0) continue;
    chosen.push([name, c]);
  }
  if (chosen.length === 0) return { code, origin: [...code].map((_, i) => i), names: [] };
  const w = wrapperOf(toks, code);
  // The new parameters and their arguments go after the pairs there are (before `undefined`'s
  // parameter, which has no argument, or an argument whose parameter terser dropped).
  const pairs = Math.min(w.params.length, w.argStarts.length);
  const params = w.params.slice(0, pairs).concat(chosen.map(([p]) => p), w.params.slice(pairs));
  const argText = chosen.map(([, c]) => c.arg).join(',');
  const argsBefore = pairs < w.argStarts.length ? w.argStarts[pairs] : w.close; // the token the new arguments go before
  // What replaces each use, by token index.
  const replace = new Map<number, string>();
  for (const [p, c] of chosen) {
    const after = c.property ? p.length + 2 : p.length;
    c.uses.forEach((i, k) => {
      if (c.costs[k] > after) replace.set(i, p);
    });
  }

  // Edits at token boundaries: [from, to) of the input replaced by text.
  const edits: { from: number; to: number; text: string; glue?: boolean }[] = [
    { from: toks[w.paramSpan[0]].start, to: toks[w.paramSpan[1]].end, text: '(' + params.join(',') + ')', glue: true },
    { from: toks[argsBefore].start, to: toks[argsBefore].start, text: argsBefore === w.close ? (pairs ? ',' : '') + argText : argText + ',', glue: true },
  ];
  const argKeys = lexEspruino(argText).map((t) => tokenKey(argText, t));
  const expected: string[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (i === w.paramSpan[0]) {
      expected.push('40:(', ...params.flatMap((p, k) => (k ? ['44:,'] : []).concat(ID + ':' + p)), '41:)');
      i = w.paramSpan[1];
      continue;
    }
    if (i === argsBefore) expected.push(...(argsBefore === w.close ? (pairs ? ['44:,'] : []).concat(argKeys) : argKeys.concat('44:,')));
    const p = replace.get(i);
    if (p !== undefined && t.tk === DOT) {
      const next = toks[i + 1];
      edits.push({ from: t.start, to: next.end, text: '[' + p + ']' });
      expected.push('91:[', ID + ':' + p, '93:]');
      i++;
      continue;
    }
    if (p !== undefined) {
      // A name where a string was may need a space from a word before or after (`return"x"`, `case"x":`).
      const word = (at: number) => /[\w$]/.test(code[at] ?? '');
      edits.push({ from: t.start, to: t.end, text: (word(t.start - 1) ? ' ' : '') + p + (word(t.end) ? ' ' : '') });
      expected.push(ID + ':' + p);
      continue;
    }
    expected.push(tokenKey(code, t));
  }
  edits.sort((a, b) => a.from - b.from);
  let out = '';
  const origin: number[] = [];
  let at = 0;
  for (const e of edits) {
    for (; at < e.from; at++) (out += code[at]), origin.push(at);
    out += e.text;
    for (let k = 0; k < e.text.length; k++) origin.push(e.glue ? -1 : e.from);
    at = e.to;
  }
  for (; at < code.length; at++) (out += code[at]), origin.push(at);
  const got = lexEspruino(out).map((t) => tokenKey(out, t));
  if (got.join('\n') !== expected.join('\n')) throw new Error('property-index: the rewritten bundle does not lex as the input with its property reads replaced (a bug in the rewrite)');
  return { code: out, origin, names: chosen.map(([p, c]): [string, string] => [p, c.property ? c.arg.slice(1, -1) : c.arg]) };
}
