import { test } from 'node:test';
import { sharedWorkbench } from './workbench';

/** A window with the default endpoint, shared with ask-flow's, panel-agreement's and panel-threads' tests. */
const inSharedWindow = sharedWorkbench('default endpoint', {});

test('the workbench loads and the SMCS view container opens with the panel', async () => {
  await inSharedWindow('panel opens', async (wb) => {
    await wb.openPanelFromActivityBar();
    await wb.byTestId('input').waitFor({ state: 'visible' });
    await wb.byTestId('empty').waitFor({ state: 'visible' });
  });
});
