/**
 * Conversations and costs in the panel, as a person uses them: a thread of three questions typed in the panel (the
 * models receive the earlier questions and the replies kept, a chosen candidate included), New Chat, the
 * conversation list (reopen, delete, kept across a reload), Clear History behind its confirmation.
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RecordedRequest } from '../fixtures/loopbackUpstream';
import { FAKE_MODELS, sharedWorkbench, type Workbench } from './workbench';

const [ALPHA] = FAKE_MODELS;
/** The window the UI files on the default host share (workbench.ts sharedWorkbench), with the default endpoint. */
const inSharedWindow = sharedWorkbench('default window', {});

interface Message {
  role: string;
  content: string;
}

const messagesOf = (request: RecordedRequest): Message[] => (Array.isArray(request.body.messages) ? (request.body.messages as Message[]) : []);
const isChat = (request: RecordedRequest): boolean => request.path.endsWith('/chat/completions');
/** An aggregation carries the references in its system prompt; a referencer gets the conversation only. */
const isAggregation = (request: RecordedRequest): boolean => messagesOf(request)[0]?.role === 'system';
/** The chat requests that answered `question` (the last user message). */
const requestsFor = (wb: Workbench, question: string): RecordedRequest[] => wb.fake.requests.filter((r) => isChat(r) && messagesOf(r).at(-1)?.content === question);

/**
 * Every model answers as a referencer with a line naming itself and the question; the aggregator's candidates are
 * plain one-line texts, numbered across the test, so the panel shows each exactly as the server sent it.
 */
function scriptModels(wb: Workbench, models: readonly string[], aggregator: string): void {
  let candidates = 0;
  for (const model of models) {
    wb.fake.script(model, {
      reply: (request) => {
        const question = messagesOf(request).at(-1)?.content ?? '';
        if (model !== aggregator || !isAggregation(request)) return `${model} says: about "${question}", use the standard library.`;
        candidates += 1;
        return `Candidate ${candidates} answers "${question}" with plan ${String.fromCharCode(64 + candidates)}.`;
      },
    });
  }
}

/** Waits until the run of `question` is done and returns its locator. */
async function answered(wb: Workbench, question: string) {
  const run = wb.panel().locator('[data-testid="run"][data-status="done"]', { has: wb.panel().locator('[data-testid="question-text"]', { hasText: question }) });
  await run.waitFor();
  return run;
}

async function openThreadList(wb: Workbench): Promise<void> {
  const toggle = wb.byTestId('threads-toggle');
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await wb.byTestId('thread-list').waitFor({ state: 'visible' });
}

const shownQuestions = (wb: Workbench): Promise<string[]> => wb.panel().locator('[data-testid="run"] [data-testid="question-text"]').allInnerTexts();

