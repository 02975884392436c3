/**
 * "Why these models" with budget routing, as a person sees it at a 300 px and a 700 px side bar in the dark, light and
 * high-contrast themes: each model's share of similar questions right beside the expected cost of one of its replies,
 * in aligned columns with nothing cut; the cheaper set chosen and what it saves against `quality`; and the referencers'
 * agreement saving every aggregation call.
 */
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { captureState, type PanelFrame } from './panelStates';
import { sharedWorkbench } from './workbench';

const GPT_4O = 'openai/gpt-4o-2024-08-06';
const SONNET = 'anthropic/claude-3.5-sonnet-20241022';
const FLASH = 'google/gemini-1.5-flash-002';
const LLAMA_8B = 'meta-llama/Meta-Llama-3.1-8B-Instruct';
/** Served without a price and with no label in the bank. */
const QWEN = 'qwen/qwen-2.5-coder-32b-instruct';
const MODELS = [GPT_4O, SONNET, FLASH, LLAMA_8B, QWEN];

/** List prices in USD per token, of the kind OpenRouter publishes: two dear models, two cheap ones, one unpriced. */
const PRICES: Record<string, { prompt: number; completion: number }> = {
  [GPT_4O]: { prompt: 2.5e-6, completion: 1e-5 },
  [SONNET]: { prompt: 3e-6, completion: 1.5e-5 },
  [FLASH]: { prompt: 7.5e-8, completion: 3e-7 },
  [LLAMA_8B]: { prompt: 2e-8, completion: 5e-8 },
};
const SERVED = MODELS.map((id) => ({ id, ...(PRICES[id] ? { pricing: PRICES[id] } : {}) }));

/**
 * Share of the bank's similar questions each model got right, and how long its replies were. `quality` takes the two
 * best (GPT-4o and Sonnet); Sonnet's replies are long and dear, so `budget` (cost weight 20) takes Flash instead.
 */
const SKILL: Record<string, { share: number; completion: number }> = {
  [GPT_4O]: { share: 1, completion: 400 },
  [SONNET]: { share: 0.875, completion: 600 },
  [FLASH]: { share: 0.75, completion: 400 },
  [LLAMA_8B]: { share: 0.5, completion: 300 },
};

const QUESTIONS = [
  'How do I cache the results of an expensive Python function with limited memory?',
  'Which Python cache evicts the least recently used entries first?',
  'What does functools.lru_cache maxsize do to memory use in Python?',
  'Which Python data structure gives constant-time lookup of a key?',
  'Which Python container keeps insertion order and fast lookup by key?',
  'What is the best way to store unique keys in Python for fast membership tests?',
  'How do I share a cache between Python threads safely?',
  'Which Python queue is safe to use from several threads?',
];

/** A bank in the JSONL import format: who got each question right, and the tokens of each labelled reply. */
function bankFile(dir: string): string {
  const lines = QUESTIONS.map((question, i) => ({
    id: `q-${i + 1}`,
    question,
    answer: 'B',
    grader: 'choice',
    domain: 'python',
    correct: Object.fromEntries(Object.entries(SKILL).map(([model, s]) => [model, i < Math.round(s.share * QUESTIONS.length) ? 1 : 0])),
    tokens: Object.fromEntries(Object.entries(SKILL).map(([model, s]) => [model, { prompt: 300, completion: s.completion }])),
  }));
  const file = path.join(dir, 'bank.jsonl');
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return file;
}

/**
 * Each row says "right on N % of M similar questions" (or that the model has no label) and the cost of a reply; the
 * share and the cost whole (not cut) and, with the bars, in columns aligned across the rows.
 */
