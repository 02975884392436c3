import { test } from 'node:test';
import { sharedWorkbench } from './workbench';

/** The window the UI files on the default host share (workbench.ts sharedWorkbench), with the default endpoint. */
const inSharedWindow = sharedWorkbench('default window', {});

test('the workbench loads and the SMCS view container opens with the panel', async () => {
  await inSharedWindow('panel opens', async (wb) => {
    await wb.openPanelFromActivityBar();
    await wb.byTestId('input').waitFor({ state: 'visible' });
    await wb.byTestId('empty').waitFor({ state: 'visible' });
  });
});
