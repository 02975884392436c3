import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitPrompt } from '../fitPrompt';
import { CHARS_PER_TOKEN, estimateMessageTokens, MESSAGE_OVERHEAD_TOKENS } from '../../util/tokens';

const chars = (n: number) => 'x'.repeat(n);

/** An aggregation prompt of `fixed` tokens of system text and `references`, fitted to `window` (core/ask/fitPrompt). */
function fitReferences(references: string[], fixed: number, maxTokens: number, window: number | undefined) {
  const fit = fitPrompt({ system: [chars((fixed - MESSAGE_OVERHEAD_TOKENS) * CHARS_PER_TOKEN)], references }, { window, maxTokens });
  return { references: fit.references, trimmed: fit.trimmedReferences, maxTokens: fit.maxTokens };
}

test('everything fits: references and the output budget are untouched', () => {
  const refs = [chars(300), chars(600)];
  const plan = fitReferences(refs, 50, 256, 4096);
  assert.deepEqual(plan, { references: refs, trimmed: [], maxTokens: 256 });
  assert.deepEqual(fitReferences(refs, 50, 256, undefined), { references: refs, trimmed: [], maxTokens: 256 });
});

test('over the window: short references stay whole, long ones are cut to an equal share and marked', () => {
  const refs = [chars(150), chars(6000), chars(9000)];
  const window = 2000;
  const fixed = 100;
  const plan = fitReferences(refs, fixed, 400, window);
  assert.equal(plan.maxTokens, 400, 'the output budget is kept while it is at most half the free room');
  assert.equal(plan.references[0], refs[0]);
  assert.deepEqual(plan.trimmed, [1, 2]);
  const [, a, b] = plan.references.map(estimateMessageTokens);
  assert.ok(Math.abs((a as number) - (b as number)) <= 2, `long references get equal shares: ${a} vs ${b}`);
  for (const i of plan.trimmed) assert.match(plan.references[i] as string, /trimmed to fit/);
  const used = plan.references.reduce((sum, r) => sum + estimateMessageTokens(r), 0);
  assert.ok(fixed + used + plan.maxTokens <= window, `prompt ${fixed + used} + output ${plan.maxTokens} fits ${window}`);
});

test('a window smaller than the fixed prompt never throws: output shrinks and references are emptied', () => {
  const plan = fitReferences([chars(900)], 500, 8192, 400);
  assert.equal(plan.maxTokens, 1);
  assert.deepEqual(plan.trimmed, [0]);
  assert.match(plan.references[0] as string, /^\n\[… trimmed to fit/, 'nothing of the reference is left');
});
