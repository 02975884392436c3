/** The UI suite's order of files (scripts/run-e2e.mjs): the files that share a window run one after another. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import type * as RunE2e from '../run-e2e.mjs' with { 'resolution-mode': 'import' };

const load = (): Promise<typeof RunE2e> => import('../run-e2e.mjs');

test("the files of a shared window's group run one after another from where the first of them is; the others keep their order", async () => {
  const { windowGroupsTogether } = await load();
  const dir = mkdtempSync(path.join(tmpdir(), 'smcs-run-e2e-'));
  try {
    const files = {
      'a-flow.test.ts': "const inSharedWindow = sharedWorkbench('default endpoint', {});",
      'b-alone.test.ts': "await withWorkbench('alone', {}, async () => {});",
      'c-other.test.ts': "const shared = sharedWorkbench(\n  'other', { models: ['m'] });",
      'd-smoke.test.ts': "const inSharedWindow = sharedWorkbench('default endpoint', {});",
      'e-alone.test.ts': "await withWorkbench('alone too', {}, async () => {});",
      'f-other.test.ts': "const shared = sharedWorkbench('other', { models: ['m'] });",
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    const ordered = windowGroupsTogether(Object.keys(files).map((name) => path.join(dir, name)));
    assert.deepEqual(
      ordered.map((file) => path.basename(file)),
      ['a-flow.test.ts', 'd-smoke.test.ts', 'b-alone.test.ts', 'c-other.test.ts', 'f-other.test.ts', 'e-alone.test.ts'],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
