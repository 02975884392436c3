/**
 * The panel as a person sees it: every state (a conversation of three turns with its list open among them) at a
 * 300 px and a 700 px side bar, in the dark, light and high-contrast themes, with a screenshot of each (`.test-results/screenshots/<state>-<width>-<theme>.png`) and its geometry
 * checked (bars on one scale per group, nothing wider than the panel, names not cut, long questions collapsed,
 * three candidate cards to a screen). One workbench goes through all the states, so the suite stays quick.
 */
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { ModelBehaviour, RecordedRequest } from '../fixtures/loopbackUpstream';
import { threeCardsSpan } from './panelGeometry';
import { captureState } from './panelStates';
import { sharedWorkbench, type Workbench } from './workbench';

const LLAMA_8B = 'meta-llama/Meta-Llama-3.1-8B-Instruct';
const LLAMA_70B = 'meta-llama/Meta-Llama-3.1-70B-Instruct';
const LLAMA_405B = 'meta-llama/Meta-Llama-3.1-405B-Instruct';
const GEMINI_FLASH = 'gemini-1.5-flash-002';
const GEMINI_PRO = 'gemini-1.5-pro-002';
const QWEN = 'qwen/qwen-2.5-coder-32b-instruct';
/** Names that are cut to the same prefix ("Meta-Lla…", "gemini-1.…") when a panel truncates them. */
const MODELS = [LLAMA_8B, LLAMA_70B, LLAMA_405B, GEMINI_FLASH, GEMINI_PRO, QWEN];

/**
 * How the fake server lists the models: with prices (USD per token, so answers show their cost), and the smallest Llama
 * with a 700-token window, too small for the whole of a three-turn conversation and for the full output limit.
 */
const SERVED = MODELS.map((id, i) => ({ id, pricing: { prompt: 0.0000002 * (i + 1), completion: 0.0000008 * (i + 1) }, ...(id === LLAMA_8B ? { maxModelLen: 700 } : {}) }));

/** An MMLU-style question with 8 options: about 600 px tall at 300 px when shown whole. */
const LONG_QUESTION = [
  'A Python service caches the results of an expensive pure function that takes a string key. Memory is limited, and the',
  'most recently used keys are the most likely to be asked again. Which of the following is the best way to cache the results?',
  '(A) A plain dict that grows without bound',
  '(B) functools.lru_cache(maxsize=1024) on the function',
  '(C) A list of (key, value) pairs searched from the start',
  '(D) A set of keys, recomputing the value on every hit',
  '(E) pickle every result to disk and read it back each time',
  '(F) A global variable holding only the last result',
  '(G) A weakref.WeakValueDictionary of strings',
  '(H) A queue.Queue of results consumed on read',
].join('\n');

/** Bank questions near the asked one (so retrieval finds support), with who got them right. */
function bankFile(dir: string): string {
  const topics = [
    ['caching', 'How do I cache the results of an expensive Python function with limited memory?'],
    ['caching', 'Which Python cache evicts the least recently used entries first?'],
    ['caching', 'What does functools.lru_cache maxsize do to memory use in Python?'],
    ['data structures', 'Which Python data structure gives constant-time lookup of a key?'],
    ['data structures', 'Which Python container keeps insertion order and fast lookup by key?'],
    ['data structures', 'What is the best way to store unique keys in Python for fast membership tests?'],
    ['concurrency', 'How do I share a cache between Python threads safely?'],
    ['concurrency', 'Which Python queue is safe to use from several threads?'],
  ];
  /** Share of questions each model got right: the three Llama models best, then the two Gemini ones; Qwen has no label. */
  const skill: Record<string, number> = { [LLAMA_405B]: 1, [LLAMA_70B]: 0.875, [LLAMA_8B]: 0.75, [GEMINI_PRO]: 0.5, [GEMINI_FLASH]: 0.25 };
  const lines = topics.map(([domain, question], i) => ({
    id: `q-${i + 1}`,
    question,
    answer: 'B',
    grader: 'choice',
    domain,
    correct: Object.fromEntries(Object.entries(skill).map(([model, share]) => [model, i < Math.round(share * topics.length) ? 1 : 0])),
  }));
  const file = path.join(dir, 'bank.jsonl');
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return file;
}

