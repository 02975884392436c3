import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { EMBEDDER_REMEDIES, isEmbedderRemedy, isWebviewToHost } from '../protocol';

test('retry-with carries a run id and one of the known ways forward, nothing else', () => {
  for (const remedy of EMBEDDER_REMEDIES) assert.ok(isWebviewToHost({ type: 'retry-with', runId: 'r-1', remedy }), remedy);
  assert.deepEqual([...EMBEDDER_REMEDIES], ['lexical', 'local-model', 'endpoint']);
  assert.equal(isWebviewToHost({ type: 'retry-with', runId: 'r-1', remedy: 'download-anyway' }), false);
  assert.equal(isWebviewToHost({ type: 'retry-with', runId: '', remedy: 'lexical' }), false);
  assert.equal(isWebviewToHost({ type: 'retry-with', remedy: 'lexical' }), false);
  assert.equal(isEmbedderRemedy(undefined), false);
});

test('retry carries the run id of the question to ask again, nothing more', () => {
  assert.ok(isWebviewToHost({ type: 'retry', runId: 'r-1' }));
  assert.equal(isWebviewToHost({ type: 'retry', runId: '' }), false);
  assert.equal(isWebviewToHost({ type: 'retry' }), false);
  assert.equal(isWebviewToHost({ type: 'retry', runId: 7 }), false);
});

test('ask-again-with carries the run id and the model keys to add, at least one and none empty', () => {
  assert.ok(isWebviewToHost({ type: 'ask-again-with', runId: 'r-1', models: ['qwen-coder', 'org/deepseek'] }));
  assert.equal(isWebviewToHost({ type: 'ask-again-with', runId: 'r-1', models: [] }), false);
  assert.equal(isWebviewToHost({ type: 'ask-again-with', runId: 'r-1', models: [''] }), false);
  assert.equal(isWebviewToHost({ type: 'ask-again-with', runId: '', models: ['m'] }), false);
  assert.equal(isWebviewToHost({ type: 'ask-again-with', runId: 'r-1', models: 'm' }), false);
});
