import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { withWorkbench } from './workbench';

const QUESTIONS = [
  { question_id: 1, question: 'Which sorting algorithm is stable?', options: ['Heap sort', 'Merge sort', 'Quick sort'], answer: 'B', category: 'computer science' },
  { question_id: 2, question: 'What is the worst-case time of binary search?', options: ['O(1)', 'O(n)', 'O(log n)'], answer: 'C', category: 'computer science' },
  { question_id: 3, question: 'What is 7 times 8?', options: ['54', '56', '58'], answer: 'B', category: 'math' },
];
const FILE = 'model_outputs_alpha-coder_5shots.json';
/** alpha-coder: right on both CS questions, wrong on the math one. */
const OUTPUTS = JSON.stringify(QUESTIONS.map((q, i) => ({ ...q, pred: i < 2 ? q.answer : 'A' })));

test('Bank section: "No question bank yet", Import Bank from the panel, then accuracy per model and domain', async () => {
  await withWorkbench('panel bank', { files: { [FILE]: OUTPUTS } }, async (wb) => {
    await wb.openPanel();
    const section = wb.panel().locator('[data-testid="bank"]');
    await section.and(wb.panel().locator('[data-status="none"]')).waitFor({ state: 'visible' });
    const empty = wb.byTestId('bank-empty');
    assert.match((await empty.textContent()) ?? '', /^No question bank yet/);
    await empty.locator('[data-testid="bank-profile"]').waitFor({ state: 'visible' });
    await wb.screenshot('bank-empty-dark');

    await empty.locator('[data-testid="bank-import"]').click();
    await wb.answerInputBox(path.join(wb.folder, FILE));
    await section.and(wb.panel().locator('[data-status="ready"]')).waitFor({ state: 'visible' });
    assert.equal(await wb.byTestId('bank-headline').textContent(), 'Question bank: 3 questions · 0 profiled models · 1 with few labels · 2 unprofiled');

    await wb.byTestId('bank-headline').click();
    const model = wb.panel().locator('[data-testid="bank-model"][data-model="alpha-coder"]');
    await model.waitFor({ state: 'visible' });
    assert.equal(await model.locator('[data-testid="bank-model-accuracy"]').textContent(), '66.7%');
    assert.equal(await model.locator('[data-testid="bank-model-labelled"]').textContent(), '3 labelled');
    assert.deepEqual(await wb.panel().locator('[data-testid="bank-unprofiled"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-model'))), ['beta-coder', 'gamma-coder']);

    const modelSummary = model.locator('summary');
    await modelSummary.focus();
    await modelSummary.press('Enter');
    const math = model.locator('[data-testid="bank-domain"][data-domain="math"]');
    await math.waitFor({ state: 'visible' });
    assert.equal(await math.locator('[data-testid="bank-domain-accuracy"]').textContent(), '0.0%');
    assert.equal(await model.locator('[data-testid="bank-domain"][data-domain="computer science"] [data-testid="bank-domain-accuracy"]').textContent(), '100.0%');
    await wb.screenshot('bank-summary-dark');
    await wb.setTheme('light');
    await wb.screenshot('bank-summary-light');
  });
});

// Profile Models from the empty Bank section (the starter bank imported, the model pick closed) is checked without pixels:
// test/integration/panelBank.test.ts.
