import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type * as CheckNames from '../check-names.mjs' with { 'resolution-mode': 'import' };

function tree(files: string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'smcs-names-'));
  for (const f of files) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), '');
  }
  return dir;
}

test('two modules whose names differ by a trailing s collide; tests, CLI commands and the shared names do not', async () => {
  const { nameCollisions }: typeof CheckNames = await import('../check-names.mjs');
  const dir = tree([
    'core/checks/literal.ts',
    'core/checks/extraction/literals.ts',
    'core/checks/test/literal.test.ts',
    'bank/index.ts',
    'core/checks/extraction/index.ts',
    'bank/errors.ts',
    'core/contracts/errors.ts',
    'cli/commands/bank.ts',
    'bank/bank.ts',
    'bank/team/pgpass.d.ts',
    'webview/format.ts',
  ]);
  try {
    assert.deepEqual(nameCollisions(dir), [['literal', ['core/checks/extraction/literals.ts', 'core/checks/literal.ts']]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
