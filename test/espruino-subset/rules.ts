// Static checker for the Espruino subset: the JS that protocol/ and firmware/ may use.
// Every rule comes from DESIGN.md, "Facts measured on the real runtimes" (Espruino part).
// The walker skips what esbuild erases (types, interfaces, `declare`, overloads), so only
// code that reaches the device is checked. Name resolution uses a one-file TypeScript
// program without lib files: an identifier the checker cannot resolve is a global.
import ts from 'typescript';

export interface Violation {
  file: string;
  line: number;
  column: number;
  rule: string;
  message: string;
}

interface Ctx {
  sf: ts.SourceFile;
  checker: ts.TypeChecker;
  report(node: ts.Node, rule: string, message: string): void;
}

export function checkSource(text: string, fileName: string): Violation[] {
  const kind = scriptKindFor(fileName);
  const ext = kind === ts.ScriptKind.JS ? '.js' : kind === ts.ScriptKind.TSX ? '.tsx' : '.ts';
  // A fixed virtual path, so the program finds the file whatever fileName looks like.
  const sf = ts.createSourceFile('/espruino-subset/input' + ext, text, ts.ScriptTarget.Latest, true, kind);
  const violations: Violation[] = [];
  const seen = new Set<string>();
  const ctx: Ctx = {
    sf,
    checker: checkerFor(sf),
    report(node, rule, message) {
      const pos = sf.getLineAndCharacterOfPosition(node.getStart(sf));
      const key = pos.line + ':' + pos.character + ':' + rule + ':' + message;
      if (seen.has(key)) return;
      seen.add(key);
      violations.push({ file: fileName, line: pos.line + 1, column: pos.character + 1, rule, message });
    },
  };
  walk(sf, (node) => {
    for (const rule of NODE_RULES) rule(node, ctx);
  });
  checkUseBeforeDeclaration(ctx);
  return violations.sort((a, b) => a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule));
}

function scriptKindFor(fileName: string): ts.ScriptKind {
  if (/\.tsx$/i.test(fileName)) return ts.ScriptKind.TSX;
  if (/\.[cm]?jsx?$/i.test(fileName)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

function checkerFor(sf: ts.SourceFile): ts.TypeChecker {
  const options: ts.CompilerOptions = { noLib: true, noResolve: true, allowJs: true, types: [] };
  const host = ts.createCompilerHost(options);
  host.getSourceFile = (name) => (name === sf.fileName ? sf : undefined);
  return ts.createProgram({ rootNames: [sf.fileName], options, host }).getTypeChecker();
}

// ---------------------------------------------------------------------------
// Walking only the code esbuild keeps

function walk(node: ts.Node, visit: (node: ts.Node) => void): void {
  if (isErased(node)) return;
  visit(node);
  ts.forEachChild(node, (child) => walk(child, visit));
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
}

/** True for nodes esbuild drops when it strips types: they never run on the device. */
function isErased(node: ts.Node): boolean {
  // A class `extends X<T>` clause is an ExpressionWithTypeArguments, yet X is a value.
  if (ts.isTypeNode(node)) return !ts.isExpressionWithTypeArguments(node);
  if (
    ts.isInterfaceDeclaration(node) ||
    ts.isTypeAliasDeclaration(node) ||
    ts.isTypeParameterDeclaration(node) ||
    ts.isIndexSignatureDeclaration(node)
  ) {
    return true;
  }
  if (ts.isHeritageClause(node)) return node.token === ts.SyntaxKind.ImplementsKeyword;
  if (ts.isImportDeclaration(node)) return !!node.importClause?.isTypeOnly;
  if (ts.isExportDeclaration(node) || ts.isImportSpecifier(node) || ts.isExportSpecifier(node)) return node.isTypeOnly;
  if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node)) {
    return !node.body; // overload signature
  }
  if (ts.isParameter(node) && ts.isIdentifier(node.name) && node.name.text === 'this') return true;
  if (ts.isClassElement(node) && hasModifier(node, ts.SyntaxKind.AbstractKeyword)) return true;
  return hasModifier(node, ts.SyntaxKind.DeclareKeyword);
}

// ---------------------------------------------------------------------------
// Name resolution helpers

