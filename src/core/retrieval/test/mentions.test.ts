import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mentionsIn, NAMED_FILE_MATCHES, namesFileIn, pathMatches } from '../mentions';

test('identifiers written as code and file names are what a question names', () => {
  const m = mentionsIn('Why does split_graphemes in cells.py loop forever, and is `cell_len` or Console.print() involved? See src/parse.ts and parseScores.');
  assert.deepEqual(m.files.sort(), ['cells.py', 'src/parse.ts']);
  for (const id of ['split_graphemes', 'cell_len', 'Console.print', 'Console', 'print', 'parseScores']) assert.ok(m.identifiers.includes(id), `${id} in ${m.identifiers.join(', ')}`);
  for (const word of ['Why', 'loop', 'forever', 'involved', 'See', 'cells', 'parse']) assert.ok(!m.identifiers.includes(word), `${word} is prose`);
});

test('languages and products written in CamelCase, and NaN, are prose unless called or in backticks', () => {
  const m = mentionsIn('How do I port this JavaScript to TypeScript for macOS, keep the PostgreSQL rows on GitHub, and why is it NaN?');
  assert.deepEqual(m.identifiers, []);
  assert.deepEqual(mentionsIn('Why does parseScores return NaN in TypeScript?').identifiers, ['parseScores']);
  assert.deepEqual(mentionsIn('what does `WebSocket` do here, and WebGL(canvas)?').identifiers.sort(), ['WebGL', 'WebSocket']);
});

test('prose, versions and sentence ends are not file names', () => {
  assert.deepEqual(mentionsIn('It broke in version 1.2.3 of the app. Then I gave up.').files, []);
  assert.deepEqual(mentionsIn('Is README.md or setup.cfg read first?').files.sort(), ['README.md', 'setup.cfg']);
});

test('a mentioned path matches the file it names, not one that only ends the same way', () => {
  assert.ok(pathMatches('rich/cells.py', 'cells.py'));
  assert.ok(pathMatches('src/core/parse.ts', 'core/parse.ts'));
  assert.ok(!pathMatches('rich/_cells.py', 'cells.py'));
  assert.ok(pathMatches('Rich/Cells.PY', './cells.py'));
});

test(`a file name names the workspace's files that answer to it, when at most ${NAMED_FILE_MATCHES} do`, () => {
  const paths = ['setup.py', 'rich/cells.py', ...Array.from({ length: 40 }, (_, i) => `tests/roots/test-${i}/conf.py`), 'rich/__init__.py', 'rich/markdown/__init__.py'];
  assert.ok(namesFileIn(paths, 'setup.py') && namesFileIn(paths, 'cells.py') && namesFileIn(paths, '__init__.py'));
  assert.ok(!namesFileIn(paths, 'conf.py'), 'forty test projects each have one: the name picks out none');
  assert.ok(namesFileIn(paths, 'tests/roots/test-3/conf.py'), 'with its folders it names one');
  assert.ok(!namesFileIn(paths, 'utils.py'), 'a file the workspace does not have');
});
