import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { LocalBank, listFeedback } from '../../src/bank';
import type { RecordedRequest } from '../fixtures/loopbackUpstream';
import type { BankRecord } from '../../src/core/contracts/types';
import { LexicalEmbedder } from '../../src/embed/lexical';
import { FAKE_MODELS, sharedWorkbench, withWorkbench, type Workbench } from './workbench';

const [ALPHA, BETA, GAMMA] = FAKE_MODELS;

/** True for an aggregation call: its prompt carries referencers' replies. */
const isAggregation = (request: RecordedRequest): boolean => /(Alpha|Beta|Gamma) reference:/.test(JSON.stringify(request.body));

/**
 * Scripts the fake models: three streamed references, then aggregations that each answer with a
 * distinct candidate containing a code block.
 */
function scriptModels(wb: Workbench): void {
  let candidates = 0;
  wb.fake.script(ALPHA, {
    chunkDelayMs: 15,
    reply: (request) => {
      if (!isAggregation(request)) return `Alpha reference: ${'use slicing '.repeat(30)}`;
      candidates += 1;
      return `Candidate ${candidates} answer.\n\n\`\`\`python\nprint("candidate ${candidates}")\n\`\`\`\n`;
    },
  });
  wb.fake.script(BETA, { chunkDelayMs: 15, reply: `Beta reference: ${'call reversed '.repeat(30)}` });
  wb.fake.script(GAMMA, { chunkDelayMs: 15, reply: `Gamma reference: ${'use list reverse '.repeat(30)}` });
}

async function askFromPalette(wb: Workbench, question: string): Promise<void> {
  await wb.runCommand('smcs.ask');
  await wb.answerInputBox(question);
}

test('two endpoints, ask from the palette: references stream, the winner and one candidate per distinct subset of the eight draws render, another candidate can be chosen, code goes into an editor, history survives a reload', async () => {
  await withWorkbench('ask flow', { files: { 'sample.py': '' }, endpoints: 'split', settings: { 'smcs.n': 8 } }, async (wb) => {
    scriptModels(wb);
    await wb.openFile('sample.py');
    await wb.openPanel();
    const question = 'How do I reverse a list in Python?';
    await askFromPalette(wb, question);

    const run = wb.byTestId('run').last();
    await run.locator('[data-testid="question"]', { hasText: question }).waitFor();
    const beta = run.locator(`[data-testid="referencer"][data-model="${BETA}"]`);
    await beta.filter({ hasText: 'Beta reference' }).waitFor();
    const streamedWhileRunning = await run.getAttribute('data-status');
    assert.equal(streamedWhileRunning, 'running', 'a reference appeared only after the run had finished (no streaming)');

    await wb.panel().locator('[data-testid="run"][data-status="done"]').waitFor();
    // The bank is empty here, and the stage strip says why retrieval found nothing.
    await run.locator('[data-testid="stage-retrieve"]', { hasText: 'no bank yet' }).waitFor();
    for (const model of FAKE_MODELS) {
      await run.locator(`[data-testid="referencer"][data-model="${model}"][data-status="done"]`).waitFor({ state: 'attached' });
    }
    // Three references with Kdrop 1 allow three distinct subsets: the eight draws are aggregated (and shown) once each.
    const candidates = run.locator('[data-testid="candidate"]');
    const draws = (await candidates.evaluateAll((cards) => cards.map((c) => Number(c.getAttribute('data-draws'))))).reduce((a, b) => a + b, 0);
    assert.equal(draws, 8, 'the cards stand for all n = 8 draws');
    assert.ok((await candidates.count()) <= 3, `${await candidates.count()} candidates from three references`);
    assert.equal(await run.locator('[data-testid="candidate"][data-winner="true"]').count(), 1);
    await run.locator('[data-testid="candidate"][data-winner="true"] [data-testid="winner-badge"]').waitFor();
    const answer = run.locator('[data-testid="answer"]');
    const winner = Number(await answer.getAttribute('data-candidate'));
    await answer.filter({ hasText: /Candidate \d+ answer\./ }).waitFor();
    const winnerText = /Candidate (\d+) answer\./.exec(await answer.innerText())?.[1];
    await wb.screenshot('answer-dark');
    await wb.setTheme('light');
    await wb.screenshot('answer-light');
    await wb.setTheme('dark');

    const other = winner === 0 ? 1 : 0;
    await run.locator(`[data-testid="candidate"][data-index="${other}"] [data-testid="use-reply"]`).click();
    await run.locator(`[data-testid="answer"][data-candidate="${other}"]`).waitFor();
    await run.locator('[data-testid="answer-chosen"]').waitFor();
    const otherText = /Candidate (\d+) answer\./.exec(await answer.innerText())?.[1];
    assert.ok(otherText !== undefined && otherText !== winnerText, `the chosen candidate's answer (${otherText}) replaced the winner's (${winnerText})`);
    await run.locator(`[data-testid="candidate"][data-index="${other}"][data-chosen="true"]`).waitFor();
    await wb.screenshot('chosen-candidate-dark');

    await answer.locator('[data-testid="code-block"] [data-testid="code-insert"]').first().click();
    const editor = wb.page.locator('.editor-instance .monaco-editor .view-lines');
    await editor.filter({ hasText: `candidate ${otherText}` }).waitFor();
    // Insert at Cursor hands focus to the editor once the edit is in; the palette must open after that.
    await wb.page.locator('.editor-instance .monaco-editor.focused').waitFor();
    await wb.runPaletteEntry('File: Save');
    await waitForCondition(() => wb.readFile('sample.py').includes(`print("candidate ${otherText}")`));

    // Learning from choices: the question went into the bank as feedback, with a label per referencer. The chosen
    // candidate shares no words with any reference, so by the similarity rule every referencer disagrees (0).
    const learned = await waitForFeedback(wb, question);
    assert.deepEqual(learned.correct, Object.fromEntries(FAKE_MODELS.map((m) => [m, 0])));

    await wb.reload();
    await wb.openPanel();
    const restored = wb.byTestId('run').filter({ has: wb.panel().locator('[data-testid="question"]', { hasText: question }) });
    await restored.waitFor();
    assert.equal(await restored.getAttribute('data-status'), 'done');
    await restored.locator(`[data-testid="answer"][data-candidate="${other}"]`).waitFor();
    await wb.screenshot('history-after-reload-dark');
  });
});