/** Identifiers that name a property, label or import/export slot rather than a variable. */
function isNamePosition(id: ts.Identifier): boolean {
  const p = id.parent;
  if (
    ts.isPropertyAccessExpression(p) ||
    ts.isPropertyAssignment(p) ||
    ts.isMethodDeclaration(p) ||
    ts.isPropertyDeclaration(p) ||
    ts.isGetAccessorDeclaration(p) ||
    ts.isSetAccessorDeclaration(p) ||
    ts.isEnumMember(p) ||
    ts.isMetaProperty(p)
  ) {
    return p.name === id;
  }
  if (ts.isBindingElement(p)) return p.propertyName === id;
  return (
    ts.isLabeledStatement(p) ||
    ts.isBreakOrContinueStatement(p) ||
    ts.isImportSpecifier(p) ||
    ts.isExportSpecifier(p)
  );
}

function symbolOf(id: ts.Identifier, ctx: Ctx): ts.Symbol | undefined {
  const p = id.parent;
  // `{ Map }` is short for `{ Map: Map }`: resolve the value, not the property.
  if (ts.isShorthandPropertyAssignment(p)) return ctx.checker.getShorthandAssignmentValueSymbol(p);
  return ctx.checker.getSymbolAtLocation(id);
}

/** A value reference to a global of that name, not shadowed by a local binding. */
function isGlobalReference(node: ts.Node, name: string, ctx: Ctx): node is ts.Identifier {
  return ts.isIdentifier(node) && node.text === name && !isNamePosition(node) && !symbolOf(node, ctx);
}

/** `Global.member` or `Global['member']`, with Global not shadowed. */
function isGlobalMember(node: ts.Node, global: string, member: string, ctx: Ctx): boolean {
  const name = ts.isPropertyAccessExpression(node)
    ? node.name.text
    : ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)
      ? node.argumentExpression.text
      : undefined;
  return name === member && isGlobalReference((node as ts.AccessExpression).expression, global, ctx);
}

function isFunctionBoundary(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

function bindingNames(name: ts.BindingName): ts.Identifier[] {
  if (ts.isIdentifier(name)) return [name];
  const out: ts.Identifier[] = [];
  for (const element of name.elements) if (!ts.isOmittedExpression(element)) out.push(...bindingNames(element.name));
  return out;
}

function lineOf(node: ts.Node, ctx: Ctx): number {
  return ctx.sf.getLineAndCharacterOfPosition(node.getStart(ctx.sf)).line + 1;
}

// ---------------------------------------------------------------------------
// Syntax rules: "Not supported: destructuring, default parameters, spread/rest, computed
// keys, labels, generators, async/await, `**`, `?.`, `??=`, BigInt, class fields ..."

/** Is this array/object literal the target of an assignment, i.e. a destructuring pattern? */
function isAssignmentPattern(node: ts.Node): boolean {
  if (!ts.isArrayLiteralExpression(node) && !ts.isObjectLiteralExpression(node)) return false;
  const p = node.parent;
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.left === node) return true;
  if ((ts.isForOfStatement(p) || ts.isForInStatement(p)) && p.initializer === node) return true;
  const outer = enclosingPattern(node);
  return !!outer && isAssignmentPattern(outer);
}

/** The literal that holds this one as a nested pattern element (`[a, [b]]`, `{ a: { b } }`, `[x = 1]`). */
function enclosingPattern(node: ts.Node): ts.Node | undefined {
  let child = node;
  let p = node.parent;
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.left === child) {
    child = p; // element with a default
    p = p.parent;
  }
  if (ts.isArrayLiteralExpression(p)) return p;
  if (ts.isSpreadElement(p) || ts.isSpreadAssignment(p)) return p.parent;
  if (ts.isPropertyAssignment(p) && p.initializer === child) return p.parent;
  return undefined;
}

function checkDestructuring(node: ts.Node, ctx: Ctx): void {
  const message =
    'destructuring is not supported on Espruino: read each value into its own variable (`const a = obj.a; const b = arr[1];`)';
  if ((ts.isObjectBindingPattern(node) || ts.isArrayBindingPattern(node)) && !ts.isBindingElement(node.parent)) {
    ctx.report(node, 'destructuring', message);
  }
  // Report the outermost assignment pattern only.
  if (isAssignmentPattern(node)) {
    const outer = enclosingPattern(node);
    if (!outer || !isAssignmentPattern(outer)) ctx.report(node, 'destructuring', message);
  }
}

