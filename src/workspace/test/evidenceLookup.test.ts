import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../../test/fixtures/bankData';
import { LexicalEmbedder } from '../../embed/lexical';
import { GENERAL_QUESTIONS } from '../../core/retrieval/generalQuestions';
import { UNRELATED_QUESTIONS } from '../../core/retrieval/unrelatedQuestions';
import { workspaceEvidence } from '../../core/retrieval/searchEvidence';
import { evidenceLookup, keptPerIndex, RESCORE_SHARE } from '../evidenceLookup';
import { WorkspaceIndex } from '../workspaceIndex';

/** A small Python project as a user has it: a package under src/, its manifest naming it, a test beside it. */
function project(root: string): void {
  mkdirSync(path.join(root, 'src', 'tabulate_plus'), { recursive: true });
  mkdirSync(path.join(root, 'tests'), { recursive: true });
  writeFileSync(path.join(root, 'pyproject.toml'), '[project]\nname = "tabulate-plus"\nversion = "1.0"\n');
  writeFileSync(
    path.join(root, 'src', 'tabulate_plus', 'widths.py'),
    'def column_widths(rows, max_width):\n    """The width of each column: the widest cell, cut at max_width, wrapping the rest."""\n    return [min(max(len(cell) for cell in column), max_width) for column in zip(*rows)]\n',
  );
  writeFileSync(path.join(root, 'src', 'tabulate_plus', 'borders.py'), 'class BorderStyle:\n    """Box-drawing characters for a table\'s frame: corners, edges and the header rule."""\n\n    def corner(self, top, left):\n        return "┌" if top and left else "┘"\n');
  writeFileSync(path.join(root, 'tests', 'test_widths.py'), 'from tabulate_plus.widths import column_widths\n\n\ndef test_column_widths():\n    assert column_widths([["a", "bb"]], 10) == [1, 2]\n');
}

test("evidenceLookup: the product's adapter answers the decision from a real index — names, files, modules, what words find, the calibration", async () => {
  const temp = tempDir('smcs-evidence-');
  try {
    const root = path.join(temp.dir, 'ws');
    project(root);
    const index = await WorkspaceIndex.open(path.join(temp.dir, 'index'), { root, embedder: new LexicalEmbedder() });
    await index.refresh();
    const lookup = evidenceLookup(index);

    assert.deepEqual(lookup.definedIn('column_widths'), ['src/tabulate_plus/widths.py'], 'the file that defines it, not the test that uses it');
    assert.deepEqual(lookup.definedIn('corner'), ['src/tabulate_plus/borders.py'], 'a method, by its own name');
    assert.deepEqual(lookup.definedIn('nowhere_defined'), []);
    assert.equal(lookup.uses('max_width'), true);
    assert.equal(lookup.uses('HashMap'), false);
    assert.equal(lookup.hasFile('widths.py'), true);
    assert.equal(lookup.hasFile('tabulate_plus/borders.py'), true);
    assert.equal(lookup.hasFile('cells.py'), false);
    // The package under src/, by its import, and the manifest's declared name.
    assert.equal(lookup.module(['tabulate_plus', 'widths']), 'src/tabulate_plus/widths');
    assert.equal(lookup.module(['tabulate_plus']), 'src/tabulate_plus');
    assert.equal(lookup.module(['tabulate-plus']), 'tabulate-plus');
    assert.equal(lookup.module(['json']), undefined, 'a module of the language is not this project');

    const match = lookup.match('why are the column widths cut at the max width?');
    assert.equal(match.path, 'src/tabulate_plus/widths.py', 'code that runs, not its test');
    assert.ok(match.strength > 0 && match.wordsHeld > 0);
    assert.deepEqual(lookup.match('What is the capital of Australia?').path, undefined);

    // What the unrelated and general questions find here: one score each, ascending, computed once per index.
    const unrelated = lookup.unrelated();
    assert.equal(unrelated.length, UNRELATED_QUESTIONS.length + GENERAL_QUESTIONS.length);
    for (let i = 1; i < unrelated.length; i++) assert.ok((unrelated[i - 1] as number) <= (unrelated[i] as number), 'ascending');
    assert.equal(evidenceLookup(index).unrelated(), unrelated, 'kept for the index, not computed again by the next ask');

    // The decision over the product's adapter: the project's import names it, a question about no code base does not.
    assert.equal(workspaceEvidence('This fails:\n```python\nfrom tabulate_plus.widths import column_widths\ncolumn_widths([], 0)\n```', [], lookup).found, true);
    assert.equal(workspaceEvidence('What is the capital of Australia?', [], lookup).found, false);

    // Grown by more than RESCORE_SHARE, the calibration is computed again over the new files.
    const added = Math.ceil(index.fileCount * RESCORE_SHARE) + 1;
    for (let i = 0; i < added; i++) writeFileSync(path.join(root, 'src', 'tabulate_plus', `extra_${i}.py`), `def extra_${i}():\n    return ${i}\n`);
    await index.refresh();
    assert.notEqual(evidenceLookup(index).unrelated(), unrelated, 'a changed index is calibrated again');
  } finally {
    temp.cleanup();
  }
});