/**
 * The tests below share one window with the default endpoint (workbench.ts sharedWorkbench), reset between them, with
 * the other UI files on the default host.
 */
const inSharedWindow = sharedWorkbench('default window', {});

test('Stop ends a running question from the panel and closes the model connections', async () => {
  await inSharedWindow('stop', async (wb) => {
    for (const model of FAKE_MODELS) wb.fake.script(model, { chunkDelayMs: 100, reply: 'slow '.repeat(500) });
    await wb.openPanel();
    await wb.askInPanel('Explain closures in JavaScript.');
    const run = wb.byTestId('run').last();
    await run.locator('[data-testid="referencer"]').filter({ hasText: 'slow' }).first().waitFor();
    await wb.screenshot('running-dark');
    await run.locator('[data-testid="stop"]').click();
    await wb.panel().locator('[data-testid="run"][data-status="cancelled"]').waitFor();
    await run.locator('[data-testid="run-banner"]').waitFor({ state: 'visible' });
    const chats = () => wb.fake.requests.filter((r) => r.path.endsWith('/chat/completions'));
    await waitForCondition(() => chats().length > 0 && chats().every((r) => r.clientClosedAt !== undefined || r.completedAt !== undefined));
    assert.ok(chats().some((r) => r.clientClosedAt !== undefined), 'no model connection was closed by Stop');
    await wb.screenshot('stopped-dark');
  });
});

test('"Stop It and Ask" stops the running question and the new one keeps its Stop button', async () => {
  await inSharedWindow('stop and ask', async (wb) => {
    for (const model of FAKE_MODELS) wb.fake.script(model, { chunkDelayMs: 100, reply: 'slow '.repeat(300) });
    await wb.openPanel();
    await wb.askInPanel('Explain closures in JavaScript.');
    await wb.byTestId('run').last().locator('[data-testid="referencer"]').filter({ hasText: 'slow' }).first().waitFor();
    await wb.runCommand('smcs.ask');
    await wb.answerInputBox('And generators?');
    await wb.page.locator('.notifications-toasts', { hasText: 'SMCS is still answering the previous question.' }).getByRole('button', { name: 'Stop It and Ask' }).click();
    // A palette question starts a new chat: the panel shows the second question running.
    await wb.panel().locator('[data-testid="run"][data-status="running"]', { hasText: 'And generators?' }).waitFor();
    // The first run's clean-up ends after the second began; the title bar's Stop must stay for the second.
    const stop = wb.page.locator('.part.sidebar .title-actions .action-label[aria-label^="Cancel"]');
    await wb.page.waitForTimeout(1500);
    assert.equal(await stop.isVisible(), true, 'the Stop action of the running question is shown');
    await stop.click();
    await wb.panel().locator('[data-testid="run"][data-status="running"]').waitFor({ state: 'detached' });
  });
});

