import { test } from 'node:test';
import { withWorkbench } from './workbench';

test('the workbench loads and the SMCS view container opens with the panel', async () => {
  await withWorkbench('panel opens', {}, async (wb) => {
    await wb.openPanelFromActivityBar();
    await wb.byTestId('input').waitFor({ state: 'visible' });
    await wb.byTestId('empty').waitFor({ state: 'visible' });
  });
});
