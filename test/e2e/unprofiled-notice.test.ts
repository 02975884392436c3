/**
 * Models without labels, as a newcomer meets them in the real workbench at a 300 px and a 700 px side bar in the dark,
 * light and high-contrast themes: with no bank yet the panel says which models answer meanwhile, in the settings' order,
 * beside Profile Models; after an ask, the turn's notice names exactly the models "Why these models" marks unprofiled —
 * models the bank knows only from unlike questions among them — and "Use them anyway" asks the question again with
 * them, which the loopback upstream sees as requests to each of them.
 */
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { captureState } from './panelStates';
import { sharedWorkbench } from './workbench';

const GPT_4O = 'openai/gpt-4o-2024-08-06';
const SONNET = 'anthropic/claude-3.5-sonnet-20241022';
const FLASH = 'google/gemini-1.5-flash-002';
/** Labelled only on the SQL questions, unlike the one asked: the bank knows them, this question does not. */
const SQL_MODELS = ['sqlcoder-7b', 'duckdb-nsql-7b', 'defog/llama-3-sqlcoder-8b'];
/** No label at all. */
const QWEN = 'qwen/qwen-2.5-coder-32b-instruct';
const MODELS = [GPT_4O, SONNET, FLASH, ...SQL_MODELS, QWEN];
const UNPROFILED = [...SQL_MODELS, QWEN];

const CACHE = [
  'How do I cache the results of an expensive Python function with limited memory?',
  'Which Python cache evicts the least recently used entries first?',
  'How does functools.lru_cache limit the memory of a Python cache?',
  'How do I clear a Python functools cache of an expensive function?',
];
const SQL = [
  'How do I write a left outer join in PostgreSQL?',
  'Which SQL window function numbers rows within a partition?',
  'How do I upsert a row in PostgreSQL with ON CONFLICT?',
  'What does GROUP BY ROLLUP compute in SQL?',
];

/** GPT-4o and Sonnet right on every cache question, Flash on one; the SQL models labelled on the SQL questions only. */
function bankFile(dir: string): string {
  const lines = [
    ...CACHE.map((question, i) => ({ id: `cache-${i + 1}`, question, answer: 'B', grader: 'choice', domain: 'python', correct: { [GPT_4O]: 1, [SONNET]: 1, [FLASH]: i === 0 ? 1 : 0 } })),
    ...SQL.map((question, i) => ({ id: `sql-${i + 1}`, question, answer: 'B', grader: 'choice', domain: 'sql', correct: { [GPT_4O]: 1, [SONNET]: 0, [FLASH]: 1, ...Object.fromEntries(SQL_MODELS.map((m) => [m, 1])) } })),
  ];
  const file = path.join(dir, 'bank.jsonl');
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return file;
}

const settings = { 'smcs.k': 2, 'smcs.n': 1, 'smcs.nBase': 4, 'smcs.routing': 'quality', 'smcs.aggregator': GPT_4O };
/** The window the UI files on the default host share (workbench.ts sharedWorkbench), configured for this file's models and settings. */
const inSharedWindow = sharedWorkbench('default window', { models: MODELS, settings });

test('unprofiled models: the no-bank note names the first K in settings order; the notice lists exactly Why\'s unprofiled models and Use them anyway asks them, at 300 and 700 px in three themes', async () => {
  await inSharedWindow('unprofiled notice', async (wb) => {
    await wb.openPanel();
    await wb.panel().locator('[data-testid="bank"][data-status="none"]').waitFor();
    assert.equal(await wb.byTestId('bank-first-models').innerText(), `Until then the first 2 models in the order smcs.endpoints lists them answer every question: ${GPT_4O}, ${SONNET}.`);
    assert.equal(await wb.byTestId('bank-profile').getAttribute('data-command'), 'smcs.profileModels');
    await captureState(wb, 'no-bank-first-models', { scrollTo: '[data-testid="bank"]' });

    await wb.runCommand('smcs.importBank');
    await wb.answerInputBox(bankFile(wb.folder));
    await wb.panel().locator('[data-testid="bank"][data-status="ready"]').waitFor();
    for (const model of MODELS) wb.fake.script(model, { reply: `Reply of ${model}: functools.lru_cache(maxsize=128) keeps the recent results and bounds memory.` });
    await wb.askInPanel(CACHE[0] ?? '');
    const first = wb.panel().locator('[data-testid="run"]').first();
    await wb.panel().locator('[data-testid="run"][data-status="done"]').waitFor();
    const firstChats = wb.fake.requests.filter((r) => r.path.endsWith('/chat/completions')).map((r) => r.model);
    assert.deepEqual([...new Set(firstChats)].sort(), [GPT_4O, SONNET].sort(), 'K = 2: the two models right on the similar questions');

    // The notice names the models Why marks unprofiled, the SQL models among them, and nothing else.
    await first.locator('[data-testid="why"] > summary').click();
    const whyUnprofiled = await first.locator('[data-testid="prior"][data-unprofiled="true"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-model') ?? ''));
    const notice = first.locator('[data-testid="unprofiled-notice"]');
    const listed = await notice.locator('[data-testid="unprofiled-model"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-model') ?? ''));
    assert.deepEqual([...whyUnprofiled].sort(), [...UNPROFILED].sort());
    assert.deepEqual(listed, UNPROFILED, 'the notice lists exactly Why\'s unprofiled models, in the settings\' order');
    assert.match(await notice.innerText(), /have no label among the similar questions, so they were ranked with the others' mean and left out\./);
    await captureState(wb, 'unprofiled-notice', { scrollTo: '[data-testid="unprofiled-notice"]' });

    // Use them anyway: the question goes out again, to those models too.
    const before = wb.fake.requests.length;
    await notice.locator('[data-testid="unprofiled-use-anyway"]').click();
    await wb.panel().locator('[data-testid="run"]').nth(1).and(wb.panel().locator('[data-status="done"]')).waitFor({ timeout: 60_000 });
    const asked = wb.fake.requests.slice(before).filter((r) => r.path.endsWith('/chat/completions'));
    assert.deepEqual([...new Set(asked.map((r) => r.model))].sort(), [...MODELS.filter((m) => m !== FLASH)].sort(), 'the chosen two and every unprofiled model were asked; Flash still left out');
    for (const r of asked) {
      const last = (r.body.messages as { role: string; content: string }[]).at(-1)?.content ?? '';
      assert.ok(last.includes(CACHE[0] ?? ''), `${r.model ?? ''} received the question`);
    }
    assert.equal(await notice.isVisible(), false, 'the notice goes once its models were asked');
    const again = wb.panel().locator('[data-testid="run"]').nth(1);
    assert.deepEqual(await again.locator('[data-testid="unprofiled-added"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-model') ?? '')), UNPROFILED);
    await again.locator('[data-testid="why"] > summary').click();
    const selected = await again.locator('[data-testid="prior"][data-selected="true"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-model') ?? ''));
    assert.deepEqual([...selected].sort(), [...MODELS.filter((m) => m !== FLASH)].sort());
    await captureState(wb, 'unprofiled-asked-again', { scrollTo: '[data-testid="unprofiled-notice"]:not([hidden])' });
  });
});