const isAggregation = (request: RecordedRequest): boolean => /Reference from /.test(JSON.stringify(request.body));

/** Every model answers as a referencer with a short reply, and as the aggregator with a distinct candidate. */
function scriptAnswers(wb: Workbench, options: ModelBehaviour = {}, only: Record<string, ModelBehaviour> = {}): void {
  let candidates = 0;
  for (const model of MODELS) {
    wb.fake.script(model, {
      ...options,
      ...only[model],
      reasoning: model === LLAMA_405B ? 'The question asks for bounded memory and recency, which is what an LRU cache gives.' : '',
      reply: (request) => {
        if (!isAggregation(request)) return `Reference from ${model}: the answer is (B), an LRU cache bounds memory and keeps recent keys. ${'It evicts the least recently used entry. '.repeat(4)}`;
        candidates += 1;
        return `The answer is (B). Candidate ${candidates} explains: \`functools.lru_cache\` keeps the ${candidates * 256} most recent results.\n\n\`\`\`python\nfrom functools import lru_cache\n\n@lru_cache(maxsize=${candidates * 256})\ndef expensive(key: str) -> str:\n    return key.upper()\n\`\`\`\n`;
      },
    });
  }
}

/** The window the UI files on the default host share (workbench.ts sharedWorkbench), with no endpoint. */
const inSharedWindowWithoutEndpoints = sharedWorkbench('default window', { endpoints: false });

test('with no endpoint configured the welcome view shows, and at 300 and 700 px in dark, light and high contrast it fits the panel', async () => {
  await inSharedWindowWithoutEndpoints('panel layout welcome', async (wb) => {
    await wb.openPanel();
    await wb.byTestId('welcome').waitFor({ state: 'visible' });
    await wb.byTestId('welcome-add-vllm').waitFor({ state: 'visible' });
    await captureState(wb, 'welcome');
  });
});

// Seed 17165: for the long question (the first kept turn: the stopped run before it is not one), its four prior-drop
// draws hold all three subsets of the three references whatever order they arrive in and however far apart their
// priors are, so the answer shows three candidate cards to measure. Every reference states (B): the agreement shortcut
// is off so that the aggregations run and their cards show.
const settings = { 'smcs.k': 3, 'smcs.n': 4, 'smcs.seed': 17165, 'smcs.aggregator': LLAMA_405B, 'smcs.agreementShortcut': false };
/** The window the UI files on the default host share (workbench.ts sharedWorkbench), configured for this file's models and settings. */
const inSharedWindow = sharedWorkbench('default window', { models: MODELS, fake: { models: SERVED }, settings });

