/**
 * What an ask gathers when the question is not about the workspace though it looks like code (an exercise with its own
 * code, generic words), beside a bug report that names the workspace's code: engine/workspaceContext with a real index.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { workspaceWith } from '../../../test/fixtures/workspaceContexts';
import { LexicalEmbedder } from '../../embed/lexical';
import type { Embedder } from '../../core/contracts/types';
import { WorkspaceContexts } from '../workspaceContext';

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

/** An embedder that loads (its dimension) or embeds only once `open()` is called: an index stuck opening or building. */
function gatedEmbedder(gate: { dimension: boolean; embed: boolean }): Embedder & { open(): void } {
  const inner = new LexicalEmbedder();
  let release: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    id: inner.id,
    open: () => release(),
    dimension: async () => {
      if (gate.dimension) await opened;
      return inner.dimension();
    },
    embed: async (texts, signal) => {
      if (gate.embed) await opened;
      return inner.embed(texts, signal);
    },
  };
}

/** Whether `promise` has settled by the time the calls already queued have run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true), () => (done = true));
  for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
  return done;
}

const EXERCISE = 'def add(a: int, b: int) -> int:\n    """Return the sum of a and b.\n    >>> add(2, 3)\n    5\n    """\n';
const FILES = { 'shop/cart.py': 'class Cart:\n    def total_price(self):\n        return sum(item.price for item in self.items)\n' };

test('an exercise does not wait for an index still opening (the embedding model loading); a question naming the code does', async () => {
  const { workspace, root, cleanup } = workspaceWith(FILES);
  const embedder = gatedEmbedder({ dimension: true, embed: false });
  const contexts = new WorkspaceContexts(embedder, { storageDir: path.dirname(root), log: () => undefined });
  try {
    const named = contexts.gather('Why does Cart.total_price sum the prices?', { workspace, signal });
    const exercise = contexts.gather(EXERCISE, { workspace, signal });
    assert.equal(await settled(exercise), true, 'the exercise is gathered while the index cannot open');
    assert.deepEqual((await exercise)?.notes, ["not searched: the question's code does not name this project"]);
    assert.equal(await settled(named), false, 'the question naming Cart waits for the index');
    embedder.open();
    assert.equal((await named)?.items[0]?.path, 'shop/cart.py');
  } finally {
    cleanup();
  }
});

test('the first exercise of a new window does not wait for the walk of an index saved by the last one', async () => {
  const { contexts, workspace, root, cleanup } = workspaceWith(FILES);
  try {
    await contexts.refresh(workspace, signal);
    // Changed while the window was closed: the next refresh must embed it again, and that embedding is stuck.
    writeFileSync(path.join(root, 'shop/cart.py'), `${FILES['shop/cart.py']}\n    def count(self):\n        return len(self.items)\n`);
    const embedder = gatedEmbedder({ dimension: false, embed: true });
    const reopened = new WorkspaceContexts(embedder, { storageDir: path.dirname(root), log: () => undefined });
    // The window's first question that may concern the workspace opens the index and starts its refresh.
    const named = reopened.gather('Why does Cart.count use len?', { workspace, signal });
    const exercise = reopened.gather(EXERCISE, { workspace, signal });
    assert.equal(await settled(exercise), true, 'the exercise is gathered while the refresh is stuck');
    assert.deepEqual((await exercise)?.items, []);
    assert.equal(await settled(named), false, 'the question naming Cart waits for the refresh');
    embedder.open();
    assert.equal((await named)?.items[0]?.path, 'shop/cart.py');
  } finally {
    cleanup();
  }
});

test("a pasted issue whose code names nothing of the project searches on its prose's words on the first ask, as it does once the index is open", async () => {
  const files = {
    'router/tree.py': 'def match_wildcard(segments, pattern):\n    """A wildcard segment matches the rest of the path; a trailing slash leaves an empty last segment."""\n    if pattern.endswith("*"):\n        return segments[len(pattern) - 1:]\n    return None\n',
    'router/methods.py': 'def allowed_methods(route):\n    """The methods a route answers."""\n    return route.methods\n',
    'shop/cart.py': FILES['shop/cart.py'],
  };
  const issue = [
    'Wildcard segment matches nothing after a trailing slash',
    '**Describe the bug**',
    'The wildcard segment of a route matches nothing once the path ends with a trailing slash.',
    '',
    '```python',
    'def handler(request):',
    "    return 'ok'",
    '```',
    '',
    '**Environment info**',
    '- OS: Mac',
  ].join('\n');
  const first = workspaceWith(files);
  const opened = workspaceWith(files);
  try {
    const asked = await first.contexts.gather(issue, { workspace: first.workspace, signal });
    assert.equal(asked?.items[0]?.path, 'router/tree.py', JSON.stringify(asked?.notes));
    await opened.contexts.refresh(opened.workspace, signal);
    const again = await opened.contexts.gather(issue, { workspace: opened.workspace, signal });
    assert.deepEqual(again?.items.map((i) => `${i.path}:${i.startLine}`), asked?.items.map((i) => `${i.path}:${i.startLine}`));
    assert.deepEqual(again?.notes, asked?.notes);
  } finally {
    first.cleanup();
    opened.cleanup();
  }
});
