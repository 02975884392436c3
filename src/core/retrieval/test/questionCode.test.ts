import { test } from 'node:test';
import assert from 'node:assert/strict';
import { namesIn, questionMentions, questionParts } from '../questionCode';

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

test("a pasted issue's template says nothing: its labels, fields, short answers and comments are blanked; its title, its report and its code are kept", () => {
  const issue = [
    'autodoc_typehints does not affect overloaded callables',
    '<!--',
    '  Please describe the bug below.',
    '-->',
    '**Describe the bug**',
    'autodoc_typehints is ignored for overloaded callables.',
    '',
    '**To Reproduce**',
    '```',
    '# in conf.py',
    "autodoc_typehints = 'none'",
    '```',
    '',
    '### Operating system',
    '',
    'Ubuntu 22.04',
    '',
    '### Matplotlib Backend',
    '',
    'QtAgg',
    '',
    '**Environment info**',
    '- OS: Mac',
    '- Python version: 3.8.2',
    '- Sphinx version: HEAD of the 3.x branch',
  ].join('\n');
  const parts = questionParts(issue);
  for (const gone of ['Please', 'Describe', 'Reproduce', 'Operating', 'Ubuntu', 'Backend', 'QtAgg', 'Environment', 'Mac', 'Python version']) {
    assert.doesNotMatch(parts.prose, new RegExp(gone), gone);
    assert.doesNotMatch(parts.said, new RegExp(gone), gone);
  }
  assert.match(parts.prose, /^autodoc_typehints does not affect overloaded callables/);
  assert.match(parts.prose, /is ignored for overloaded callables/);
  // A field whose value is a sentence is the reporter's words, not the form's.
  assert.match(parts.prose, /HEAD of the 3\.x branch/);
  // The code keeps its comment, though `# in conf.py` looks like a heading.
  assert.match(parts.said, /# in conf\.py\nautodoc_typehints = 'none'/);
  assert.equal(parts.code, "# in conf.py\nautodoc_typehints = 'none'");
});

test("a heading that names code or says more than a label is the report's: its words stay", () => {
  for (const heading of ['## `Router.match` drops the trailing slash', '# Router.match drops the trailing slash when the path ends in a wildcard', '**autodoc_typehints is ignored for overloads**']) {
    assert.match(questionParts(`${heading}\n\nIt happens since 3.2.`).said, /drops|ignored/, heading);
  }
  for (const label of ['### Steps/Code to Reproduce', '**Describe the bug**', '#### Expected Results', "### Describe the solution you'd like", '__Environment__:']) {
    assert.equal(questionParts(`Title of the report\n${label}\nIt happens since 3.2.`).said.split('\n')[1], '', label);
  }
});

test('a question without a template keeps every line, a heading of its own among them when its section says more than a few words', () => {
  const q = '## Sorting\n\nHow does the router sort its routes when two of them match the same path?';
  assert.equal(questionParts(q).said.trim().split('\n').at(-1), 'How does the router sort its routes when two of them match the same path?');
  assert.equal(questionParts('What is the capital of Australia?').said, 'What is the capital of Australia?');
});

test("the files a question names: its prose's, and its code's only by a path with a folder", () => {
  const q = 'Sphinx ignores my setting in conf.py since 3.2\n\n```\n# in index.rst\n.. automodule:: example\n```\n\n```\nFile "/usr/lib/python3/sphinx/ext/autodoc/__init__.py", line 5\n```';
  const named = questionMentions(q);
  assert.ok(named.files.includes('conf.py'));
  assert.ok(!named.files.includes('index.rst'));
  assert.ok(named.files.includes('/usr/lib/python3/sphinx/ext/autodoc/__init__.py'));
  assert.deepEqual(questionMentions('Why does cells.py hang?').files, ['cells.py']);
});

test("a listing of the reporter's environment says nothing, in prose or pasted as a block; a sentence about a version and real code stay", () => {
  const issue = [
    'The collected items are counted twice with --lf',
    '',
    '```',
    'Package        Version',
    '-------------- -------',
    'atomicwrites   1.3.0',
    'pluggy==0.13.1',
    'numpy: 1.16.2',
    'Python 3.10.4 (main, Apr 26 2022, 19:42:59) [Clang 13.1.6 (clang-1316.0.21.2)] on darwin',
    '```',
    '',
    'NumPy 1.13.3',
    'SciPy 0.19.1',
    '',
    'Python 3.8 (on Windows) counts them twice as well.',
    '',
    '```python',
    'session.items = deselect(items, 1.5)',
    'x = 3',
    '```',
  ].join('\n');
  const { said, prose } = questionParts(issue);
  for (const gone of ['atomicwrites', 'pluggy', 'numpy', 'Clang', 'NumPy', 'SciPy']) assert.doesNotMatch(said, new RegExp(gone), gone);
  assert.match(prose, /Python 3\.8 \(on Windows\) counts them twice as well\./);
  assert.match(said, /session\.items = deselect\(items, 1\.5\)\nx = 3/);
  assert.match(said, /Package +Version/, 'a heading of the listing is words, and harmless');
  const choices = 'Its current ratio is\nA. 0.67\nB. 1.5\nC. 1.33';
  assert.equal(questionParts(choices).said, choices, "a multiple-choice question's options are its content");
});
