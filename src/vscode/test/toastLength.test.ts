import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** VS Code cuts a notification's text after about this many characters (a toast shows two lines). */
const TOAST_LIMIT = 120;
/** What a `${…}` in a message is counted as: a short name (an endpoint id, a count). */
const SUBSTITUTION_CHARS = 10;

const SHOW = new Set(['showInformationMessage', 'showWarningMessage', 'showErrorMessage']);
/** The extension host's sources (the unit tests run from the repository's root). */
const root = path.resolve('src/vscode');

/** The initializer of the `const` named `name` in `node`'s file, for a message kept in a variable first. */
function constValue(name: ts.Identifier): ts.Expression | undefined {
  let found: ts.Expression | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name.text && node.initializer && ts.isVariableDeclarationList(node.parent) && (node.parent.flags & ts.NodeFlags.Const) !== 0) found = node.initializer;
    else ts.forEachChild(node, visit);
  };
  visit(name.getSourceFile());
  return found;
}

/** The length a message expression shows: literal text as is, each substitution as SUBSTITUTION_CHARS; undefined when not static. */
function shownLength(node: ts.Expression): number | undefined {
  if (ts.isIdentifier(node)) {
    const value = constValue(node);
    return value === undefined ? undefined : shownLength(value);
  }
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text.length;
  if (ts.isTemplateExpression(node)) return node.head.text.length + node.templateSpans.reduce((n, s) => n + SUBSTITUTION_CHARS + s.literal.text.length, 0);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const [a, b] = [shownLength(node.left), shownLength(node.right)];
    return a === undefined || b === undefined ? undefined : a + b;
  }
  if (ts.isParenthesizedExpression(node)) return shownLength(node.expression);
  return undefined;
}

/** A `{ modal: true }` options argument: a modal dialog shows its whole text. */
const isModal = (node: ts.Expression | undefined): boolean =>
  node !== undefined && ts.isObjectLiteralExpression(node) && node.properties.some((p) => ts.isPropertyAssignment(p) && p.name.getText() === 'modal' && p.initializer.kind === ts.SyntaxKind.TrueKeyword);

interface Toast {
  at: string;
  length: number;
}

/** Every non-modal notification in `file` whose message is static enough to measure. */
function toasts(file: string): Toast[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: Toast[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && SHOW.has(node.expression.name.text)) {
      const [message, options] = node.arguments;
      const length = message === undefined ? undefined : shownLength(message);
      if (length !== undefined && !isModal(options)) found.push({ at: `${path.relative(root, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`, length });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const sources = readdirSync(root, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.ts') && !f.split(path.sep).includes('test'))
  .map((f) => path.join(root, f));

test('the scanner measures notifications: it finds the host’s toasts and measures a template by its literal text', () => {
  const all = sources.flatMap(toasts);
  assert.ok(all.length > 20, `found only ${all.length} notifications`);
  const template = ts.createSourceFile('x.ts', 'vscode.window.showWarningMessage(`SMCS: ${a} is ${b}.`, "OK")', ts.ScriptTarget.Latest, true);
  const call = (template.statements[0] as ts.ExpressionStatement).expression as ts.CallExpression;
  assert.equal(shownLength(call.arguments[0] as ts.Expression), 'SMCS: '.length + ' is '.length + '.'.length + 2 * SUBSTITUTION_CHARS);
});

test(`every notification of the extension fits a toast (${TOAST_LIMIT} characters; detail goes behind a button, in the log or in a modal's detail)`, () => {
  const tooLong = sources.flatMap(toasts).filter((t) => t.length > TOAST_LIMIT);
  assert.deepEqual(tooLong, []);
});