function checkDefaultParameter(node: ts.Node, ctx: Ctx): void {
  if (ts.isParameter(node) && node.initializer) {
    ctx.report(node, 'default-parameter', 'default parameters are not supported on Espruino: write `if (x === undefined) x = ...;` at the top of the body');
  }
}

function checkSpread(node: ts.Node, ctx: Ctx): void {
  if (ts.isSpreadElement(node) && !isAssignmentPattern(node.parent)) {
    const message = ts.isArrayLiteralExpression(node.parent)
      ? 'array spread is not supported on Espruino: build the array with concat() or a loop'
      : 'spread arguments are not supported on Espruino: pass the array itself, or list the arguments';
    ctx.report(node, 'spread', message);
  }
  if (ts.isSpreadAssignment(node) && !isAssignmentPattern(node.parent)) {
    ctx.report(node, 'spread', 'object spread is not supported on Espruino: copy the properties with a for..in loop');
  }
}

function checkRest(node: ts.Node, ctx: Ctx): void {
  if (ts.isParameter(node) && node.dotDotDotToken) {
    ctx.report(node, 'rest', 'rest parameters are not supported on Espruino: take an array parameter, or read `arguments`');
  }
  const inPattern =
    (ts.isBindingElement(node) && node.dotDotDotToken) ||
    ((ts.isSpreadElement(node) || ts.isSpreadAssignment(node)) && isAssignmentPattern(node.parent));
  if (inPattern) {
    ctx.report(node, 'rest', 'rest elements are not supported on Espruino: copy the remaining items with slice() or a loop');
  }
}

function checkComputedKey(node: ts.Node, ctx: Ctx): void {
  if (ts.isComputedPropertyName(node)) {
    ctx.report(node, 'computed-key', 'computed keys are not supported on Espruino: create the object, then assign `obj[key] = value`');
  }
}

function checkLabel(node: ts.Node, ctx: Ctx): void {
  if (ts.isLabeledStatement(node)) {
    ctx.report(node, 'label', 'labels are not supported on Espruino: use a flag variable, or move the loops into a function and return');
  }
}

function checkGenerator(node: ts.Node, ctx: Ctx): void {
  const message = 'generators are not supported on Espruino: return an array, or pass a callback for each item';
  if ((ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isMethodDeclaration(node)) && node.asteriskToken) {
    ctx.report(node, 'generator', message);
  }
  if (ts.isYieldExpression(node)) ctx.report(node, 'generator', message);
}

function checkAsyncAwait(node: ts.Node, ctx: Ctx): void {
  const message = 'async/await is not supported on Espruino: return a Promise and chain `.then()` (Promise works)';
  const asyncModifier = ts.canHaveModifiers(node)
    ? (ts.getModifiers(node) ?? []).find((m) => m.kind === ts.SyntaxKind.AsyncKeyword)
    : undefined;
  if (asyncModifier && isFunctionBoundary(node)) ctx.report(asyncModifier, 'async-await', message);
  if (ts.isAwaitExpression(node)) ctx.report(node, 'async-await', message);
  if (ts.isForOfStatement(node) && node.awaitModifier) ctx.report(node.awaitModifier, 'async-await', message);
}

function numericLiteral(node: ts.Expression): number | undefined {
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(node.operand)) {
    return -Number(node.operand.text);
  }
  return undefined;
}

function checkExponent(node: ts.Node, ctx: Ctx): void {
  if (!ts.isBinaryExpression(node)) return;
  const op = node.operatorToken.kind;
  if (op !== ts.SyntaxKind.AsteriskAsteriskToken && op !== ts.SyntaxKind.AsteriskAsteriskEqualsToken) return;
  const base = numericLiteral(node.left);
  const exponent = numericLiteral(node.right);
  const instead =
    base !== undefined && exponent !== undefined ? 'write the literal ' + Math.pow(base, exponent) : 'use Math.pow(a, b)';
  ctx.report(node.operatorToken, 'exponent', 'the ** operator is not supported on Espruino: ' + instead);
}

function checkOptionalChaining(node: ts.Node, ctx: Ctx): void {
  if ((ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) || ts.isCallExpression(node)) && node.questionDotToken) {
    ctx.report(node.questionDotToken, 'optional-chaining', '?. is not supported on Espruino: test first (`x != null ? x.y : undefined`, or `x && x.y`)');
  }
}

