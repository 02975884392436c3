import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contextItem } from '../../context/contextItem';
import { decisionLine, searchDecision } from '../contextDecision';
import { fitContext } from '../../promptBudget/fitContext';
import { OPEN_FILE_MAX_TOKENS, openFileBudget, openFileReference, openFileShare, type OpenFile } from '../openFileShare';

/** A TypeScript router of `n` handler functions of ~12 lines each, and a `Router` class at the end. */
function routerFile(n: number): string {
  const handlers = Array.from({ length: n }, (_, i) =>
    [`export function handle${i}(req: Request): Response {`, ...Array.from({ length: 10 }, (_, j) => `  const v${j} = req.param('p${j}') ?? 'default value ${i}-${j}';`), '  return respond(v0);', '}', ''].join('\n'),
  );
  const router = ['export class Router {', '  route(path: string): number {', '    return this.routes.has(path) ? 200 : 405;', '  }', '}', ''].join('\n');
  return [...handlers, router].join('\n');
}

const big: OpenFile = { path: 'src/router.ts', text: routerFile(60), cursorLine: 14 * 10 + 5, language: 'typescript' };
const small = { path: 'src/cells.py', text: 'def cell_len(text):\n    return sum(char_width(c) for c in text)\n' };

test('the open file is referred to by pointing words, its name, a selection, #problems, or a name only it defines', () => {
  for (const q of ['Why does this function return 0 for emoji?', 'What does this code do?', 'Refactor this', 'Is there a bug here?', 'Why does this crash?', 'Why is cell_len slow?', 'Explain `char_width` in cells.py', 'What is wrong in the current file?']) {
    assert.notEqual(openFileReference(q, small), undefined, q);
  }
  for (const q of ['What is the capital of Australia?', 'Explain big-O notation, e.g. for sorting.', 'How do I read a CSV in pandas?', 'What does cells.Sample mean in statistics?', 'Why does my Rust borrow checker complain?', 'Why is char_width slow?']) {
    assert.equal(openFileReference(q, small), undefined, q);
  }
  assert.equal(openFileReference('What could go wrong?', small, { problemsMentioned: true }), 'the question asks for its problems');
  assert.equal(openFileReference('Is it right?', small, { selectionInFile: true }), 'a selection of it goes with the question');
  assert.equal(openFileReference('Why does the Router return 405?', big), 'the question names Router, which it defines');
  // A name the workspace defines elsewhere too is the workspace's: retrieval finds it, the open file stays out.
  assert.equal(openFileReference('Why does the Router return 405?', big, { definedElsewhere: (name) => name === 'Router' }), undefined);
});

test('a question that does not refer to the open file sends none of it, and says so', () => {
  const share = openFileShare('What is the capital of Australia?', big);
  assert.deepEqual([share.items, share.tokens], [[], 0]);
  assert.equal(share.summary, 'src/router.ts not sent: the question does not refer to it');
  // An exercise's docstring says "this function" of its own code, not of the open file.
  const exercise = 'Write this Python function:\n\n```python\ndef separate_groups(text: str) -> list:\n    """ Input to this function is a string. """\n```';
  assert.deepEqual(openFileShare(exercise, big).items, []);
  const explained = openFileShare('Explain this function', big);
  assert.ok(explained.items.length > 0, 'the same words in the prose point at the open file');
  assert.match(explained.brief, /^lines? [\d–, ]+( \+ outline)?$/, 'the chip names the lines that go');
  assert.equal(openFileShare('What is the capital of Australia?', big).brief, '');
});