test('every panel state with models at 300 and 700 px in dark, light and high contrast: bars on one scale, nothing cut or wider than the panel', async () => {
  await inSharedWindow('panel layout', async (wb) => {
    await wb.openPanel();
    await wb.byTestId('bank-empty').waitFor({ state: 'visible' });
    await wb.byTestId('empty').waitFor({ state: 'visible' });
    await captureState(wb, 'no-bank');

    // Running: slow replies stream in while the screenshots are taken, one model is rate limited and waits 45 s
    // (counting down); Stop ends the run and the wait.
    scriptAnswers(wb, { chunkDelayMs: 400 }, { [LLAMA_8B]: { rateLimit: { times: 1, retryAfter: '45' } } });
    await wb.askInPanel('How do I cache an expensive function in Python?');
    const running = wb.panel().locator('[data-testid="run"][data-status="running"]');
    await running.locator('[data-testid="referencer"]').filter({ hasText: 'Reference from' }).first().waitFor();
    const waiting = running.locator(`[data-testid="referencer"][data-model="${LLAMA_8B}"] [data-testid="waiting"]`);
    const secondsLeft = async (): Promise<number> => Number(/^waiting (\d+) s — rate limited/.exec((await waiting.textContent()) ?? '')?.[1] ?? Number.NaN);
    await waiting.filter({ hasText: /^waiting \d+ s — rate limited/ }).waitFor();
    const before = await secondsLeft();
    await captureState(wb, 'running', { scrollTo: '[data-testid="run"]' });
    assert.equal(await running.count(), 1, 'the run finished before its screenshots were taken');
    const after = await secondsLeft();
    assert.ok(before <= 45 && after < before, `the wait counts down: ${before} s, then ${after} s`);
    await running.locator('[data-testid="stop"]').click();
    await wb.panel().locator('[data-testid="run"][data-status="cancelled"]').waitFor();

    // The Bank section: accuracy per model and, for the two Gemini models, per domain, on one scale.
    await wb.runCommand('smcs.importBank');
    await wb.answerInputBox(bankFile(wb.folder));
    await wb.panel().locator('[data-testid="bank"][data-status="ready"]').waitFor();
    await wb.byTestId('bank-headline').click();
    for (const model of [GEMINI_FLASH, GEMINI_PRO]) {
      await wb.panel().locator(`[data-testid="bank-model"][data-model="${model}"] summary`).click();
    }
    await wb.panel().locator(`[data-testid="bank-model"][data-model="${GEMINI_PRO}"] [data-testid="bank-domain"]`).first().waitFor();
    await captureState(wb, 'bank', { scrollTo: '[data-testid="bank"]', bars: ['bank-accuracy'] });
    await wb.byTestId('bank-headline').click();

    // An answer to a long question: collapsed to 6 lines, and compact candidate cards.
    scriptAnswers(wb);
    await wb.askInPanel(LONG_QUESTION);
    const run = wb.byTestId('run').last();
    await wb.panel().locator('[data-testid="run"][data-status="done"]').waitFor();
    const cards = run.locator('[data-testid="candidate"]');
    assert.equal((await cards.evaluateAll((all) => all.map((c) => Number(c.getAttribute('data-draws'))))).reduce((a, b) => a + b, 0), 4);
    assert.equal(await cards.count(), 3, 'three references with Kdrop 1: three distinct subsets, one card each');
    await run.locator('[data-testid="question-toggle"]').waitFor({ state: 'visible' });
    await captureState(wb, 'answer', { scrollTo: '[data-testid="run"]' });
    await captureState(wb, 'candidates', {
      scrollTo: '[data-testid="candidates"]',
      check: async (frame, width) => {
        if (width !== 300) return [];
        const { span, room, cards } = await threeCardsSpan(frame);
        // Three to a screen beside the question and answer: three cards in at most half the panel's height above
        // the question box (the ~185 px cards this issue started from took 570 of 680 px, and would fail here; so
        // did three cards of 335 px while the unprofiled-models notice sat in the sticky question box).
        return cards >= 3 && span <= room / 2 ? [] : [`three candidate cards take ${span.toFixed(0)} px, more than half of the ${room} px the panel shows (${cards} cards)`];
      },
    });

    // Compare with winner opens VS Code's diff editor on the two candidates, read-only, titled with both.
    const winner = Number(await run.locator('[data-testid="candidate"][data-winner="true"]').getAttribute('data-index'));
    const other = winner === 0 ? 1 : 0;
    const otherCard = run.locator(`[data-testid="candidate"][data-index="${other}"]`);
    await otherCard.locator('[data-testid="show-reply"]').click();
    const cacheSize = async (text: Promise<string>): Promise<string> => /maxsize=(\d+)/.exec(await text)?.[1] ?? 'none';
    const otherSize = await cacheSize(otherCard.locator('[data-testid="reply"]').innerText());
    const winnerSize = await cacheSize(run.locator('[data-testid="answer"]').innerText());
    assert.notEqual(otherSize, winnerSize);
    await otherCard.locator('[data-testid="show-reply"]').click();
    await otherCard.locator('[data-testid="compare-winner"]').click();
    await wb.page.locator('.tabs-container .tab', { hasText: `Candidate ${other + 1} ↔ Candidate ${winner + 1} (winner)` }).waitFor();
    const diff = wb.page.locator('.monaco-diff-editor');
    await diff.locator('.editor.original .view-lines', { hasText: `maxsize=${otherSize}` }).first().waitFor();
    await diff.locator('.editor.modified .view-lines', { hasText: `maxsize=${winnerSize}` }).first().waitFor();
    const modifiedLines = diff.locator('.editor.modified .view-lines:not(.line-delete)');
    await modifiedLines.click();
    await wb.page.keyboard.type('typed here');
    await wb.page.locator('.monaco-editor-overlaymessage', { hasText: /read-only/i }).waitFor();
    assert.doesNotMatch(await modifiedLines.innerText(), /typed here/, 'the candidate document took an edit');
    await wb.screenshot('compare-diff');
    // "Compare with…" on the winner's card opens the diff with another candidate (a run shows one card per distinct subset, often two).
    await run.locator(`[data-testid="candidate"][data-index="${winner}"] [data-testid="compare-with"]`).selectOption(String(other));
    await wb.page.locator('.tabs-container .tab', { hasText: new RegExp(`Candidate ${winner + 1}\\b.*↔ Candidate ${other + 1}\\b`) }).waitFor();

    // Why these models: the three Llama models selected, listed first, every prior on one scale.
    await run.locator('[data-testid="why"] > summary').click();
    const priors = run.locator('[data-testid="prior"]');
    await priors.first().waitFor();
    const rows = await priors.evaluateAll((els) =>
      els.map((e) => ({ model: e.getAttribute('data-model'), selected: e.getAttribute('data-selected') === 'true', prior: Number(e.querySelector('[role="meter"]')?.getAttribute('aria-valuenow')), name: e.querySelector<HTMLElement>('.bar-name')?.innerText ?? '' })),
    );
    assert.deepEqual(rows.slice(0, 3).map((r) => [r.model, r.selected]), [[LLAMA_405B, true], [LLAMA_70B, true], [LLAMA_8B, true]]);
    assert.deepEqual(rows.slice(3).map((r) => r.selected), [false, false, false]);
    for (const part of [rows.slice(0, 3), rows.slice(3)]) {
      assert.deepEqual(part.map((r) => r.prior), part.map((r) => r.prior).sort((a, b) => b - a), 'priors are listed highest first');
    }
    for (const r of rows) assert.ok(r.name.replace(/\s+/g, '').startsWith(r.model ?? '?'), `the name ${r.model} reads "${r.name}"`);
    // Its geometry, columns and screenshots at each width and theme: why-panel.test.ts.

    // An error: every referencer's key is rejected.
    for (const model of MODELS) wb.fake.script(model, { fail: { status: 401, message: 'invalid API key' } });
    await wb.askInPanel('What does functools.lru_cache do?');
    await wb.panel().locator('[data-testid="run"][data-status="error"]').waitFor();
    await captureState(wb, 'error', { scrollTo: '[data-testid="run"]:last-of-type' });

    // Every aggregation fails: the answer is a reference's reply, under a warning (its own colour in High Contrast).
    scriptAnswers(wb, { fail: (request) => (isAggregation(request) ? { status: 500, message: 'the aggregator crashed' } : undefined) });
    await wb.askInPanel('Which cache bounds memory in a Python service?');
    const fallback = wb.panel().locator('[data-testid="run"]:last-of-type[data-status="done"]');
    await fallback.waitFor();
    assert.match(await fallback.locator('.banner[data-kind="warning"]').innerText(), /Every aggregation failed; showing the reply of /);
    await captureState(wb, 'fallback', { scrollTo: '[data-testid="run"]:last-of-type' });

    // A question with a fenced code block shows it as code, line by line (issue 45 item 10); the answer's code line
    // wider than the panel scrolls sideways with a scroll bar one can see, inside the panel (item 11); the question box
    // keeps Ask beside its "≈ $" estimate on one row (item 15).
    const longLine = `result = compute_the_weighted_moving_average(values, window_size=${'7, '.repeat(12)}weights=None)`;
    for (const model of MODELS) {
      wb.fake.script(model, {
        reply: (request) => (isAggregation(request) ? `Use this:\n\n\`\`\`python\n${longLine}\nprint(result)\n\`\`\`\n` : `Reference from ${model}: compute it with a window.`),
      });
    }
    await wb.byTestId('new-chat').click();
    const questionCodeText = 'def below_zero(operations):\n    """\n    >>> below_zero([1, -2])\n    True\n    """\n    return False';
    await wb.askInPanel(`Fix this function:\n\n\`\`\`python\n${questionCodeText}\n\`\`\``);
    const codeRun = wb.panel().locator('[data-testid="run"][data-status="done"]').last();
    await codeRun.waitFor();
    assert.equal(await codeRun.locator('[data-testid="question-code"]').innerText(), questionCodeText);
    await wb.byTestId('input').fill('How do I compute a weighted moving average in Python?');
    await wb.byTestId('cost-estimate').waitFor({ state: 'visible' });
    await captureState(wb, 'code-question', {
      scrollTo: '[data-testid="run"]:last-of-type',
      check: async (frame) =>
        frame.evaluate(() => {
          const problems: string[] = [];
          const width = document.documentElement.clientWidth;
          const pre = [...document.querySelectorAll<HTMLElement>('[data-testid="answer"] .code-block pre')].pop();
          if (!pre) return ['no code block in the answer'];
          const box = pre.getBoundingClientRect();
          if (pre.scrollWidth <= pre.clientWidth) problems.push('the long code line does not overflow its block (nothing to scroll)');
          if (box.right > width + 0.5) problems.push(`the code block ends at ${box.right} px, beyond the panel's ${width} px: its scroll bar is cut off`);
          // The scroll bar is the webview's always-drawn 10 px one, not an overlay that shows only while scrolling: the
          // standard scrollbar-color VS Code sets would give the latter. (Playwright's headless Chromium hides every
          // scroll bar, so its height cannot be measured here.)
          if (getComputedStyle(pre).scrollbarColor !== 'auto') problems.push(`the code block's scroll bar may overlay and hide (scrollbar-color ${getComputedStyle(pre).scrollbarColor})`);
          // Wrap puts the long line on several rows: nothing is cut, nothing to scroll.
          const wrap = pre.closest('.code-block')?.querySelector<HTMLElement>('[data-testid="code-wrap"]');
          if (!wrap) problems.push('no Wrap toggle on the code block');
          else {
            wrap.click();
            if (pre.scrollWidth > pre.clientWidth + 1) problems.push(`with Wrap on, the code still overflows (${pre.scrollWidth} > ${pre.clientWidth})`);
            if (wrap.getAttribute('aria-pressed') !== 'true') problems.push('Wrap does not say it is on');
            wrap.click();
          }
          const send = document.querySelector<HTMLElement>('[data-testid="send"]')?.getBoundingClientRect();
          const estimate = document.querySelector<HTMLElement>('[data-testid="cost-estimate"]')?.getBoundingClientRect();
          if (!send || !estimate || estimate.width === 0) problems.push('no Ask button or estimate');
          else if (Math.abs(send.top + send.height / 2 - (estimate.top + estimate.height / 2)) > 4) problems.push(`Ask (top ${send.top}) is not on the estimate's row (top ${estimate.top})`);
          else if (send.left < estimate.right) problems.push('Ask overlaps the estimate');
          const question = [...document.querySelectorAll<HTMLElement>('[data-testid="question-code"]')].pop();
          if (!question || question.innerText.split('\n').length < 6) problems.push("the question's code block lost its lines");
          return problems;
        }),
    });
    await wb.byTestId('input').fill('');

    // A conversation of three turns in a new chat, its calls listed, with the conversation list open. The third turn
    // is too long for the small Llama's window: it says so.
    scriptAnswers(wb);
    await wb.byTestId('new-chat').click();
    await wb.byTestId('empty').waitFor({ state: 'visible' });
    const turns = ['Which cache should a Python web service use for expensive lookups?', 'And with a size limit?', 'Is that faster than a plain dict of results, and how would I measure it?'];
    for (const [i, question] of turns.entries()) {
      await wb.askInPanel(question);
      await wb.panel().locator('[data-testid="run"][data-status="done"]').nth(i).waitFor();
    }
    const last = wb.byTestId('run').last();
    await last.locator('[data-testid="run-note"][data-kind="dropped"]', { hasText: 'Meta-Llama-3.1-8B-Instruct did not get the oldest turn' }).waitFor();
    await last.locator('[data-testid="cost-details"]').click();
    await wb.byTestId('threads-toggle').click();
    const current = wb.panel().locator('[data-testid="thread"][aria-current="true"]');
    assert.equal(await current.locator('[data-testid="thread-title"]').innerText(), turns[0]);
    assert.match(await current.locator('[data-testid="thread-meta"]').innerText(), /^3 turns · \$0\.\d+$/);
    await captureState(wb, 'thread', { scrollTo: '[data-testid="threads"]' });
    // The same state further down: the third turn's notes, its cost line and every call in Details.
    await captureState(wb, 'thread-turn3', { scrollTo: '[data-testid="run"]:last-of-type [data-testid="run-notes"]' });
  });
});