const LOGICAL_ASSIGNMENTS: Partial<Record<ts.SyntaxKind, string>> = {
  [ts.SyntaxKind.QuestionQuestionEqualsToken]: '`if (x == null) x = y;` (`??` itself works)',
  [ts.SyntaxKind.BarBarEqualsToken]: '`if (!x) x = y;`',
  [ts.SyntaxKind.AmpersandAmpersandEqualsToken]: '`if (x) x = y;`',
};

function checkLogicalAssignment(node: ts.Node, ctx: Ctx): void {
  if (!ts.isBinaryExpression(node)) return;
  const instead = LOGICAL_ASSIGNMENTS[node.operatorToken.kind];
  if (instead) {
    ctx.report(node.operatorToken, 'logical-assignment', 'logical assignment is not supported on Espruino: write ' + instead);
  }
}

const BIGINT_MESSAGE = 'BigInt is not supported on Espruino: do 64-bit math on two 32-bit halves (see protocol/sha512.ts)';

function checkBigInt(node: ts.Node, ctx: Ctx): void {
  if (node.kind === ts.SyntaxKind.BigIntLiteral || isGlobalReference(node, 'BigInt', ctx)) ctx.report(node, 'bigint', BIGINT_MESSAGE);
}

function checkClassField(node: ts.Node, ctx: Ctx): void {
  // `declare x: T` fields are erased (see isErased) and are the way to type `this.x`.
  if (ts.isPropertyDeclaration(node) && ts.isClassLike(node.parent)) {
    const isStatic = hasModifier(node, ts.SyntaxKind.StaticKeyword);
    const instead = isStatic ? 'assign `ClassName.x = ...` after the class' : 'assign `this.x = ...` in the constructor (and `declare x: T;` for the type)';
    ctx.report(node, 'class-field', 'class fields are not supported on Espruino: ' + instead);
  }
  if (ts.isClassStaticBlockDeclaration(node)) {
    ctx.report(node, 'class-field', 'static blocks are not supported on Espruino: run the code after the class declaration');
  }
}

function extendsExpression(node: ts.ClassLikeDeclaration): ts.Expression | undefined {
  const clause = node.heritageClauses?.find((c) => c.token === ts.SyntaxKind.ExtendsKeyword);
  return clause?.types[0]?.expression;
}

function isStaticMember(member: ts.ClassElement): boolean {
  return !isErased(member) && (ts.isClassStaticBlockDeclaration(member) || hasModifier(member, ts.SyntaxKind.StaticKeyword));
}

/** The class a local name refers to: `class A {}` or `const A = class {}`. */
function localClass(id: ts.Identifier, ctx: Ctx): ts.ClassLikeDeclaration | undefined {
  const decl = symbolOf(id, ctx)?.valueDeclaration;
  if (decl && ts.isClassLike(decl)) return decl;
  if (decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.isClassExpression(decl.initializer)) return decl.initializer;
  return undefined;
}

// "static method inheritance" does not work: a subclass neither gets its base's statics
// nor reliably keeps its own.
function checkStaticInheritance(node: ts.Node, ctx: Ctx): void {
  if (!ts.isClassLike(node)) return;
  const base = extendsExpression(node);
  if (!base) return;
  for (const member of node.members) {
    if (isStaticMember(member)) {
      ctx.report(member, 'static-inheritance', 'static members of a subclass are not supported on Espruino: make it a plain function or constant outside the class');
    }
  }
  const baseClass = ts.isIdentifier(base) ? localClass(base, ctx) : undefined;
  if (baseClass && baseClass.members.some(isStaticMember)) {
    ctx.report(
      base,
      'static-inheritance',
      '`' + base.getText(ctx.sf) + '` has static members, which Espruino does not inherit: call them on `' + base.getText(ctx.sf) + '` directly, or move them out of the class',
    );
  }
}

const ERROR_CLASSES = ['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError', 'AggregateError'];

function isExtendsErrorBase(node: ts.Node, ctx: Ctx): boolean {
  const p = node.parent;
  return (
    !!p &&
    ts.isExpressionWithTypeArguments(p) &&
    ts.isClassLike(p.parent.parent) &&
    extendsExpression(p.parent.parent) === node &&
    ERROR_CLASSES.some((name) => isGlobalReference(node, name, ctx))
  );
}

