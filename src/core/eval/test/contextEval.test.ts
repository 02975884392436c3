import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contextEvalReport, plainBm25, type ContextEvalQuestion } from '../contextEval';

const question = (fields: Partial<ContextEvalQuestion>): ContextEvalQuestion => ({ question: 'q', gold: [], sent: [], bytes: 100, bareBytes: 100, ms: 10, baseline: [], ...fields });

test('recall@k counts a question when a gold file is among the first k distinct files sent, in send order', () => {
  const report = contextEvalReport([
    // two chunks of one file count as one file: the gold file is the second file sent
    question({ gold: ['b.py'], sent: [{ path: 'a.py', tokens: 100 }, { path: 'a.py', tokens: 100 }, { path: 'b.py', tokens: 50 }], baseline: ['b.py'] }),
    question({ gold: ['x.py', 'e.py'], sent: ['a', 'b', 'c', 'd', 'e'].map((f) => ({ path: `${f}.py`, tokens: 10 })), baseline: ['a.py', 'b.py', 'c.py', 'd.py', 'f.py', 'x.py'] }),
    question({ gold: ['z.py'], sent: [{ path: 'README.md', tokens: 300 }], baseline: [] }),
    question({ gold: ['a.py'], sent: [{ path: 'a.py', tokens: 40 }], baseline: ['a.py'] }),
  ]);
  assert.equal(report.questions, 4);
  assert.deepEqual(report.recall, { at1: 0.25, at3: 0.5, at5: 0.75, at10: 0.75 });
  assert.equal(report.reached, 0.75);
  assert.deepEqual(report.baseline, { at1: 0.5, at3: 0.5, at5: 0.5, at10: 0.75 });
  assert.deepEqual(report.rows.map((r) => [r.rank, r.baselineRank, r.tokens]), [[2, 1, 250], [5, 6, 50], [null, null, 300], [1, 1, 40]]);
  assert.deepEqual(report.rows[0]?.files, ['a.py', 'b.py']);
  // 300 of the 640 tokens sent are the README
  assert.equal(report.proseShare, 300 / 640);
  assert.deepEqual(report.tokens, { median: 250, p90: 300 });
  assert.equal(report.plain, null);
});

test('a question without gold files is plain: it counts only in how much the workspace grew its request', () => {
  const report = contextEvalReport([
    question({ gold: ['a.py'], sent: [{ path: 'a.py', tokens: 500 }], bytes: 2000, bareBytes: 100 }),
    question({ bytes: 100, bareBytes: 100 }),
    question({ bytes: 110, bareBytes: 100, sent: [{ path: 'a.py', tokens: 3 }] }),
    question({ bytes: 5000, bareBytes: 100, sent: [{ path: 'CONTRIBUTING.md', tokens: 1600 }] }),
  ]);
  assert.equal(report.questions, 1);
  assert.deepEqual(report.recall, { at1: 1, at3: 1, at5: 1, at10: 1 });
  assert.equal(report.proseShare, 0, 'prose is counted over questions with gold files');
  assert.deepEqual(report.plain, { questions: 3, carried: 2, sizeRatioMedian: 1.1, sizeRatioMax: 50, tokensMedian: 3 });
});

test('each kind of question the set names is reported apart: recall beside BM25 for questions about the workspace, how many others carried anything', () => {
  const report = contextEvalReport([
    question({ kind: 'plain', gold: ['a.py'], sent: [{ path: 'b.py', tokens: 40 }, { path: 'a.py', tokens: 60 }], baseline: ['a.py'] }),
    question({ kind: 'plain', gold: ['c.py'], sent: [], baseline: ['a.py', 'b.py', 'd.py', 'e.py', 'f.py', 'c.py'] }),
    question({ kind: 'unrelated', bytes: 100, bareBytes: 100 }),
    question({ kind: 'unrelated', bytes: 900, bareBytes: 100, sent: [{ path: 'a.py', tokens: 200 }] }),
    question({ gold: ['a.py'], sent: [{ path: 'a.py', tokens: 10 }] }),
  ]);
  assert.deepEqual(Object.keys(report.byKind), ['plain', 'unrelated'], 'a row without a kind is in no kind');
  const plain = report.byKind.plain;
  assert.equal(plain?.withGold, 2);
  assert.deepEqual(plain?.recall, { at1: 0, at3: 0.5, at5: 0.5, at10: 0.5 });
  assert.deepEqual(plain?.baseline, { at1: 0.5, at3: 0.5, at5: 0.5, at10: 1 });
  assert.equal(plain?.tokensMedian, 100, 'the median of 100 and 0 tokens, as percentile() takes it');
  assert.deepEqual([report.byKind.unrelated?.questions, report.byKind.unrelated?.withGold, report.byKind.unrelated?.carried], [2, 0, 1]);
});

test('plain BM25 ranks whole files by the question\'s words alone, and leaves out files that share none', () => {
  const files = [
    { path: 'rich/panel.py', text: 'class Panel:\n    def __init__(self, title, style):\n        self.title = title  # the title is drawn in the border\n' },
    { path: 'rich/cells.py', text: 'def split_graphemes(text):\n    """Split text into graphemes."""\n    return list(text)\n' },
    { path: 'rich/live.py', text: 'class Live:\n    pass\n' },
  ];
  assert.deepEqual(plainBm25(files, 'The panel title loses its background'), ['rich/panel.py']);
  // snake_case is one word to the plain BM25: `split_graphemes` matches itself, "split" matches the docstring too
  assert.deepEqual(plainBm25(files, 'split_graphemes hangs on a trailing joiner'), ['rich/cells.py']);
  assert.deepEqual(plainBm25(files, 'capital of Australia'), []);
  // "class" is in two files, "live" in one: the file with both first
  assert.deepEqual(plainBm25(files, 'class Live'), ['rich/live.py', 'rich/panel.py']);
});

test('the answering definition reached the models when what went of its file holds its signature and at least half its lines', () => {
  const definitions = [{ path: 'app.py', startLine: 100, endLine: 139 }];
  const report = contextEvalReport([
    question({ gold: ['app.py'], definitions, sent: [{ path: 'app.py', tokens: 300, startLine: 95, endLine: 140 }] }),
    // a piece of it: the signature and 20 of its 40 lines
    question({ gold: ['app.py'], definitions, sent: [{ path: 'app.py', tokens: 100, startLine: 100, endLine: 110 }, { path: 'app.py', tokens: 100, startLine: 111, endLine: 119 }] }),
    // its body without its signature, or its signature alone
    question({ gold: ['app.py'], definitions, sent: [{ path: 'app.py', tokens: 300, startLine: 101, endLine: 139 }] }),
    question({ gold: ['app.py'], definitions, sent: [{ path: 'app.py', tokens: 10, startLine: 100, endLine: 100 }, { path: 'other.py', tokens: 400, startLine: 100, endLine: 139 }] }),
    question({ gold: ['app.py'], sent: [{ path: 'app.py', tokens: 10, startLine: 1, endLine: 5 }] }),
  ]);
  assert.deepEqual(report.rows.map((r) => r.definitionReached), [true, true, false, false, null]);
  assert.deepEqual(report.definitions, { questions: 4, reached: 0.5 });
  assert.deepEqual(report.rows[1]?.items, ['app.py:100-110', 'app.py:111-119']);
});
