/** What SMCS's models tell VS Code: windows that hold for every configured model, tool calling on both (the collaboration hands tools to one model). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ASSUMED_WINDOW } from '../../../core/promptBudget/fitContext';
import { lmModels, tokenLimits } from '../lmModels';

test('the smallest known window among the configured models bounds input and output; the reply keeps its minimum within it', () => {
  assert.deepEqual(tokenLimits([32_768, undefined, 8_192], 8192), { maxInputTokens: 8192 - 2048, maxOutputTokens: 2048 });
  assert.deepEqual(tokenLimits([200_000, 131_072], 4096), { maxInputTokens: 131_072 - 4096, maxOutputTokens: 4096 });
  const assumed = tokenLimits([undefined], 8192);
  assert.equal(assumed.maxInputTokens + assumed.maxOutputTokens, ASSUMED_WINDOW);
});

test('two models, both declaring tool calling (VS Code 1.139\'s picker lists no other kind in any chat mode)', () => {
  const [collaboration, best] = lmModels({ windows: [16_384], maxTokens: 1024, version: '0.1.0' });
  assert.equal(collaboration?.id, 'smcs');
  assert.equal(collaboration?.name, 'SMCS: collaboration');
  assert.equal(collaboration?.capabilities.toolCalling, true);
  assert.equal(best?.id, 'smcs-best');
  assert.equal(best?.name, 'SMCS: best single model');
  assert.equal(best?.capabilities.toolCalling, true);
  for (const m of [collaboration, best]) {
    assert.equal(m?.maxOutputTokens, 1024);
    assert.equal(m?.maxInputTokens, 16_384 - 1024);
    assert.equal(m?.capabilities.imageInput, false);
  }
});