function checkExtendsError(node: ts.Node, ctx: Ctx): void {
  if (isExtendsErrorBase(node, ctx)) {
    ctx.report(node, 'extends-error', 'Espruino cannot subclass ' + (node as ts.Identifier).text + ': throw a plain Error with a `code` property (codedError/fail in protocol/errors.ts)');
  }
}

// ---------------------------------------------------------------------------
// Missing globals and built-ins

const UNSUPPORTED_GLOBALS: Record<string, string> = {
  Map: 'use a plain object keyed by string (`const m: Record<string, T> = {}`)',
  Set: 'use a plain object of `key: true`, or an array with indexOf()',
  WeakMap: 'store the data on the object itself, or in a plain object keyed by id',
  WeakSet: 'mark the object itself, or keep an array',
  WeakRef: 'keep a normal reference and drop it when done',
  Symbol: 'use a string key',
  RangeError: 'throw a plain Error with a `code` property (codedError/fail in protocol/errors.ts)',
  TextEncoder: 'encode the bytes by hand with charCodeAt (see protocol/bytes.ts)',
  TextDecoder: 'decode the bytes by hand with String.fromCharCode (see protocol/bytes.ts)',
};

function checkUnsupportedGlobal(node: ts.Node, ctx: Ctx): void {
  if (!ts.isIdentifier(node) || !Object.hasOwn(UNSUPPORTED_GLOBALS, node.text)) return;
  if (!isGlobalReference(node, node.text, ctx) || isExtendsErrorBase(node, ctx)) return;
  ctx.report(node, 'unsupported-global', node.text + ' does not exist on Espruino: ' + UNSUPPORTED_GLOBALS[node.text]);
}

const TYPED_ARRAYS = [
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array',
  'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
];

const UNSUPPORTED_BUILTINS: [string, string, string][] = [
  ['Math', 'imul', 'multiply 16-bit halves: `((((a >>> 16) * b) << 16) + (a & 0xffff) * b) | 0`'],
  ['Number', 'isInteger', 'write `typeof x === "number" && Math.floor(x) === x`'],
  ['Array', 'from', 'build the array with a for loop'],
  ['Object', 'freeze', 'leave the object unfrozen (keep it const and do not mutate it)'],
  ['Object', 'hasOwn', 'write `obj.hasOwnProperty(key)`'],
  ...TYPED_ARRAYS.flatMap((name): [string, string, string][] => [
    [name, 'from', 'write `new ' + name + '(length)` and fill it with set() or a loop'],
    [name, 'of', 'write `new ' + name + '([a, b, c])`'],
  ]),
];

function checkUnsupportedBuiltin(node: ts.Node, ctx: Ctx): void {
  if (!ts.isPropertyAccessExpression(node) && !ts.isElementAccessExpression(node)) return;
  for (const [global, member, instead] of UNSUPPORTED_BUILTINS) {
    if (isGlobalMember(node, global, member, ctx)) {
      ctx.report(node, 'unsupported-builtin', global + '.' + member + ' does not exist on Espruino: ' + instead);
    }
  }
}

// "`Array.prototype.x.call(...)` fails (prototypes look empty)".
function checkPrototypeCall(node: ts.Node, ctx: Ctx): void {
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return;
  const callee = node.expression;
  if (callee.name.text !== 'call' && callee.name.text !== 'apply') return;
  if (isPrototypeMethod(callee.expression, ctx)) {
    ctx.report(node, 'prototype-call', 'prototype methods look empty on Espruino: call the method on the value itself (`bytes.slice(...)`), or write a loop');
  }
}

/** `X.prototype.y`, or a variable holding it (esbuild's helpers do `var __hasOwnProp = Object.prototype.hasOwnProperty`). */
function isPrototypeMethod(node: ts.Expression, ctx: Ctx): boolean {
  if (ts.isIdentifier(node)) {
    const decl = symbolOf(node, ctx)?.valueDeclaration;
    return !!decl && ts.isVariableDeclaration(decl) && !!decl.initializer && decl.initializer !== node && isPrototypeMethod(decl.initializer, ctx);
  }
  return (
    (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) &&
    ts.isPropertyAccessExpression(node.expression) &&
    node.expression.name.text === 'prototype'
  );
}

