/** How many test files `npm test` runs at once on a machine of a given size (scripts/suiteWidths.mjs). */
import assert from 'node:assert/strict';
import { test } from 'node:test';

import type * as SuiteWidths from '../suiteWidths.mjs' with { 'resolution-mode': 'import' };

const load = (): Promise<typeof SuiteWidths> => import('../suiteWidths.mjs');

test('two cores keep the measured schedule: two unit files at once, one UI file beside them, three after', async () => {
  const { suiteWidths } = await load();
  assert.deepEqual(suiteWidths(2), { unit: 2, uiBeside: 1, uiAfter: 3 });
  assert.deepEqual(suiteWidths(1), suiteWidths(2), 'a single core still runs the suites as two do');
});

test('more cores get the same load per core, and never more workbenches than the cap', async () => {
  const { suiteWidths, MAX_UI_FILES } = await load();
  assert.deepEqual(suiteWidths(4), { unit: 2, uiBeside: 2, uiAfter: 4 });
  assert.deepEqual(suiteWidths(6), { unit: 3, uiBeside: 3, uiAfter: MAX_UI_FILES });
  for (const cores of [8, 16, 64]) {
    const widths = suiteWidths(cores);
    assert.ok(widths.uiBeside <= MAX_UI_FILES && widths.uiAfter <= MAX_UI_FILES, `${cores} cores: ${JSON.stringify(widths)}`);
    assert.ok(widths.unit + widths.uiBeside <= cores, `${cores} cores: the suites beside each other fit the cores`);
  }
});
