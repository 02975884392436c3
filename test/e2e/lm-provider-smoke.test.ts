/**
 * The harness reaches the Language Model API of the workbench (VS Code ≥ 1.104) as another extension does: a
 * throwaway provider (vendor `smoke`) and the LM caller, both installed as VSIX files beside SMCS. What this proves
 * is what SMCS's own provider tests stand on: `selectChatModels` from a second extension finds a contributed vendor's
 * models, and `sendRequest` streams the provider's parts back, in order.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { callLanguageModel, listLanguageModels, LM_CALLER, LM_ECHO_PROVIDER, packTestExtension } from './lmCaller';
import { withWorkbench } from './workbench';

test('another extension finds a contributed provider with selectChatModels, sendRequest streams its answer, and a stopped call ends with the parts so far', async () => {
  const extensions = await Promise.all([packTestExtension(LM_CALLER), packTestExtension(LM_ECHO_PROVIDER)]);
  await withWorkbench('lm provider smoke', { extensions }, async (wb) => {
    const models = await listLanguageModels(wb, { vendor: 'smoke' });
    assert.deepEqual(models, [{ id: 'echo', vendor: 'smoke', family: 'echo', version: '1', name: 'Echo', maxInputTokens: 4096, capabilities: { supportsToolCalling: false, supportsImageToText: false } }]);
    assert.deepEqual(await listLanguageModels(wb, { vendor: 'nobody' }), []);

    const reply = await callLanguageModel(wb, {
      vendor: 'smoke',
      id: 'echo',
      messages: [
        { role: 'user', content: 'an earlier question' },
        { role: 'assistant', content: 'an earlier answer' },
        { role: 'user', content: [{ type: 'text', value: 'hello ' }, { type: 'text', value: 'harness' }] },
      ],
    });
    assert.equal(reply.error, undefined);
    assert.equal(reply.aborted, false);
    assert.equal(reply.text, 'echo: hello harness');
    assert.deepEqual(reply.parts, [
      { type: 'text', value: 'echo: ' },
      { type: 'text', value: 'hello ' },
      { type: 'text', value: 'harness' },
    ]);

    const stop = new AbortController();
    const long = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
    const stopped = await callLanguageModel(wb, {
      vendor: 'smoke',
      messages: [{ role: 'user', content: long }],
      signal: stop.signal,
      onPart: () => stop.abort(),
    });
    assert.equal(stopped.aborted, true);
    assert.deepEqual(stopped.parts, [{ type: 'text', value: 'echo: ' }]);

    const missing = await callLanguageModel(wb, { vendor: 'nobody', messages: [{ role: 'user', content: 'hi' }] });
    assert.deepEqual(missing.parts, []);
    assert.match(missing.error?.message ?? '', /no language model matches \{"vendor":"nobody"\}/);
  });
});