// "`Math.pow(2,32)` is inexact: write such constants as literals."
function checkPowConstant(node: ts.Node, ctx: Ctx): void {
  if (!ts.isCallExpression(node) || !isGlobalMember(node.expression, 'Math', 'pow', ctx) || node.arguments.length !== 2) return;
  const base = numericLiteral(node.arguments[0]);
  const exponent = numericLiteral(node.arguments[1]);
  if (base === undefined || exponent === undefined) return;
  ctx.report(node, 'pow-constant', 'Math.pow(' + base + ', ' + exponent + ') is inexact on Espruino: write the literal ' + Math.pow(base, exponent));
}

// ---------------------------------------------------------------------------
// TypeScript syntax that esbuild turns into extra runtime code

function checkTsEmit(node: ts.Node, ctx: Ctx): void {
  if (ts.isEnumDeclaration(node)) {
    ctx.report(node, 'ts-emit', 'enums compile to an IIFE that builds a two-way map: use a const object (`const Mode = { A: 0, B: 1 }`)');
  }
  if (ts.isModuleDeclaration(node)) {
    ctx.report(node, 'ts-emit', 'namespaces compile to an IIFE: use a module (a separate file) or a plain object');
  }
  if (ts.isParameter(node) && ts.isConstructorDeclaration(node.parent) && ts.getCombinedModifierFlags(node) & ts.ModifierFlags.ParameterPropertyModifier) {
    ctx.report(node, 'ts-emit', 'parameter properties compile to field code: write `declare x: T;` and assign `this.x = x;` in the constructor');
  }
  if (ts.isDecorator(node)) {
    ctx.report(node, 'ts-emit', 'decorators compile to helper calls: call the function on the class after its declaration');
  }
}

// ---------------------------------------------------------------------------
// "`for (let i...)` closures all see the last value."

function loopVariables(node: ts.Node): ts.Identifier[] {
  if (!ts.isForStatement(node) && !ts.isForInStatement(node) && !ts.isForOfStatement(node)) return [];
  const init = node.initializer;
  if (!init || !ts.isVariableDeclarationList(init) || !(init.flags & ts.NodeFlags.BlockScoped)) return [];
  return init.declarations.flatMap((d) => bindingNames(d.name));
}

function checkLoopClosure(node: ts.Node, ctx: Ctx): void {
  const names = loopVariables(node);
  if (!names.length) return;
  const symbols = new Set<ts.Symbol | undefined>();
  for (const id of names) {
    const symbol = ctx.checker.getSymbolAtLocation(id);
    if (symbol) symbols.add(symbol);
  }
  const findCapture = (n: ts.Node): ts.Identifier | undefined => {
    if (isErased(n)) return undefined;
    if (ts.isIdentifier(n) && !isNamePosition(n) && symbols.has(symbolOf(n, ctx))) return n;
    return ts.forEachChild(n, findCapture);
  };
  const visitBody = (n: ts.Node): void => {
    if (isErased(n)) return;
    if (!isFunctionBoundary(n)) return void ts.forEachChild(n, visitBody);
    const captured = findCapture(n);
    if (captured) {
      ctx.report(
        captured,
        'loop-closure',
        'this closure captures loop variable `' + captured.text + '`, and Espruino shares one `' + captured.text +
          '` across iterations: create the closure in a helper function that takes it as a parameter',
      );
    }
  };
  visitBody((node as ts.IterationStatement).statement);
}

// ---------------------------------------------------------------------------
// "No hoisting: a function or var used before its declaration is a ReferenceError."

interface Declaration {
  name: ts.Identifier;
  start: number;
  /** The function (or file) whose execution creates the binding. */
  context: ts.Node;
  /** For functions (and variables holding one): the code that runs when it is called. */
  fn?: ts.FunctionLikeDeclaration;
}

function executionContext(node: ts.Node): ts.Node {
  let p = node.parent;
  while (p && !isFunctionBoundary(p)) p = p.parent;
  return p ?? node.getSourceFile();
}

function functionValue(init: ts.Expression | undefined): ts.FunctionLikeDeclaration | undefined {
  while (init && (ts.isParenthesizedExpression(init) || ts.isAsExpression(init) || ts.isSatisfiesExpression(init))) init = init.expression;
  return init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) ? init : undefined;
}

