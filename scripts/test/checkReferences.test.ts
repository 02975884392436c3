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