test('referred to: the definition at the cursor and an outline of the rest, within the share', () => {
  const share = openFileShare('Why does this function return the default value?', big);
  const [part, outline] = share.items;
  // handle10 starts at line 141 (14 lines per handler).
  assert.deepEqual([part?.startLine, part?.endLine, part?.reason, part?.focusLine], [141, 153, 'current file: the definition at the cursor', 145]);
  assert.equal(outline?.outline, true);
  assert.match(outline?.text ?? '', /^1: export function handle0\(req: Request\): Response \{$/m);
  assert.doesNotMatch(outline?.text ?? '', /^141: /m, 'the part sent is not outlined again');
  assert.match(outline?.text ?? '', /^\d+: export class Router \{$/m);
  assert.ok(share.tokens <= openFileBudget(), `${share.tokens} tokens`);
  assert.equal(share.summary, `lines 141–153 of src/router.ts (the definition at the cursor, and an outline), ${share.tokens.toLocaleString('en-US')} tokens`);
  const whole = contextItem({ source: 'currentFile', path: big.path, startLine: 1, endLine: 1, text: big.text, reason: '' });
  assert.ok(share.tokens < whole.tokens / 3, `${share.tokens} of ${whole.tokens}`);
});

test('definitions the question names go beside the one at the cursor', () => {
  const share = openFileShare('Why does handle3() differ from this function?', big);
  assert.deepEqual(share.items.filter((i) => i.outline !== true).map((i) => [i.startLine, i.reason]), [[141, 'current file: the definition at the cursor'], [43, 'current file: defines handle3']]);
  assert.match(share.summary, /^lines 141–153, 43–55 of src\/router\.ts \(the definition at the cursor, and an outline\)/);
});

test('the share has a hard cap and a share of the room; a huge definition is cut around the cursor', () => {
  assert.equal(openFileBudget(), OPEN_FILE_MAX_TOKENS);
  assert.equal(openFileBudget(3_000), 1_000, 'a third of a small room');
  const body = Array.from({ length: 3_000 }, (_, i) => `  total += values[${i}] * weights[${i}]; // step ${i}`);
  const huge: OpenFile = { path: 'src/sum.ts', text: ['export function weighted(values: number[], weights: number[]): number {', '  let total = 0;', ...body, '  return total;', '}', ''].join('\n'), cursorLine: 1_500 };
  const share = openFileShare('Why is this function slow?', huge);
  assert.ok(share.tokens <= OPEN_FILE_MAX_TOKENS, `${share.tokens}`);
  const [part] = share.items;
  assert.ok(part && part.startLine <= 1_500 && part.endLine >= 1_500 && part.endLine - part.startLine < 500, `${part?.startLine}–${part?.endLine}`);
  assert.ok(openFileShare('Why is this function slow?', huge, {}, 600).tokens <= 600);
});

test('a small file referred to goes whole; with no definition at the cursor the lines around it go', () => {
  const share = openFileShare('Why is cell_len slow?', { ...small, cursorLine: 1 });
  assert.deepEqual(share.items.map((i) => [i.startLine, i.endLine, i.reason]), [[1, 2, 'current file: whole']]);
  const statements: OpenFile = { path: 'build.sh', text: Array.from({ length: 400 }, (_, i) => `echo "step ${i} of the build, with some words to make it long"`).join('\n'), cursorLine: 200 };
  const [part] = openFileShare('Why does this script fail?', statements).items;
  assert.deepEqual([part?.startLine, part?.endLine, part?.reason], [170, 230, 'current file: the lines at the cursor']);
});

test('an outline covers no lines: a retrieved chunk of the same file still goes', () => {
  const share = openFileShare('Why does this function return the default value?', big);
  const chunk = contextItem({ source: 'retrieved', path: big.path, startLine: 841, endLine: 846, text: 'export class Router {}', reason: 'defines Router' });
  const fitted = fitContext([...share.items, chunk], 16_000);
  assert.ok(fitted.items.includes(chunk));
});

test('one line says what decided: the search and the open file', () => {
  assert.equal(
    decisionLine(searchDecision('auto', { found: true, why: 'the question names Router, which the workspace defines' }), { summary: 'lines 40–88 of src/router.rs (the definition at the cursor), 1,210 tokens' }),
    'searched: the question names Router, which the workspace defines; open file: lines 40–88 of src/router.rs (the definition at the cursor), 1,210 tokens',
  );
  assert.equal(decisionLine(searchDecision('auto', { found: false, why: 'no file of the workspace holds what is telling in its words' }), undefined), 'not searched: no file of the workspace holds what is telling in its words');
  assert.equal(decisionLine(searchDecision('always', undefined), 'a.ts not sent: the question does not refer to it'), 'searched: #codebase asks for it; open file: a.ts not sent: the question does not refer to it');
  assert.equal(decisionLine(undefined, 'a.ts not sent: x'), 'open file: a.ts not sent: x');
  const found = [{ path: 'lib/view.js', reason: 'defines tryRender' }, { path: 'lib/utils.js', reason: 'defines normalizeType' }, { path: 'lib/view.js', reason: 'defines tryRender' }];
  assert.equal(
    decisionLine(searchDecision('auto', { found: false, why: 'no file of the workspace holds what is telling in its words' }), undefined, found),
    'not searched: no file of the workspace holds what is telling in its words; what the selection calls: tryRender (lib/view.js), normalizeType (lib/utils.js)',
  );
});

