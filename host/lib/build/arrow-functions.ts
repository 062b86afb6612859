// Espruino build only: function declarations become `const` arrow functions.
// `function f(a){return x}` minifies to about 13 bytes more than
// `f=a=>x` in a declaration list, and the bundle has some seventy of them.
// This changes no behaviour the firmware can rely on: Espruino does not hoist
// (DESIGN.md), so the subset check already refuses any call before its
// declaration (test/espruino-subset/rules.ts, use-before-declaration), and
// only functions that use neither `this`, `arguments`, `new.target` nor
// `super`, are never called with `new`, and are plain (not async, not
// generators, no overloads) are rewritten. The Node and XS builds keep the
// sources as written.
import ts from 'typescript';

/** Whether `body` (a function's) uses what an arrow function would change. */
function usesOwnBinding(body: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    // A nested ordinary function has its own this/arguments: not ours.
    if (ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isClassLike(n) || ts.isMethodDeclaration(n) || ts.isConstructorDeclaration(n) || ts.isGetAccessor(n) || ts.isSetAccessor(n)) return;
    if (n.kind === ts.SyntaxKind.ThisKeyword || n.kind === ts.SyntaxKind.SuperKeyword || ts.isMetaProperty(n)) found = true;
    else if (ts.isIdentifier(n) && n.text === 'arguments') found = true;
    else ts.forEachChild(n, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

/** The source with every eligible function declaration written as a `const` arrow function. */
export function arrowifySource(source: string, fileName: string): string {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const named = new Map<string, number>();
  const constructed = new Set<string>();
  const decls: ts.FunctionDeclaration[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionDeclaration(n) && n.name) {
      named.set(n.name.text, (named.get(n.name.text) ?? 0) + 1);
      if (n.body) decls.push(n);
    }
    if (ts.isNewExpression(n) && ts.isIdentifier(n.expression)) constructed.add(n.expression.text);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  const edits: { at: number; end: number; text: string }[] = [];
  for (const d of decls) {
    const name = d.name!.text;
    const mods = d.modifiers ?? [];
    if (named.get(name) !== 1 || constructed.has(name) || d.asteriskToken) continue; // overloads, constructors, generators
    if (mods.some((m) => m.kind !== ts.SyntaxKind.ExportKeyword)) continue; // async, default, declare
    if (usesOwnBinding(d.body!)) continue;
    const fnKeyword = d.getChildren(sf).find((c) => c.kind === ts.SyntaxKind.FunctionKeyword)!;
    // `function f<T>(a): R {` -> `const f = <T>(a): R => {`, and a `;` after the body.
    edits.push({ at: fnKeyword.getStart(sf), end: d.name!.getEnd(), text: 'const ' + name + ' = ' });
    edits.push({ at: d.body!.getStart(sf), end: d.body!.getStart(sf), text: '=> ' });
    edits.push({ at: d.body!.getEnd(), end: d.body!.getEnd(), text: ';' });
  }
  edits.sort((a, b) => b.at - a.at);
  let out = source;
  for (const e of edits) out = out.slice(0, e.at) + e.text + out.slice(e.end);
  return out;
}
