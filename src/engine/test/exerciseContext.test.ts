/**
 * What an ask gathers when the question is not about the workspace though it looks like code (an exercise with its own
 * code, generic words), beside a bug report that names the workspace's code: engine/workspaceContext with a real index.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { workspaceWith } from '../../../test/fixtures/workspaceContexts';

const signal = new AbortController().signal;

test('an exercise with its own code sends nothing of the workspace and says why; generic words send nothing; a bug report naming its code still searches', async () => {
  // A workspace whose code shares the exercise's words: strings, lists, "paren", "return", "function".
  const { contexts, workspace, cleanup } = workspaceWith({
    'router/paths.py': 'from typing import List\n\n\ndef split_path(path_string: str) -> List[str]:\n    """Return the segments of a path string; this function keeps empty ones."""\n    return path_string.split("/")\n',
    'router/methods.py': 'def allowed_methods(route):\n    """The methods a route answers; 405 when the path matches but the method does not."""\n    return route.methods\n',
    'tests/test_paths.py': 'from router.paths import split_path\n\n\ndef test_split_path_segments():\n    assert split_path("a/b") == ["a", "b"]\n',
  });
  try {
    const exercise = 'from typing import List\n\n\ndef separate_paren_groups(paren_string: str) -> List[str]:\n    """ Split the string into groups of balanced parentheses and return the list of them.\n    >>> separate_paren_groups(\'( ) (( ))\')\n    [\'()\', \'(())\']\n    """\n';
    const asked = await contexts.gather(exercise, { workspace, signal });
    assert.deepEqual(asked?.items, []);
    assert.deepEqual(asked?.notes, ["not searched: the question's code does not name this project"]);
    // "this function" with nothing attached is whatever is at hand, not the workspace; searched anyway (#codebase), its words choose nothing.
    for (const q of ['Explain this function', 'Is this config safe?']) {
      assert.deepEqual((await contexts.gather(q, { workspace, signal }))?.items, [], q);
      const searched = await contexts.gather(q, { workspace: { ...workspace, retrieval: 'always' }, signal });
      assert.deepEqual(searched?.items, [], q);
      assert.ok(searched?.notes.some((n) => /beyond words every code base uses/.test(n)), `${q}: ${JSON.stringify(searched?.notes)}`);
    }
    const report = await contexts.gather('I think I found a bug: split_path keeps empty segments of a path. Which code is responsible?', { workspace, signal });
    assert.equal(report?.items[0]?.path, 'router/paths.py');
    assert.ok(!report?.items.some((i) => i.path.startsWith('tests/')), 'the test shares the words but is not what the report is about');
  } finally {
    cleanup();
  }
});
