import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { fillShare, meter, modelNameText } from '../bars';
import { installDom } from '../../../test/fixtures/panelDom';

before(() => {
  installDom();
});

test('a fill is value / max of the track, clamped, and empty on an empty scale', () => {
  assert.equal(fillShare(0.5, 2), 0.25);
  assert.equal(fillShare(3, 2), 1);
  assert.equal(fillShare(-1, 2), 0);
  assert.equal(fillShare(1, 0), 0);
  assert.equal(fillShare(Number.NaN, 1), 0);
});

test('a bar is a named meter with its value, scale and fill', () => {
  const bar = meter({ label: 'gemini-1.5-pro-002 accuracy', value: 0.25, max: 1, valueText: '25.0%' });
  assert.deepEqual(
    ['role', 'aria-label', 'aria-valuemin', 'aria-valuemax', 'aria-valuenow', 'aria-valuetext'].map((a) => bar.getAttribute(a)),
    ['meter', 'gemini-1.5-pro-002 accuracy', '0', '1.000', '0.250', '25.0%'],
  );
  assert.equal(parseFloat((bar.firstElementChild as HTMLElement).style.width), 25);
});

test('a model name keeps every character and may wrap after its organisation', () => {
  const name = modelNameText('meta-llama/Meta-Llama-3.1-8B-Instruct');
  assert.equal(name.textContent, 'meta-llama/Meta-Llama-3.1-8B-Instruct');
  assert.equal(name.title, 'meta-llama/Meta-Llama-3.1-8B-Instruct');
  assert.equal(name.querySelectorAll('wbr').length, 1);
});