test('a project whose name only setup.cfg or setup.py declares: its name is its own module, as a pyproject.toml name is', async () => {
  const temp = tempDir('smcs-evidence-');
  try {
    const manifests = {
      'setup.cfg': '[metadata]\nname = tablet\nversion = 1.0\n\n[options]\npackages = find:\n\n[tool:pytest]\nname = not-this\n',
      'setup.py': 'from setuptools import setup\n\nsetup(\n    name="tablet",\n    version="1.0",\n)\n',
    };
    for (const [manifest, text] of Object.entries(manifests)) {
      const root = path.join(temp.dir, manifest, 'ws');
      // Two packages under src/, as pytest keeps `_pytest` beside `pytest.py`: no folder is the one package there.
      mkdirSync(path.join(root, 'src', '_tablet'), { recursive: true });
      writeFileSync(path.join(root, manifest), text);
      writeFileSync(path.join(root, 'src', 'tablet.py'), 'from _tablet.frames import raises\n');
      writeFileSync(path.join(root, 'src', '_tablet', 'frames.py'), 'def raises(expected):\n    """A context manager that asserts the block raises `expected`."""\n    return expected\n');
      const index = await WorkspaceIndex.open(path.join(temp.dir, manifest, 'index'), { root, embedder: new LexicalEmbedder() });
      await index.refresh();
      const lookup = evidenceLookup(index);
      assert.equal(lookup.module(['tablet']), 'tablet', manifest);
      assert.equal(lookup.module(['not-this']), undefined, `${manifest}: a name outside [metadata] or setup() is not the project's`);
      assert.deepEqual(workspaceEvidence('str() on the tablet.raises context variable differs from a plain except', [], lookup), { found: true, why: 'the question names tablet.raises, which the workspace defines' }, manifest);
    }
  } finally {
    temp.cleanup();
  }
});

test(`what is computed from a whole index is kept until its files or chunks change by more than ${RESCORE_SHARE * 100} %`, () => {
  let made = 0;
  const value = keptPerIndex(() => ++made);
  // What keptPerIndex reads of an index: its size.
  const index = { fileCount: 1000, chunkCount: 8000 };
  const asIndex = index as unknown as WorkspaceIndex;
  assert.equal(value(asIndex), 1);
  index.fileCount = 1010;
  index.chunkCount = 8100;
  assert.equal(value(asIndex), 1, 'a few saved files: kept');
  index.chunkCount = 8500;
  assert.equal(value(asIndex), 2, 'chunks 6 % more: computed again');
  const other = { fileCount: 1000, chunkCount: 8000 } as unknown as WorkspaceIndex;
  assert.equal(value(other), 3, 'another index has its own');
});
