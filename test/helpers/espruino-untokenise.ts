// Pretokenised Espruino code back to JavaScript, for the fake REPL's load()
// (the Node harness runs text). Written apart from host/lib/flash/espruino-tokens.ts,
// after Espruino's own printer - src/jslex.c jslPrintTokenisedString /
// jslPrintTokenisedChar (2v29), which walks the bytes one at a time just like
// this: LEX_RAW_STRING8/16 (0xD1/0xD2, length, bytes) is a quoted string,
// LEX_RAW_INT0/8/16 (0xD3..0xD5) a sign-extended integer, and a byte from
// 138 (_LEX_TOKENS_START) is the word jslReservedWordAsString names - and the
// Web IDE's untokenise() (github.com/espruino/EspruinoTools plugins/pretokenise.js).
// Where those two add a space only next to a word, this puts one around every
// token: never wrong in JavaScript, and `- -5` stays two minuses. A byte from
// 128 that is no token fails, as Espruino's printer shows it as "?[n]".

/** jslex.c jslReservedWordAsString, from LEX_EQUAL (138) to LEX_R_OF (198). */
const WORDS = (
  '== === != !== <= << <<= >= >> >>> >>= >>>= += -= ++ -- *= /= %= &= && |= || ^= => ' +
  'if else do while for break continue function return var let const this throw try catch finally true false null ' +
  'undefined new in instanceof switch case default delete typeof void debugger class extends super static of'
).split(' ');

export function untokenise(code: string): string {
  let out = '';
  for (let i = 0; i < code.length; i++) {
    const ch = code.charCodeAt(i);
    if (ch < 128) out += code[i];
    else if (ch === 0xd1 || ch === 0xd2) {
      let len = code.charCodeAt(++i);
      if (ch === 0xd2) len |= code.charCodeAt(++i) << 8;
      out += ' ' + JSON.stringify(code.slice(i + 1, i + 1 + len)) + ' ';
      i += len;
    } else if (ch === 0xd3) out += ' 0 ';
    else if (ch === 0xd4) out += ' ' + ((code.charCodeAt(++i) << 24) >> 24) + ' ';
    else if (ch === 0xd5) {
      out += ' ' + (((code.charCodeAt(i + 1) | (code.charCodeAt(i + 2) << 8)) << 16) >> 16) + ' ';
      i += 2;
    } else if (ch === 208) out += ' ?? ';
    else if (ch >= 138 && ch < 138 + WORDS.length) out += ' ' + WORDS[ch - 138] + ' ';
    else throw new Error(`untokenise: byte ${ch} at ${i} is no Espruino token (Espruino prints ?[${ch}])`);
  }
  return out;
}
