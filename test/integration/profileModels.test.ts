/**
 * SMCS: Profile Models, checked where no pixels are needed (moved from the UI suite): the starter bank offered beside an
 * existing bank, the models with no labels as one choice, sampling from the settings, replies cut at
 * smcs.profileMaxTokens reported (not stored), and each model's result as a share of the questions it was graded on.
 * The choices are recorded and answered where the extension shows them (windowScript.ts); the panel is its own script
 * (panelDocument.ts).
 */
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { startLoopbackUpstream, type LoopbackUpstream } from '../fixtures/loopbackUpstream';
import { clearSettings, configure, fakeServerSettings, scratchDir } from './helpers';
import { PanelDocument } from './panelDocument';
import { scriptWindow, type WindowScript } from './windowScript';

const MODELS = ['alpha-coder', 'beta-coder', 'gamma-coder'];
const QUESTIONS = [
  { question_id: 1, question: 'Which sorting algorithm is stable?', options: ['Heap sort', 'Merge sort', 'Quick sort'], answer: 'B', category: 'computer science' },
  { question_id: 2, question: 'What is the worst-case time of binary search?', options: ['O(1)', 'O(n)', 'O(log n)'], answer: 'C', category: 'computer science' },
  { question_id: 3, question: 'What is 7 times 8?', options: ['54', '56', '58'], answer: 'B', category: 'math' },
];
const FILE = 'model_outputs_alpha-coder_5shots.json';
const OUTPUTS = JSON.stringify(QUESTIONS.map((q) => ({ ...q, pred: q.answer })));

describe('Profile Models', () => {
  let fake: LoopbackUpstream;
  let shown: WindowScript;
  let panel: PanelDocument | undefined;

  beforeEach(async () => {
    fake = await startLoopbackUpstream({ models: MODELS.map((id) => ({ id })) });
    await configure(fakeServerSettings(fake, MODELS, { k: 3, n: 2, seed: 1, profileMaxTokens: 24, temperature: 0.5, presencePenalty: 0.25 }));
    shown = scriptWindow();
  });

  afterEach(async () => {
    panel?.close();
    shown.restore();
    await clearSettings();
    await fake.close();
  });

  it('offers the starter bank beside the bank and the models with no labels as one choice, samples with the settings, reports replies cut at smcs.profileMaxTokens and says what each share is of', async function () {
    this.timeout(90_000);
    // beta-coder reasons past the budget; gamma-coder answers at once
    fake.script('beta-coder', { reply: 'Answer: B', reasoning: `${'step '.repeat(40)}done`, inlineReasoning: 'think', enforceMaxTokens: true });
    fake.script('gamma-coder', { reply: 'Answer: B' });
    panel = await PanelDocument.open();
    const doc = panel;
    const file = path.join(scratchDir('profile'), FILE);
    writeFileSync(file, OUTPUTS);
    assert.equal(await vscode.commands.executeCommand<number | undefined>('smcs.importBank', vscode.Uri.file(file)), QUESTIONS.length);
    await doc.until(() => doc.select('[data-testid="bank"][data-status="ready"]').find((el) => doc.shown(el)), 'the Bank section shows the bank');

    shown.answer('quickPick', 'Which questions should the models answer?', 'Profile the models on this bank');
    shown.answer('quickPick', 'Which models should answer?', 'The 2 models with no labels');
    shown.answer('info', 'profiling makes 6 requests', 'Start Profiling');
    const profiling = vscode.commands.executeCommand('smcs.profileModels');
    // Once a bank exists, the starter bank is offered beside it.
    const questions = await shown.next('quickPick', 'Which questions should the models answer?');
    assert.ok(questions.items.some((item) => item.startsWith('Profile the models on the starter bank') && item.includes('Original coding questions with answers, added to this bank')), questions.items.join(' | '));
    const onBank = questions.items.find((item) => item.startsWith('Profile the models on this bank'));
    assert.match(onBank ?? '', /3 questions/);
    // The models without labels are one choice (the MMLU-Pro file labelled alpha-coder).
    const models = await shown.next('quickPick', 'Which models should answer?');
    assert.ok(models.items.some((item) => item.startsWith('The 2 models with no labels') && item.includes('beta-coder, gamma-coder')), models.items.join(' | '));
    assert.ok(models.items.some((item) => item.startsWith('Choose the models…')), models.items.join(' | '));
    const start = await shown.next('info', 'profiling makes 6 requests');
    assert.equal(start.modal, true);
    await profiling;

    // Three labels each are too few to count a model as profiled (issue 27 item 7): listed apart, with few labels.
    await doc.until(() => doc.all('bank').some((el) => doc.text(el).includes('2 with few labels')), 'the Bank section lists 2 models with few labels', 60_000);
    await shown.next('warning', 'SMCS: 3 replies were cut at the token limit; raise smcs.profileMaxTokens and run again.');
    // Each model's share says what it is of.
    await shown.next('info', 'profiling finished: 3 labels stored. Right on: beta-coder no answer graded (3 cut), gamma-coder 67 % of 3 questions.');
    const chats = fake.requests.filter((r) => r.path === '/v1/chat/completions');
    assert.deepEqual(chats.map((r) => r.model).sort(), ['beta-coder', 'beta-coder', 'beta-coder', 'gamma-coder', 'gamma-coder', 'gamma-coder']);
    for (const r of chats) assert.deepEqual([r.body.temperature, r.body.presence_penalty, r.body.max_tokens], [0.5, 0.25, 24]);
  });
});
