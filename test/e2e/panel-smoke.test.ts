import { test } from 'node:test';
import { withWorkbench } from './workbench';

test('the workbench loads and the SMCS view container opens with the panel', async () => {
  await withWorkbench('panel opens', {}, async (wb) => {
    await wb.openPanelFromActivityBar();
    await wb.byTestId('input').waitFor({ state: 'visible' });
    await wb.byTestId('empty').waitFor({ state: 'visible' });
  });
});

test('the welcome view shows when no endpoint is configured', async () => {
  await withWorkbench('welcome view', { endpoints: false }, async (wb) => {
    await wb.openPanel();
    await wb.byTestId('welcome').waitFor({ state: 'visible' });
    await wb.byTestId('welcome-add-vllm').waitFor({ state: 'visible' });
    await wb.screenshot('welcome-dark');
    await wb.setTheme('light');
    await wb.screenshot('welcome-light');
  });
});
