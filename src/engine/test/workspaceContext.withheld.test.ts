/**
 * The secret files of a workspace are named as withheld when a question is about them (issue 67 item 5), searched or
 * not, and on no other ask: a search for something else withheld nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { workspaceWith } from '../../../test/fixtures/workspaceContexts';

const signal = new AbortController().signal;

test('the files withheld as secret are named when the question is about them, not on every search', async () => {
  const { contexts, workspace, cleanup } = workspaceWith({
    'rich/scores.py': 'def parse_scores(text):\n    return [int(x) for x in text.split(",")]\n',
    '.env': 'API_TOKEN=x\n',
    'certs/example.pem': '-----BEGIN CERTIFICATE-----\n',
  });
  try {
    const leftOut = (notes: readonly string[] | undefined): string[] => (notes ?? []).filter((n) => n.includes(' left out: '));
    const plain = await contexts.gather('What is the capital of Australia?', { workspace, signal });
    assert.deepEqual(leftOut(plain?.notes), []);
    const searched = await contexts.gather('Why does parse_scores fail on spaces?', { workspace, signal });
    assert.match(searched?.notes.at(-1) ?? '', /^searched: /);
    assert.deepEqual(leftOut(searched?.notes), []);
    const environment = await contexts.gather('Which environment variables does parse_scores read?', { workspace, signal });
    assert.deepEqual(leftOut(environment?.notes), ['.env left out: environment file']);
    // The file that sets a name the question names would have gone, were it not secret; its values are never read out.
    const key = await contexts.gather('Where is API_TOKEN read?', { workspace, signal });
    assert.deepEqual(leftOut(key?.notes), ['.env left out: environment file']);
    assert.ok(!JSON.stringify(key).includes('API_TOKEN=x'));
    const certificate = await contexts.gather('Where is the certificate for TLS loaded?', { workspace, signal });
    assert.deepEqual(leftOut(certificate?.notes), ['certs/example.pem left out: key or certificate']);
  } finally {
    cleanup();
  }
});