async function whyColumnProblems(frame: PanelFrame): Promise<string[]> {
  return frame.evaluate(() => {
    const why = [...document.querySelectorAll<HTMLElement>('[data-testid="why"][open]')].pop();
    if (!why) return ['no open "Why these models"'];
    const rows = [...why.querySelectorAll<HTMLElement>('[data-testid="prior"]')];
    const problems: string[] = [];
    if (rows.length < 2) problems.push(`${rows.length} rows`);
    const edges = { share: new Set<number>(), cost: new Set<number>(), bar: new Set<number>() };
    for (const row of rows) {
      const model = row.dataset.model ?? '?';
      const sentence = row.querySelector('[data-testid="prior-accuracy"]')?.textContent ?? '';
      if (!/^right on \d+ % of \d+ similar questions?$|^no label among the similar questions$/.test(sentence)) problems.push(`${model}: "${sentence}"`);
      const share = row.querySelector<HTMLElement>('.bar-value');
      const cost = row.querySelector<HTMLElement>('[data-testid="prior-cost"]');
      const bar = row.querySelector<HTMLElement>('[role="meter"]');
      if (!share || !cost || !bar) {
        problems.push(`${model}: a column is missing`);
        continue;
      }
      if (!/^(?:\d+ %|—)$/.test(share.textContent ?? '')) problems.push(`${model}: share "${share.textContent ?? ''}"`);
      if (!/^(?:≈ )?\$[\d.]+(?: assumed)?$|^no price$/.test(cost.textContent ?? '')) problems.push(`${model}: cost "${cost.textContent ?? ''}"`);
      for (const el of [share, cost]) {
        const box = el.getBoundingClientRect();
        if (el.scrollWidth > el.clientWidth + 1 || box.right > why.getBoundingClientRect().right + 1) problems.push(`${model}: "${el.textContent ?? ''}" is cut`);
      }
      edges.share.add(Math.round(share.getBoundingClientRect().right));
      edges.cost.add(Math.round(cost.getBoundingClientRect().left));
      edges.bar.add(Math.round(bar.getBoundingClientRect().left));
    }
    for (const [column, xs] of Object.entries(edges)) if (Math.max(...xs) - Math.min(...xs) > 1) problems.push(`the ${column} column is not aligned: ${[...xs].join(', ')} px`);
    return problems;
  });
}

const settings = { 'smcs.k': 2, 'smcs.n': 3, 'smcs.routing': 'budget', 'smcs.aggregator': 'auto' };
/** The window the UI files on the default host share (workbench.ts sharedWorkbench), configured for this file's models and settings. */
const inSharedWindow = sharedWorkbench('default window', { models: MODELS, fake: { models: SERVED }, settings });

test('Why these models with budget routing: share right beside the cost of a reply, what it saves against quality, and the agreement that saved the aggregations, at 300 and 700 px in three themes', async () => {
  await inSharedWindow('why panel', async (wb) => {
    await wb.openPanel();
    await wb.runCommand('smcs.importBank');
    await wb.answerInputBox(bankFile(wb.folder));
    await wb.panel().locator('[data-testid="bank"][data-status="ready"]').waitFor();

    for (const model of MODELS) wb.fake.script(model, { reply: `Reference from ${model}: the answer is (B), functools.lru_cache bounds memory and keeps the recent keys.` });
    await wb.askInPanel(QUESTIONS[0] ?? '');
    const run = wb.panel().locator('[data-testid="run"][data-status="done"]');
    await run.waitFor();

    // The two referencers agreed on B: the three aggregations did not run, and the answer says so.
    assert.match(await run.locator('[data-testid="run-banner"]').innerText(), /^The referencers agreed on B \(2 of 2\): 3 aggregation calls saved; this is the reply of /);
    const chats = wb.fake.requests.filter((r) => r.path.endsWith('/chat/completions')).map((r) => r.model);
    assert.deepEqual(chats.sort(), [FLASH, GPT_4O].sort(), 'only the two referencers were called');
    const stages = await run.locator('[data-testid="stage-strip"] [data-stage]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-stage') ?? ''} ${e.getAttribute('data-status') ?? ''}`));
    assert.deepEqual(stages, ['retrieve done', 'referencers done', 'aggregate skipped', 'score skipped']);

    await run.locator('[data-testid="why"] > summary').click();
    const rows = await run.locator('[data-testid="prior"]').evaluateAll((els) =>
      els.map((e) => [e.getAttribute('data-model'), e.getAttribute('data-selected') === 'true', e.querySelector('[data-testid="prior-cost"]')?.textContent ?? '']),
    );
    // Budget's choice first (GPT-4o, then Flash), then the others by their share right; the model without a label last.
    assert.deepEqual(
      rows.map(([model, selected]) => [model, selected]),
      [[GPT_4O, true], [FLASH, true], [SONNET, false], [LLAMA_8B, false], [QWEN, false]],
    );
    const cost = new Map(rows.map(([model, , text]) => [model, text]));
    // One reply of GPT-4o: 300 prompt tokens at $2.5/M and 400 completion tokens at $10/M.
    assert.equal(cost.get(GPT_4O), '$0.00475');
    assert.equal(cost.get(QWEN), 'no price');
    assert.match(await run.locator('[data-testid="routing-saving"]').innerText(), /^Expected cost of these models' replies and the aggregations: \$[\d.]+ a question with budget routing, \$[\d.]+ less than quality's choice \(\d+ % saved\)\.$/);

    await captureState(wb, 'why', { scrollTo: '[data-testid="why"]', bars: ['priors'], check: whyColumnProblems });
  });
});
