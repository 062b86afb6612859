// Review: inputs where the pretokeniser's lexer (host/lib/flash/espruino-lexer.ts)
// could read differently from Espruino 2v29's (src/jslex.c), run on the real
// interpreter as text and as the stored form. Everything terser emits held
// (numbers in every radix with separators, -N folding, !0/!1 in expressions,
// escapes, template literals, regex vs division, reserved property names: see
// the review report); a NUL inside a comment did not. jslSkipWhiteSpace stops
// a block comment at NUL (LEX_UNFINISHED_COMMENT) and ends a line comment at
// NUL, skipping that byte; the lexer here ran through NUL to the comment's end,
// so the stored form ran code that the text never runs, or dropped code it does.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lexEspruino, pretokenise, tokenFormFor } from '../../host/lib/flash/espruino-tokens.ts';
import { ESPRUINO_BIN, runOnEspruino } from '../helpers/espruino-bin.ts';

const NUL_CASES = ['x=1;/*\0*/x=2', 'x=1;//\0x=2', 'x=1;//\0\nx=2', 'x=1;\0x=2'];

describe('a NUL byte in a comment is read as Espruino reads it (review)', () => {
  it('a block comment that meets NUL before */ is unfinished (jslex.c jslSkipWhiteSpace), so the flasher refuses it', () => {
    expect(() => lexEspruino('x=1;/*\0*/x=2')).toThrow(/unfinished comment/);
    expect(() => pretokenise('x=1;/*\0*/x=2')).toThrow(/unfinished comment/);
  });

  it('a line comment ends at NUL and the NUL is skipped: the code after it is read', () => {
    expect(lexEspruino('x=1;//\0x=2').length).toBe(7);
  });

  it.skipIf(!ESPRUINO_BIN)('on the real interpreter: each stored form does what its text does, or the flasher refuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tt-review-nul-'));
    const file = join(dir, 'nul.js');
    // The Linux build reads a script file as a C string, so the cases go through eval of a string (which holds NUL).
    const run = (code: string) => `x=0;try{eval(atob(${JSON.stringify(Buffer.from(code, 'latin1').toString('base64'))}))}catch(e){}print("OUT",x);`;
    let ran = 0;
    for (const src of NUL_CASES) {
      let stored: string | null = null;
      try {
        stored = pretokenise(src);
      } catch {
        stored = null; // refused: nothing differs on the board
      }
      if (stored === null) continue;
      writeFileSync(file, 'var x;' + run(src) + run(stored), 'latin1');
      const outs = [...runOnEspruino(file).stdout.matchAll(/OUT (.*)/g)].map((m) => m[1]);
      expect(outs.length, JSON.stringify(src)).toBe(2);
      expect(outs[1], JSON.stringify(src)).toBe(outs[0]);
      ran++;
    }
    expect(ran).toBeGreaterThan(0); // not every case refused: the comparison ran
  }, 60_000);

  it.skipIf(!ESPRUINO_BIN)('on the real interpreter: the reviewer\'s edge cases print the same as text and stored', () => {
    const cases = [
      'print("OUT",JSON.stringify([08,09,010,0o17,0O17,0b101,0B11,0x7fff,0X1F,0x1e3,1_000,0x_1,00,.5e1,5e-1,0x8000,-0x8000,0xffff,077,0777]))',
      'var a=-5,b=-1>>>0,c=[-128,-129,-32767,-32768],d=(-2).toString(),e=1?-1:2;print("OUT",JSON.stringify([a,b,c,d,e]))',
      'var o={};print("OUT",JSON.stringify([!0,!1,!!0,-!0,!0+1,typeof!0,!0 in o,!1==0,!0?1:2,!0/2,!1*3]))',
      'var s=["\\u0041","\\x7f","\\xff","\\101","\\400","\\08","a\\\nb","\\c","\\r\\n",`a\nb`,`$`,`\\${1}`,"\\u00e9\\xe9","\\xc3\\xa9",`\\`${1}`,`x${1+1}y`];print("OUT",JSON.stringify(s.map(function(x){return x.split("").map(function(c){return c.charCodeAt(0)})})))',
      'var a=4,g=2,i=1;var r=[a/g/i,"a/b".replace(/\\//g,"-"),(a)/2,[8][0]/2/2,/=/.test("="),a/=2];print("OUT",JSON.stringify(r.map(String)))',
      'var o={default:1,if:2,in:3,of:4,static:5,true:6,null:7,undefined:8,this:9};o.catch=10;o.return=11;var t=0;for(var k in o)t+=o[k];switch(t){default:t++}print("OUT",o.default+o.if+o.in+o.of+o.static+o.true+o.null+o.undefined+o.this+o.catch+o.return,t)',
      'var a=3,b=2;print("OUT",JSON.stringify([a- -b,a+ +b,a- --b,a+ ++b,a<<1,a>>>1,a>=b]))',
      'function F(){this.v=6}F.prototype.h=function(){return this.v/2};var x=new F();print("OUT",x.h(),x instanceof F,typeof x,void 0)',
    ];
    const dir = mkdtempSync(join(tmpdir(), 'tt-review-edge-'));
    for (const text of cases) {
      const outs = [text, pretokenise(text)].map((code, k) => {
        const file = join(dir, `edge${k}.js`);
        writeFileSync(file, code, 'latin1');
        return /OUT (.*)/.exec(runOnEspruino(file).stdout)?.[1];
      });
      expect(outs[0], text).toBeDefined();
      expect(outs[1], text).toBe(outs[0]);
    }
  }, 120_000);
});

describe('the version gate parses only Espruino version strings (review)', () => {
  it('cutting-edge and future versions: tokens only where the table was checked, text otherwise', () => {
    expect(tokenFormFor('2v29.12').form).toEqual({ strings: true, ints: true });
    expect(tokenFormFor('2v21.100').form).toEqual({ strings: true, ints: false });
    for (const v of ['2v30', '2v30.1', '3v00']) expect(tokenFormFor(v).form, v).toBeNull();
  });

  it('a string that only looks like a version is text: "1v129" and "0v229" are not 2v29, "2v290" is not 2v29', () => {
    for (const v of ['1v129', '0v229', '2v290', '1v229']) expect(tokenFormFor(v).form, v).toBeNull();
  });
});
