import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clashAlias, findClashes, settleClashes } from '../modelKeyClash';

const settings = [
  { id: 'local', provider: 'vllm', baseUrl: 'http://127.0.0.1:8000/v1', models: ['Qwen1.5-110B', { id: 'Llama-3-70B', alias: 'llama70' }, 'Mixtral-8x22B'] },
  { id: 'discovered', provider: 'vllm', baseUrl: 'http://127.0.0.1:8001/v1' },
];

test('a server serving model names another endpoint uses is found when it is added, aliases counted as keys', () => {
  const clashes = findClashes(['Qwen1.5-110B', 'llama70', 'Llama-3-70B', 'Yi-34B'], settings, 'keyed');
  assert.deepEqual(clashes, [
    { key: 'Qwen1.5-110B', endpoint: 'local' },
    { key: 'llama70', endpoint: 'local' },
  ]);
  assert.deepEqual(findClashes(['Qwen1.5-110B'], settings, 'local'), [], 'the endpoint being replaced is not a clash with itself');
});

test('the three ways out: alias the new models, move them to the new server, or skip them', () => {
  const models = ['Qwen1.5-110B', 'Yi-34B'];
  const clashes = findClashes(models, settings, 'keyed');
  assert.deepEqual(settleClashes(models, clashes, 'alias', 'keyed', settings)?.models, [{ id: 'Qwen1.5-110B', alias: clashAlias('Qwen1.5-110B', 'keyed') }, 'Yi-34B']);
  assert.equal(clashAlias('Qwen1.5-110B', 'keyed'), 'Qwen1.5-110B@keyed');
  const moved = settleClashes(models, clashes, 'move', 'keyed', settings);
  assert.deepEqual(moved?.models, models);
  assert.deepEqual(moved?.endpoints[0]?.models, [{ id: 'Llama-3-70B', alias: 'llama70' }, 'Mixtral-8x22B']);
  assert.deepEqual(settleClashes(models, clashes, 'skip', 'keyed', settings)?.models, ['Yi-34B']);
  assert.equal(settleClashes(['Qwen1.5-110B'], clashes, 'skip', 'keyed', settings), null, 'nothing left to add');
});
