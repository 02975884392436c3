/**
 * The secret files of a workspace are named as withheld on an ask that searched it, and on no other (issue 42): an ask
 * that searched nothing withheld nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../../test/fixtures/bankData';
import { LexicalEmbedder } from '../../embed/lexical';
import { WorkspaceContexts } from '../workspaceContext';

const signal = new AbortController().signal;

test('the files withheld as secret are named on an ask that searched the workspace, not on one that searched nothing', async () => {
  const temp = tempDir('smcs-workspace-withheld-');
  try {
    const root = path.join(temp.dir, 'ws');
    mkdirSync(path.join(root, 'rich'), { recursive: true });
    mkdirSync(path.join(root, 'certs'));
    writeFileSync(path.join(root, 'rich', 'scores.py'), 'def parse_scores(text):\n    return [int(x) for x in text.split(",")]\n');
    writeFileSync(path.join(root, '.env'), 'API_TOKEN=x\n');
    writeFileSync(path.join(root, 'certs', 'example.pem'), '-----BEGIN CERTIFICATE-----\n');
    const contexts = new WorkspaceContexts(new LexicalEmbedder(), { storageDir: temp.dir, log: () => undefined });
    const workspace = { root, indexDir: path.join(temp.dir, 'index'), retrieval: 'auto' as const };
    const leftOut = (notes: readonly string[] | undefined): string[] => (notes ?? []).filter((n) => n.includes(' left out: '));
    const plain = await contexts.gather('What is the capital of Australia?', { workspace, signal });
    assert.deepEqual(leftOut(plain?.notes), []);
    const named = await contexts.gather('Why does parse_scores fail on spaces?', { workspace, signal });
    assert.deepEqual(leftOut(named?.notes), ['.env left out: environment file', 'certs/example.pem left out: key or certificate']);
  } finally {
    temp.cleanup();
  }
});
