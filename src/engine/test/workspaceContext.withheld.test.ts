/**
 * The secret files of a workspace are named as withheld on an ask that searched it, and on no other (issue 42): an ask
 * that searched nothing withheld nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { workspaceWith } from '../../../test/fixtures/workspaceContexts';

const signal = new AbortController().signal;

test('the files withheld as secret are named on an ask that searched the workspace, not on one that searched nothing', async () => {
  const { contexts, workspace, cleanup } = workspaceWith({
    'rich/scores.py': 'def parse_scores(text):\n    return [int(x) for x in text.split(",")]\n',
    '.env': 'API_TOKEN=x\n',
    'certs/example.pem': '-----BEGIN CERTIFICATE-----\n',
  });
  try {
    const leftOut = (notes: readonly string[] | undefined): string[] => (notes ?? []).filter((n) => n.includes(' left out: '));
    const plain = await contexts.gather('What is the capital of Australia?', { workspace, signal });
    assert.deepEqual(leftOut(plain?.notes), []);
    const named = await contexts.gather('Why does parse_scores fail on spaces?', { workspace, signal });
    assert.deepEqual(leftOut(named?.notes), ['.env left out: environment file', 'certs/example.pem left out: key or certificate']);
  } finally {
    cleanup();
  }
});