test('a conversation of three questions typed in the panel: the models get the earlier questions and the replies kept; New Chat, the list (reopen, delete, kept across a reload), Clear History', async () => {
  await inSharedWindow('panel threads', async (wb) => {
    scriptModels(wb, FAKE_MODELS, ALPHA);
    await wb.openPanel();
    const q1 = 'How do I read a large CSV file in Python?';
    const q2 = 'And without pandas?';
    const q3 = 'Which of the two is faster?';

    await wb.askInPanel(q1);
    const a1 = await (await answered(wb, q1)).locator('[data-testid="answer"] .markdown').innerText();

    // Turn 2: a candidate that did not win becomes the reply kept.
    await wb.askInPanel(q2);
    const turn2 = await answered(wb, q2);
    const winner2 = await turn2.locator('[data-testid="answer"] .markdown').innerText();
    const other = Number(await turn2.locator('[data-testid="candidate"][data-winner="false"]').first().getAttribute('data-index'));
    await turn2.locator(`[data-testid="candidate"][data-index="${other}"] [data-testid="use-reply"]`).click();
    await turn2.locator(`[data-testid="answer"][data-candidate="${other}"]`).waitFor();
    const a2 = await turn2.locator('[data-testid="answer"] .markdown').innerText();
    assert.notEqual(a2, winner2);

    await wb.askInPanel(q3);
    await answered(wb, q3);
    const history: Message[] = [
      { role: 'user', content: q1 },
      { role: 'assistant', content: a1 },
      { role: 'user', content: q2 },
      { role: 'assistant', content: a2 },
      { role: 'user', content: q3 },
    ];
    const third = requestsFor(wb, q3);
    const referencers = third.filter((r) => !isAggregation(r));
    const aggregations = third.filter(isAggregation);
    assert.deepEqual(referencers.map((r) => r.model).sort(), [...FAKE_MODELS].sort());
    for (const r of referencers) assert.deepEqual(messagesOf(r), history, `${r.model ?? '?'} as a referencer`);
    assert.equal(aggregations.length, 2);
    for (const r of aggregations) {
      assert.equal(r.model, ALPHA);
      assert.deepEqual(messagesOf(r).slice(1), history, 'the aggregation: system prompt, then the conversation');
      const references = (messagesOf(r)[0]?.content ?? '').split('Responses from the models:')[1] ?? '';
      assert.equal(references.split(`says: about "${q3}"`).length - 1, 2, 'this turn’s references (K − Kdrop) are in its system prompt');
    }
    assert.deepEqual(await shownQuestions(wb), [q1, q2, q3]);
    await wb.byTestId('thread-head').filter({ hasText: /^This conversation: 3 turns/ }).waitFor();

    await openThreadList(wb);
    const threads = wb.byTestId('thread');
    assert.equal(await threads.count(), 1);
    assert.equal(await threads.first().locator('[data-testid="thread-title"]').innerText(), q1);
    assert.equal(await threads.first().locator('[data-testid="thread-meta"]').innerText(), '3 turns');
    assert.equal(await threads.first().getAttribute('aria-current'), 'true');

    // New Chat from the view's title bar: an empty thread; its question starts a conversation of its own.
    await wb.page.locator('.part.sidebar .composite.title a.action-label[aria-label="New Chat"]').click();
    await wb.byTestId('empty').waitFor({ state: 'visible' });
    assert.equal(await wb.byTestId('run').count(), 0);
    assert.equal(await wb.byTestId('new-chat').isDisabled(), true, 'New chat is already shown');
    const q4 = 'What does GAMMA stand for in a regex?';
    await wb.askInPanel(q4);
    await answered(wb, q4);
    for (const r of requestsFor(wb, q4)) assert.equal(messagesOf(r).filter((m) => m.role !== 'system').length, 1, 'a new chat sends no earlier turn');
    assert.deepEqual(await threads.locator('[data-testid="thread-title"]').allInnerTexts(), [q4, q1]);

    // The list reopens the first conversation with its three turns.
    await threads.filter({ hasText: q1 }).locator('[data-testid="thread-open"]').click();
    await wb.panel().locator(`[data-testid="thread"][aria-current="true"][data-thread-id]`, { hasText: q1 }).waitFor();
    assert.deepEqual(await shownQuestions(wb), [q1, q2, q3]);
    await (await answered(wb, q2)).locator(`[data-testid="answer"][data-candidate="${other}"] [data-testid="answer-chosen"]`).waitFor();

    // The panel's own New chat button, then a reload: both conversations are still listed.
    await wb.byTestId('new-chat').click();
    await wb.byTestId('empty').waitFor({ state: 'visible' });
    await wb.reload();
    await wb.openPanel();
    await openThreadList(wb);
    await wb.panel().locator('[data-testid="thread"]', { hasText: q1 }).waitFor();
    assert.deepEqual(await threads.locator('[data-testid="thread-meta"]').allInnerTexts(), ['1 turn', '3 turns']);
    await threads.filter({ hasText: q1 }).locator('[data-testid="thread-open"]').click();
    await wb.panel().locator('[data-testid="run"]', { hasText: q3 }).waitFor();
    assert.deepEqual(await shownQuestions(wb), [q1, q2, q3]);

    // Deleting a conversation removes it from the list (its button is named after it).
    await wb.panel().getByRole('button', { name: `Delete conversation: ${q4}` }).click();
    await wb.panel().locator('[data-testid="thread"]', { hasText: q4 }).waitFor({ state: 'detached' });
    assert.deepEqual(await threads.locator('[data-testid="thread-title"]').allInnerTexts(), [q1]);
    assert.deepEqual(await shownQuestions(wb), [q1, q2, q3], 'the conversation shown stays');

    // Clear History asks first; once confirmed, no conversation is left.
    await wb.byTestId('clear-history').click();
    const dialog = wb.page.locator('.monaco-dialog-box', { hasText: 'Clear all 1 conversation and their answers?' });
    await dialog.getByRole('button', { name: 'Clear History' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await wb.byTestId('threads').waitFor({ state: 'hidden' });
    assert.equal(await wb.byTestId('thread').count(), 0);
    assert.equal(await wb.byTestId('run').count(), 0);
    await wb.byTestId('empty').waitFor({ state: 'visible' });
  });
});

// The cost line, Details and the estimate beside Ask with smcs.maxCostPerQuestion are checked without pixels:
// test/integration/panelCosts.test.ts.
