import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { BankPanelState } from '../../shared/protocol';
import { UnprofiledNotice } from '../unprofiledNotice';
import { byTestId, installDom } from '../../../test/fixtures/panelDom';
import { bankPanelState, configuredModelKeys, unprofiledByEndpoint } from '../../vscode/bank/bankSummary';

before(() => {
  installDom();
});

/** The panel state of a bank where 'local' is profiled and the two models of a newly added 'code' server are not. */
function state(): BankPanelState {
  const config = {
    endpoints: [
      { id: 'local', models: [{ id: 'llama-70b' }] },
      { id: 'code', models: [{ id: 'Qwen/Qwen2.5-Coder-32B', alias: 'qwen-coder' }, { id: 'deepseek-coder' }] },
    ],
  } as unknown as Parameters<typeof configuredModelKeys>[0];
  const configured = configuredModelKeys(config);
  const s = bankPanelState({ size: 10, embedder: { id: 'e' }, models: [{ model: 'llama-70b', labelled: 10, accuracy: 0.7, byDomain: {} }] }, configured);
  if (s.status === 'ready') s.summary.unprofiledByEndpoint = unprofiledByEndpoint(config, s.summary.unprofiled);
  return s;
}

test('names the endpoint whose models have no bank labels, with Profile them · Use them anyway; Use them anyway hides it and is remembered', () => {
  const kept: string[][] = [];
  const notice = new UnprofiledNotice([], (models) => kept.push(models));
  document.body.append(notice.el);
  notice.update(state());
  assert.equal(notice.el.hidden, false);
  const [line] = byTestId(notice.el, 'unprofiled-endpoint');
  assert.equal(line?.textContent, "2 models of 'code' have no bank labels and are rarely chosen: Profile them · Use them anyway");
  assert.equal(byTestId(notice.el, 'unprofiled-profile')[0]?.getAttribute('data-command'), 'smcs.profileModels');
  byTestId(notice.el, 'unprofiled-use-anyway')[0]?.click();
  assert.equal(notice.el.hidden, true);
  assert.deepEqual(kept, [['qwen-coder', 'deepseek-coder']]);

  const again = new UnprofiledNotice(kept[0] ?? [], () => undefined);
  again.update(state());
  assert.equal(again.el.hidden, true, 'a reloaded panel remembers the choice');
  notice.update({ status: 'none', unprofiled: ['qwen-coder'] });
  assert.equal(notice.el.hidden, true, 'without a bank the Bank section says what to do instead');
});
