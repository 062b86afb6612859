// TypeScript's scanner as a lexer independent of the flasher's own
// (host/lib/flash/espruino-tokens.ts), to check what that one writes:
// pretokenise.test.ts and flash.test.ts compare token streams with it.
import ts from 'typescript';

/** TypeScript's scanner over `text`: each token as kind and value, with `?.`, `**`, `...`, `&&=`... split as Espruino splits them (it has none of them). */
export function tsTokens(text: string): string[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  const out: string[] = [];
  const split: { [op: string]: string[] } = { '?.': ['?', '.'], '**': ['*', '*'], '**=': ['*', '*='], '...': ['.', '.', '.'], '??=': ['??', '='], '||=': ['||', '='], '&&=': ['&&', '='] };
  for (let k = scanner.scan(); k !== ts.SyntaxKind.EndOfFileToken; k = scanner.scan()) {
    if (k === ts.SyntaxKind.GreaterThanToken) k = scanner.reScanGreaterToken();
    const t = scanner.getTokenText();
    if (k === ts.SyntaxKind.TrueKeyword || k === ts.SyntaxKind.FalseKeyword) out.push('!', 'number ' + (k === ts.SyntaxKind.TrueKeyword ? 0 : 1)); // stored for `!0` / `!1`
    else if (k === ts.SyntaxKind.StringLiteral || k === ts.SyntaxKind.NoSubstitutionTemplateLiteral) out.push('string ' + JSON.stringify(scanner.getTokenValue()));
    else if (k === ts.SyntaxKind.NumericLiteral) out.push('number ' + Number(scanner.getTokenValue()));
    else if (Object.hasOwn(split, t)) out.push(...split[t]);
    else out.push(t);
  }
  return out;
}

/** `text` with each `!0` / `!1` (as TypeScript's scanner finds them) spelled `true` / `false`: what the flasher writes back out as text. */
export function boolsAsWords(text: string): string {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  let out = '';
  let from = 0;
  let bang = -1;
  for (let k = scanner.scan(); k !== ts.SyntaxKind.EndOfFileToken; k = scanner.scan()) {
    if (k === ts.SyntaxKind.GreaterThanToken) k = scanner.reScanGreaterToken();
    if (k === ts.SyntaxKind.NumericLiteral && bang >= 0 && /^[01]$/.test(scanner.getTokenText()) && scanner.getTokenStart() === bang + 1) {
      out += text.slice(from, bang) + (scanner.getTokenText() === '0' ? ' true ' : ' false ');
      from = scanner.getTokenEnd();
    }
    bang = k === ts.SyntaxKind.ExclamationToken ? scanner.getTokenStart() : -1;
  }
  return out + text.slice(from);
}
