import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mentionsIn } from '../mentions';
import { diversify, scoreChunk, withUses } from '../ranking';
import { bm25, countOf, queryTermIds, termCounts, termsIn } from '../terms';

const chunk = (path: string, symbols: string[] = [], startLine = 1) => ({ path, startLine, endLine: startLine + 9, symbols });
const quiet = { similarity: 0, chunkText: 0, fileText: 0 };

test('terms are words and identifiers, whole and split into parts; counts are found by id', () => {
  assert.deepEqual(termsIn('def split_graphemes(parseHTTPResponse)'), ['def', 'split_graphemes', 'split', 'graphemes', 'parsehttpresponse', 'parse', 'http', 'response']);
  const doc = termCounts('cell cell cell_len');
  const [cellId] = queryTermIds('cell');
  assert.equal(countOf(doc, cellId as number), 3, 'cell twice, and once as a part of cell_len');
  assert.equal(doc.length, 5);
});

test('BM25 favours the rarer term and the shorter document', () => {
  const scores = bm25([1, 0, 0, 1, 0, 1, 0, 1], 2, [10, 10, 10, 10]);
  assert.ok((scores[0] as number) > (scores[1] as number), 'a term in one document of four weighs more than one in three');
  const [short, long] = bm25([1, 1, 0], 1, [5, 50, 10]);
  assert.ok((short as number) > (long as number));
});

test('a chunk that defines a named identifier, or sits in a named file, outranks a merely similar one', () => {
  const mentions = mentionsIn('Why does split_graphemes hang in cells.py?');
  const similar = scoreChunk(chunk('rich/text.py'), { similarity: 0.9, chunkText: 0.9, fileText: 0.9 }, mentions);
  const defines = scoreChunk(chunk('rich/_loop.py', ['split_graphemes']), quiet, mentions);
  const named = scoreChunk(chunk('rich/cells.py'), { ...quiet, similarity: 0.2 }, mentions);
  assert.equal(defines.reason, 'defines split_graphemes');
  assert.equal(named.reason, 'in cells.py, which the question names');
  assert.equal(similar.reason, 'shares words with the question');
  assert.ok(defines.score > similar.score, 'the definition the question names comes first');
  assert.ok(named.score > scoreChunk(chunk('rich/text.py'), { similarity: 0.5, chunkText: 0.5, fileText: 0.5 }, mentions).score);
  const user = withUses(scoreChunk(chunk('rich/segment.py'), quiet, mentions), 'spans = split_graphemes(text)', mentions);
  assert.equal(user.reason, 'uses split_graphemes');
  assert.ok(user.score > 0);
});

test('one file\'s second chunk comes after other files\' best', () => {
  const ranked = [
    { chunk: chunk('a.py', [], 1), score: 2, reason: '' },
    { chunk: chunk('a.py', [], 20), score: 1.9, reason: '' },
    { chunk: chunk('b.py'), score: 1.8, reason: '' },
  ];
  assert.deepEqual(diversify(ranked).map((r) => `${r.chunk.path}:${r.chunk.startLine}`), ['a.py:1', 'b.py:1', 'a.py:20']);
});