function collectDeclarations(ctx: Ctx): Map<ts.Symbol, Declaration> {
  const decls = new Map<ts.Symbol, Declaration>();
  const add = (name: ts.Identifier, node: ts.Node, fn?: ts.FunctionLikeDeclaration) => {
    const symbol = ctx.checker.getSymbolAtLocation(name);
    // A `var` declared twice exists from its first declaration on.
    if (symbol && !decls.has(symbol)) decls.set(symbol, { name, start: node.getStart(ctx.sf), context: executionContext(node), fn });
  };
  walk(ctx.sf, (node) => {
    if (ts.isFunctionDeclaration(node) && node.name) add(node.name, node, node);
    if (ts.isClassDeclaration(node) && node.name) add(node.name, node);
    if (ts.isVariableDeclaration(node)) {
      for (const id of bindingNames(node.name)) add(id, ts.isIdentifier(node.name) ? node : id, functionValue(node.initializer));
    }
  });
  return decls;
}

function checkUseBeforeDeclaration(ctx: Ctx): void {
  const decls = collectDeclarations(ctx);
  const resolve = (id: ts.Identifier): Declaration | undefined => {
    if (isNamePosition(id)) return undefined;
    const symbol = symbolOf(id, ctx);
    const decl = symbol && decls.get(symbol);
    return decl && decl.name !== id ? decl : undefined;
  };
  // Same-context declarations referenced anywhere inside a function, memoized.
  const refsCache = new Map<ts.Node, Declaration[]>();
  const refsOf = (fn: ts.FunctionLikeDeclaration): Declaration[] => {
    let refs = refsCache.get(fn);
    if (!refs) {
      const found: Declaration[] = [];
      walk(fn, (n) => {
        const d = ts.isIdentifier(n) ? resolve(n) : undefined;
        if (d) found.push(d);
      });
      refsCache.set(fn, (refs = found));
    }
    return refs;
  };
  // Everything a call to f may touch in f's own context, through the functions it references.
  const reach = (f: Declaration): Declaration[] => {
    const seen = new Set<Declaration>([f]);
    const stack = [f];
    for (let d = stack.pop(); d; d = stack.pop()) {
      for (const r of refsOf(d.fn!)) {
        if (r.context !== f.context || seen.has(r)) continue;
        seen.add(r);
        if (r.fn) stack.push(r);
      }
    }
    seen.delete(f);
    return [...seen];
  };

  walk(ctx.sf, (node) => {
    if (!ts.isIdentifier(node)) return;
    const decl = resolve(node);
    // Only code that runs right away in the declaring context; code inside nested
    // functions runs when they are called (followed below for direct calls).
    if (!decl || executionContext(node) !== decl.context) return;
    const at = node.getStart(ctx.sf);
    if (at < decl.start) {
      ctx.report(node, 'use-before-declaration', '`' + node.text + '` is used before its declaration at line ' + lineOf(decl.name, ctx) + ', and Espruino does not hoist: move the declaration above this line');
    }
    const p = node.parent;
    const isCall = (ts.isCallExpression(p) || ts.isNewExpression(p)) && p.expression === node;
    if (!isCall || !decl.fn) return;
    for (const later of reach(decl)) {
      if (later.start > at) {
        ctx.report(node, 'use-before-declaration', 'calling `' + node.text + '` here runs code that uses `' + later.name.text + '`, declared later at line ' + lineOf(later.name, ctx) + ', and Espruino does not hoist: move this call below that declaration');
      }
    }
  });
}

const NODE_RULES: ((node: ts.Node, ctx: Ctx) => void)[] = [
  checkDestructuring,
  checkDefaultParameter,
  checkSpread,
  checkRest,
  checkComputedKey,
  checkLabel,
  checkGenerator,
  checkAsyncAwait,
  checkExponent,
  checkOptionalChaining,
  checkLogicalAssignment,
  checkBigInt,
  checkClassField,
  checkStaticInheritance,
  checkExtendsError,
  checkUnsupportedGlobal,
  checkUnsupportedBuiltin,
  checkPrototypeCall,
  checkPowConstant,
  checkLoopClosure,
  checkTsEmit,
];

/** Every rule id, for the CLI and tests. */
export const RULES = [
  'destructuring', 'default-parameter', 'spread', 'rest', 'computed-key', 'label', 'generator',
  'async-await', 'exponent', 'optional-chaining', 'logical-assignment', 'bigint', 'class-field',
  'static-inheritance', 'extends-error', 'unsupported-global', 'unsupported-builtin', 'prototype-call',
  'use-before-declaration', 'loop-closure', 'pow-constant', 'ts-emit',
] as const;