test('a reply carrying HTML and script does nothing in the panel', async () => {
  await inSharedWindow('xss', async (wb) => {
    const payload = [
      'Here is a picture <img src=x onerror="window.__smcsXss=1;document.title=\'pwned\'">',
      '<script>window.__smcsXss=2</script>',
      '[click me](javascript:window.__smcsXss=3)',
      '<a href="javascript:window.__smcsXss=4">link</a> <iframe src="javascript:window.parent.__smcsXss=5"></iframe>',
    ].join('\n\n');
    for (const model of FAKE_MODELS) wb.fake.script(model, { reply: payload });
    await wb.openPanel();
    await wb.runCommand('smcs.ask');
    await wb.answerInputBox('Show me an image');
    await wb.panel().locator('[data-testid="run"][data-status="done"]').waitFor();
    const answer = wb.byTestId('answer').last();
    await answer.filter({ hasText: 'Here is a picture' }).waitFor();
    for (const link of await wb.panel().locator('a').all()) {
      await link.click({ timeout: 2000 }).catch(() => undefined);
    }
    const frame = await wb.panelFrame();
    const state = await frame.evaluate(() => {
      const replies = document.querySelector('[data-testid="history-list"]') as HTMLElement;
      return {
        flag: (window as unknown as { __smcsXss?: number }).__smcsXss,
        handlers: replies.querySelectorAll('[onerror], [onload], [onclick]').length,
        scripts: replies.querySelectorAll('script').length,
        jsLinks: [...replies.querySelectorAll('a')].filter((a) => a.getAttribute('href')?.trim().toLowerCase().startsWith('javascript:')).length,
        iframes: replies.querySelectorAll('iframe').length,
      };
    });
    assert.deepEqual(state, { flag: undefined, handlers: 0, scripts: 0, jsLinks: 0, iframes: 0 });
    assert.equal(await wb.page.evaluate(() => (window as unknown as { __smcsXss?: number }).__smcsXss), undefined);
    assert.notEqual(await wb.page.title(), 'pwned');
  });
});

// Set API Key's test is in test/integration/endpointCommands.test.ts: what the models receive needs no pixels.

/** Polls the workbench's bank (`smcs.bank`, opened read-only from this process) until it holds feedback for `question`. */
async function waitForFeedback(wb: Workbench, question: string, timeoutMs = 15000): Promise<BankRecord> {
  const dir = (JSON.parse(wb.userSettingsText()) as Record<string, unknown>)['smcs.bank'];
  assert.equal(typeof dir, 'string', 'the workbench has no smcs.bank setting');
  const embedder = new LexicalEmbedder();
  const identity = { id: embedder.id, dimension: await embedder.dimension() };
  const deadline = Date.now() + timeoutMs;
  let last = 'no bank yet';
  for (;;) {
    const bank = await LocalBank.open(dir as string, { embedder: identity }).catch((err: unknown) => {
      last = err instanceof Error ? err.message : String(err);
      return undefined;
    });
    if (bank) {
      try {
        const found = (await listFeedback(bank)).find((r) => r.question === question);
        if (found) return found;
        last = `${bank.size} question(s), none learned from "${question}"`;
      } finally {
        await bank.close();
      }
    }
    if (Date.now() > deadline) throw new Error(`no feedback question in the bank within ${timeoutMs} ms (${last})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function waitForCondition(probe: () => boolean, timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('a multi-line prompt pasted into SMCS: Ask keeps its lines: its doctests reach the models and the replies are run on them', async () => {
  await inSharedWindow('pasted prompt', async (wb) => {
    const code = '```python\ndef add(a, b):\n    return a + b\n```\n';
    for (const model of FAKE_MODELS) wb.fake.script(model, { reply: `Here it is:\n\n${code}` });
    const prompt = 'def add(a, b):\n    """Add two numbers.\n\n    >>> add(2, 3)\n    5\n    >>> add(-1, 1)\n    0\n    """\n';
    await wb.page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await wb.page.evaluate(async (text) => navigator.clipboard.writeText(text), prompt);
    await wb.openPanel();
    await wb.runCommand('smcs.ask');
    const input = wb.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    await input.focus();
    await wb.page.keyboard.press('Control+V');
    await wb.page.locator('.quick-input-widget', { hasText: 'Pasted 8 lines' }).waitFor();
    await wb.screenshot('pasted-prompt');
    await input.press('Enter');
    const run = wb.panel().locator('[data-testid="run"][data-status="done"]').last();
    await run.waitFor();
    const chats = wb.fake.requests.filter((r) => r.path.endsWith('/chat/completions'));
    assert.ok(chats.some((r) => JSON.stringify(r.body).includes(JSON.stringify('>>> add(2, 3)\n    5').slice(1, -1))), 'the models received the doctests line by line');
    assert.match(await run.locator('[data-testid="question-text"]').innerText(), />>> add\(2, 3\)\n\s*5/);
    // The cards sit in the closed References section: their text, not their rendering.
    assert.match((await run.locator('[data-testid="referencer"] [data-testid="check-text"]').first().textContent()) ?? '', /passes 2\/2/);
  });
});
