import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type * as CheckReferences from '../check-references.mjs' with { 'resolution-mode': 'import' };

/** A tree of files with their texts. */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'smcs-refs-'));
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), text);
  }
  return dir;
}

// Spelled in two pieces, so this file itself cites nothing.
const CITATION = 'DESIGN' + ' §2';

test('a citation of the design card and a path that does not exist are reported with their lines; true paths, globs and strings are not', async () => {
  const { referenceProblems }: typeof CheckReferences = await import('../check-references.mjs');
  const dir = tree({
    'src/core/routing/rps.ts': [
      `/** Retrieval-based Prior Selection (${CITATION}). */`,
      '// the support set of core/rps, as src/core/routing/rps.ts and core/routing/rps compute it',
      "const s = 'src/not/here.ts is a string, not a comment';",
      '/* tests beside it: src/<folder>/**/test/, src/core/routing/test/ */',
      'export const x = s; // core/posterior/priorDrop.drawSubsets',
    ].join('\n'),
    'src/core/posterior/priorDrop.ts': 'export const y = 1;\n',
    'src/core/routing/README.md': '# routing\n\n`rps.ts` (see `src/core/routing/rps.ts` and ./rps.ts); `src/core/ask/tokens.ts` moved.\n',
    'CHANGELOG.md': 'Moved src/core/ask/tokens.ts.\n',
    'test/fixtures/workspaces/app/README.md': 'src/missing.py\n',
  });
  try {
    assert.deepEqual(referenceProblems(dir), [
      `src/core/routing/README.md:3: names src/core/ask/tokens.ts, which does not exist`,
      `src/core/routing/rps.ts:1: cites "${CITATION.slice(0, -1)}", a document the repository does not hold: write the reason here, or point to docs/`,
      'src/core/routing/rps.ts:2: names core/rps, which does not exist',
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a markdown link to a file or a heading that is not there is reported with its line; links that lead somewhere, URLs and code are not", async () => {
  const { referenceProblems }: typeof CheckReferences = await import('../check-references.mjs');
  const dir = tree({
    'README.md': [
      '# SMCS',
      '',
      'Start with [the bank](docs/banks.md), its [damaged bank](docs/banks.md#a-damaged-bank) and [its JSONL](./docs/banks.md#bank-jsonl).',
      'Gone: [old](gone.md) and [no heading](docs/banks.md#nowhere); below: [quick](#quick-start), [not here](#develop).',
      '[site](https://example.com/gone.md), [mail](mailto:a@b.c), `[code](gone.md)`, ![logo](media/icon.png)',
      '',
      '```md',
      '[in a block](gone.md)',
      '# not a heading',
      '```',
      '',
      '## Quick start',
      '',
      '[ref]: missing.md',
    ].join('\n'),
    'docs/banks.md': '# The question bank\n\n## A damaged bank\n\n## Bank JSONL\n\n## Bank JSONL\n\nBack to [the README](../README.md#quick-start), [twice](#bank-jsonl-1), [out](../../elsewhere.md).\n',
    'media/icon.png': 'png',
  });
  try {
    assert.deepEqual(referenceProblems(dir), [
      'README.md:4: links to gone.md, which does not exist',
      'README.md:4: links to docs/banks.md#nowhere, but docs/banks.md has no heading whose anchor is #nowhere',
      'README.md:4: links to #develop, but README.md has no heading whose anchor is #develop',
      'README.md:14: links to missing.md, which does not exist',
      'docs/banks.md:9: links to ../../elsewhere.md, which is outside the repository',
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("headings get GitHub's anchors", async () => {
  const { headingSlug, anchorsOf }: typeof CheckReferences = await import('../check-references.mjs');
  assert.equal(headingSlug("SMCS in VS Code's own chat (`@smcs`, the model picker, `vscode.lm`)"), 'smcs-in-vs-codes-own-chat-smcs-the-model-picker-vscodelm');
  assert.equal(headingSlug('Running model code: the sandbox'), 'running-model-code-the-sandbox');
  assert.equal(headingSlug('Team bank (PostgreSQL + pgvector) — [setup](x.md), snake_case 1.2'), 'team-bank-postgresql--pgvector--setup-snake_case-12');
  assert.deepEqual([...anchorsOf('# A\n\n## Twice\n\n```\n# code\n```\n\n### Twice ###\n<a name="here"></a>\n')], ['a', 'twice', 'twice-1', 'here']);
});
