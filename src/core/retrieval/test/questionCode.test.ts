import { test } from 'node:test';
import assert from 'node:assert/strict';
import { namesIn, questionParts } from '../questionCode';

test('a HumanEval prompt is code: the imports, the signature, the docstring and its doctests', () => {
  const prompt = 'from typing import List\n\n\ndef sort_words(text: str) -> List[str]:\n    """ Sort the words of text.\n    An explanation in plain words, inside the docstring.\n    >>> sort_words(\'b a\')\n    [\'a\', \'b\']\n    """\n';
  const parts = questionParts(`Complete this function:\n\n${prompt}`);
  assert.equal(parts.prose.trim(), 'Complete this function:');
  assert.match(parts.code, /An explanation in plain words/);
  assert.ok(namesIn(parts.code).has('sort_words') && namesIn(parts.code).has('List'));
});

test('fenced blocks, indented blocks and MBPP asserts are code; the words around them are prose', () => {
  const fenced = questionParts('Why does this hang?\n\n```go\nfor {\n}\n```\nThanks.');
  assert.equal(fenced.prose.replace(/\n+/g, ' ').trim(), 'Why does this hang? Thanks.');
  assert.equal(fenced.code, 'for {\n}');
  assert.match(questionParts('Is this safe?\n\n    server:\n      debug: true\n').code, /debug: true/);
  assert.match(questionParts('Write a function to add two numbers.\nassert add(1, 2) == 3\nassert add(0, 0) == 0').code, /assert add\(0, 0\)/);
  const names = namesIn('x = strings.Split(s, ",")');
  assert.ok(names.has('strings.Split') && names.has('Split') && names.has('strings'));
});

test('prose, bug reports, inline code and a single code-like line bring no code', () => {
  for (const q of [
    'What is the capital of Australia?',
    'I think I found a bug: render required ArgGroups. Which code is responsible?',
    'Why does `split_graphemes(text)` hang?',
    'The progress bar flickers.\nIt happens when the terminal is resized; only then.',
    'return the first item',
  ]) {
    const parts = questionParts(q);
    assert.equal(parts.code, '', q);
    assert.equal(parts.prose, q);
  }
});
