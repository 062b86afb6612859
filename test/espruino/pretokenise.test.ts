// The pretokeniser (host/lib/flash/espruino-tokens.ts): the shipped bundles
// round-trip to their minified text byte for byte; random token streams keep
// their meaning as TypeScript's scanner (an independent lexer) reads them;
// the stored form never holds what Espruino would read differently; and, with
// ESPRUINO_BIN, the real interpreter runs a program of the tricky cases
// pretokenised and prints what it prints as text.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BOARDS } from '../../boards/index.ts';
import { buildFirmwareBundle } from '../../host/lib/build/esbuild-firmware.ts';
import { detokenise, FULL_TOKEN_FORM, LEX, lexEspruino, pretokenise, quoteString, tokenFormFor, tokenMeanings } from '../../host/lib/flash/espruino-tokens.ts';
import { ESPRUINO_BIN, ESPRUINO_SKIP_REASON, runOnEspruino } from '../helpers/espruino-bin.ts';
import { untokenise } from '../helpers/espruino-untokenise.ts';
import { tsTokens } from '../helpers/ts-tokens.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bytes = (s: string) => Buffer.from(s, 'utf8').toString('latin1');

// Generated programs: tokens an Espruino bundle is made of, joined by at least one blank.
const word = fc.constantFrom('a', 'b1', '$x', '_', 'of', 'static', 'undefined', 'if', 'else', 'function', 'return', 'typeof', 'in', 'instanceof', 'this', 'null', 'true', 'case', 'default', 'catch', 'new', 'let', 'const', 'var');
const punct = fc.constantFrom('{', '}', '(', ')', '[', ']', ';', ',', '.', ':', '?', '~', '!', '+', '-', '*', '%', '<', '>', '=', '&', '|', '^', '==', '===', '!=', '!==', '<=', '>=', '<<', '>>', '>>>', '<<=', '>>=', '>>>=', '+=', '-=', '*=', '%=', '&=', '|=', '^=', '&&', '||', '++', '--', '=>', '??');
const number = fc.oneof(
  fc.integer({ min: 0, max: 70000 }).map(String),
  fc.integer({ min: 0, max: 70000 }).map((n) => '0x' + n.toString(16)),
  fc.integer({ min: 0, max: 300 }).map((n) => '0b' + n.toString(2)),
  fc.constantFrom('1.5', '.25', '1e3', '2E-2', '0.0', '9007199254740991', '4294967296'),
);
const stringValue = fc.array(fc.constantFrom('a', 'Z', ' ', '"', "'", '\\', '\n', '\r', '\t', '\0', '\x01', '\x7f', '7', 'é', '\xff', '`', '$', '{'), { maxLength: 12 }).map((a) => a.join(''));
const string = fc.oneof(
  stringValue.map((s) => JSON.stringify(s)),
  stringValue.map((s) => "'" + s.replace(/[\\'\n\r\0]/g, (c) => ({ '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\0': '\\x00' })[c]!) + "'"),
  // (no `{` in a template: Espruino reads `\${` as a substitution, JavaScript as text)
  stringValue.map((s) => '`' + s.replace(/\{/g, '(').replace(/[\\`$\r\0]/g, (c) => (c === '\0' ? '\\x00' : '\\' + (c === '\r' ? 'r' : c))) + '`'),
  fc.constantFrom('"\\u0041"', '"\\u00e9"', '"\\x41\\xe9"', '"\\101"', '""', "''", 'atob("AAEC")', 'atob("QUJD")'),
);
// A division only after a name: Espruino reads `/` as a regex after operators and keywords (jslex.c).
const token = fc.oneof(word, punct, number, string, fc.constantFrom('a /', 'a /='));
const program = fc.tuple(fc.array(token, { maxLength: 40 }), fc.array(fc.constantFrom(' ', '  ', '\n', '\t', ' /*c*/ '), { minLength: 40, maxLength: 40 })).map(([toks, gaps]) => toks.map((t, i) => t + gaps[i]).join(''));

describe('pretokenised Espruino code', () => {
  for (const board of BOARDS.filter((b) => b.runtime === 'espruino' && b.firmwareEntry)) {
    it(`${board.id}: the stored form is smaller, has no NUL, and detokenises to the minified text byte for byte (!0 and !1 as true and false)`, async () => {
      const out = join(mkdtempSync(join(tmpdir(), 'tt-pretok-')), 'bundle.js');
      await buildFirmwareBundle(join(root, board.firmwareEntry!), out, true);
      const text = readFileSync(out, 'latin1');
      const stored = pretokenise(text);
      expect(stored.length).toBeLessThan(text.length * 0.92);
      expect(stored).not.toContain('\0');
      // (terser's `!0` / `!1` come back as the `true` / `false` they are stored as; atob("...") of a constant as the string it is stored as)
      const folded = text.replace(/(?<![.\w$])atob\("([^"]*)"\)/g, (_, b64: string) => quoteString(atob(b64)));
      expect(detokenise(stored)).toBe(folded.replace(/([\w$])?!([01])(?![\w$.[(])/g, (_, w: string | undefined, d: string) => (w ? w + ' ' : '') + (d === '0' ? 'true' : 'false')));
      // Espruino's printer, modelled apart (test/helpers), reads it as the same program too.
      expect(tsTokens(untokenise(stored))).toEqual(tsTokens(folded));
      // Idempotent: pretokenising the stored form gives it back.
      expect(pretokenise(stored)).toBe(stored);
    }, 60_000);
  }

  it('keeps the meaning of any token stream (TypeScript\'s scanner reads the same tokens back), and the detokenised text is a fixed point', () => {
    const utf8 = (b: string) => Buffer.from(b, 'latin1').toString('utf8');
    fc.assert(
      fc.property(program, (text) => {
        const src = bytes(text);
        // atob("...") of a constant is stored decoded (as jslex.c does), unless it is a method (`.atob`).
        const folded = text.replace(/(?<!\.\s*(?:\/\*c\*\/\s*)?)atob\("([^"]*)"\)/g, (_, b64: string) => JSON.stringify(atob(b64)));
        for (const form of [FULL_TOKEN_FORM, { strings: true, ints: false }, { strings: false, ints: false }]) {
          const stored = pretokenise(src, form);
          expect(stored).not.toContain('\0');
          const back = detokenise(stored);
          expect(tsTokens(utf8(back))).toEqual(tsTokens(form.strings ? folded : text));
          expect(detokenise(pretokenise(back, form))).toBe(back);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('stores keywords and operators as one byte each, and needs no space beside them', () => {
    const W = ['==', '===', '!=', '!==', '<=', '<<', '<<=', '>=', '>>', '>>>', '>>=', '>>>=', '+=', '-=', '++', '--', '*=', '/=', '%=', '&=', '&&', '|=', '||', '^=', '=>', 'if', 'else', 'do', 'while', 'for', 'break', 'continue', 'function', 'return', 'var', 'let', 'const', 'this', 'throw', 'try', 'catch', 'finally', 'true', 'false', 'null', 'undefined', 'new', 'in', 'instanceof', 'switch', 'case', 'default', 'delete', 'typeof', 'void'];
    const T = (w: string) => String.fromCharCode(138 + W.indexOf(w)); // jslex.h: LEX_EQUAL is 138
    expect(pretokenise('function f(a){return a===1?typeof a:void 0}')).toBe(`${T('function')}f(a){${T('return')}a${T('===')}1?${T('typeof')}a:${T('void')}\xd3}`);
    expect(pretokenise('a=!0,b=!1,c=!0 .x,d=!10,e=!0[0]')).toBe(`a=${T('true')},b=${T('false')},c=!\xd3.x,d=!\xd4\n,e=!\xd3[\xd3]`);
    expect(pretokenise('x="a\\nb";y=1000')).toBe('x=\xd1\x03a\nb;y=\xd5\xe8\x03');
  });

  it('leaves as text what Espruino might read differently as a token or raw string', () => {
    // A reserved word as a property name: `.catch(` pretokenised broke Espruino's parser once (issue #1868).
    expect(pretokenise('p.catch(e);x={default:1,if:2}')).toBe('p.catch(e);x={default:1,if:2}');
    // Strings Unicode builds read as UTF-8 (Linux's ESPR_UNICODE_SUPPORT) stay text; a \x escape is a byte everywhere.
    expect(pretokenise(bytes('a="é",b="\\u00e9",c="\\x41\\xe9"'))).toBe(bytes('a="é",b="\\u00e9",c=') + '\xd1\x02A\xe9');
    // No NUL byte: 256 would be D5 00 01, "\0" a raw NUL; Espruino's lexer reads NUL as the end of the code.
    expect(pretokenise('a=256,b="\\0",c=255,d=-128,e=-129')).toBe('a=256,b="\\0",c=255,d=\xd4\x80,e=\xd5\x7f\xff');
    // Small ints stay digits (a raw int is two bytes); -0 is never folded.
    expect(pretokenise('a=7,b=-0,c=[-5]')).toBe('a=7,b=-\xd3,c=[-5]');
  });

  it('reads tokens only from the versions whose token table it was checked against', () => {
    expect(tokenFormFor('2v29')).toEqual({ form: FULL_TOKEN_FORM });
    expect(tokenFormFor('2v29.87')).toEqual({ form: FULL_TOKEN_FORM });
    expect(tokenFormFor('2v26')).toEqual({ form: FULL_TOKEN_FORM });
    expect(tokenFormFor('2v25')).toEqual({ form: { strings: true, ints: false } });
    expect(tokenFormFor('2v21')).toEqual({ form: { strings: true, ints: false } });
    expect(tokenFormFor('2v20')).toEqual({ form: { strings: false, ints: false } });
    expect(tokenFormFor('2v14')).toEqual({ form: { strings: false, ints: false } });
    for (const v of ['2v13', '1v99', '2v30', '3v00', 'banana', '']) expect(tokenFormFor(v).form, v).toBeNull();
  });

  it('lexes `/` as Espruino does: a regex after an operator, keyword or `(`, a division after a name or value', () => {
    const kinds = (s: string) => lexEspruino(s).map((t) => t.tk);
    expect(kinds('a/b/c')).toEqual([LEX.ID, 47, LEX.ID, 47, LEX.ID]);
    expect(kinds('(/b/g)')).toEqual([40, LEX.REGEX, 41]);
    expect(kinds('return/x/')).toEqual([LEX.R_LIST_START + 8, LEX.REGEX]);
    expect(kinds('true/2')).toEqual([LEX.R_TRUE, 47, LEX.INT]);
  });
});

describe.skipIf(!ESPRUINO_BIN)('pretokenised code on the real Espruino interpreter', () => {
  it('reads the shipped bundle token for token as Espruino\'s own tokeniser does (the code it stores for a function with E.setFlags({pretokenise:1}))', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tt-pretok-own-'));
    const out = join(dir, 'bundle.js');
    await buildFirmwareBundle(join(root, 'firmware/ports/espruino/esp32-ssd1306.ts'), out, true);
    const text = readFileSync(out, 'latin1');
    // jsparse.c stores a function's body through jslNewTokenisedStringFromLexer when the flag is set; "\xFFcod" is that code.
    const script = join(dir, 'own.js');
    writeFileSync(script, `E.setFlags({pretokenise:1});function f(){${text}}\nprint("OWN",btoa(f["\\xFFcod"]));`, 'latin1');
    const stdout = runOnEspruino(script).stdout;
    const own = /OWN ([A-Za-z0-9+/=]+)/.exec(stdout);
    expect(own, stdout.slice(-500)).not.toBeNull();
    const espruinos = Buffer.from(own![1], 'base64').toString('latin1');
    expect(espruinos.length).toBeLessThan(text.length);
    // Espruino's lexer and this module's read the same tokens: the same kinds and values, in order.
    const ours = pretokenise(text);
    expect(tokenMeanings(espruinos)).toEqual(tokenMeanings(ours));
    console.info(`the ESP32 bundle: ${text.length} bytes text, ${espruinos.length} as Espruino 2v29 tokenises it, ${ours.length} as the flasher stores it`);
  }, 60_000);

  it('prints what the text prints: raw ints at every width, raw strings of 8 and 16 bits, atob, regexes, reserved property names', () => {
    if (!ESPRUINO_BIN) console.warn(ESPRUINO_SKIP_REASON);
    const long = 'x'.repeat(300);
    const program = [
      'var o={default:1,if:2,catch:3};',
      'var p={then:function(f){return f(5)},catch:function(){return 9}};',
      'var n=[0,1,-1,7,127,128,-128,-129,255,256,-256,1000,32767,-32767,32768,-32768,65536,0x7f,0x100,0b101,1e3,1.5,.5];',
      'var s=["a\\"b","it\'s","\\n\\t\\\\","\\x41\\x7f\\xe9","\\101",`tmpl`,"' + long + '",atob("QUJD"),atob("AAEC").length,""];',
      'var re=/a\\/b+/g, m="xa/bb".replace(re,"!");',
      'function f(a,b){if(a>b)return a- -b;else return typeof a==="number"?a/ +b:void 0}',
      'var i=0,t="";do{t+=i;i++}while(i<3);for(var k in o)t+=k;',
      'switch(n[3]){case 7:t+="seven";break;default:t+="no"}',
      'try{throw new Error("e")}catch(e){t+=e.message}finally{t+="f"}',
      'var c=n.map(v=>v*2).filter(v=>v!==0&&v%3!=1||v<=-2);',
      'var b=[!0,!1,!0+1,-!1,typeof!0,!0==1];',
      'print("OUT",JSON.stringify([b,o,p.then(x=>x+1),p.catch(),n,s,m,f(3,2),f(1,2),f(4,"2"),t,c,-n[2],!0,typeof undefined,null instanceof Object,"a"in o]));',
    ].join('\n');
    const dir = mkdtempSync(join(tmpdir(), 'tt-pretok-real-'));
    const run = (name: string, code: string) => {
      const file = join(dir, name);
      writeFileSync(file, code, 'latin1');
      const out = runOnEspruino(file).stdout;
      const line = /OUT (.*)/.exec(out);
      expect(line, out.slice(-800)).not.toBeNull();
      return line![1];
    };
    const stored = pretokenise(program);
    expect(stored.length).toBeLessThan(program.length);
    const asText = run('text.js', program);
    expect(run('tokens.js', stored)).toBe(asText);
    expect(asText).toContain('012defaultifcatchsevenef'); // the loops, switch and try ran
    console.info('pretokenised program (' + stored.length + ' of ' + program.length + ' bytes) printed: ' + asText);
  }, 60_000);
});
