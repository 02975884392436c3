import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createRun, type RunState } from '../../presentation/runState';
import type { MarkdownRenderer } from '../markdown';
import { installPanelDom, oneByTestId } from '../../../test/fixtures/panelDom';
import { RunView } from '../runView';

const PRO = 'google/gemini-1.5-pro-002';
const FLASH = 'google/gemini-1.5-flash-002';
const LLAMA = 'meta-llama/Meta-Llama-3.1-70B-Instruct';

let render: MarkdownRenderer;

before(() => {
  render = installPanelDom();
});

/** A run the final answers chose: gemini-1.5-pro's (B) over the pair's (D), candidate 1 holding (B). */
function chosenRun(agreement: RunState['agreement']): RunState {
  return {
    ...createRun('run-a', 'Which is stable?\nA. heapsort\nB. mergesort\nC. quicksort\nD. selection sort', 1000),
    status: 'done',
    finishedAt: 4000,
    referencers: [PRO, LLAMA, FLASH].map((model) => ({ model, status: 'done' as const, text: `Reference from ${model}`, reasoning: '' })),
    candidates: [
      { index: 0, subset: [PRO, LLAMA], status: 'done', text: 'The answer is (B).', similarity: 0.9, perplexity: null, total: 0.9 },
      { index: 1, subset: [LLAMA, FLASH], status: 'done', text: 'It depends.', similarity: 0.8, perplexity: null, total: 0.8 },
    ],
    aggregator: PRO,
    winner: 0,
    logprobsUsed: false,
    selectedBy: 'agreement',
    answer: { reply: { kind: 'candidate', index: 0 }, because: 'agreement' },
    ...(agreement ? { agreement } : {}),
  };
}

const split: RunState['agreement'] = {
  basis: 'answer',
  answer: 'B',
  agreeing: 1,
  of: 3,
  support: 4.0,
  split: [{ answer: 'B', models: [PRO, PRO], support: 4.0 }, { answer: 'D', models: [LLAMA, FLASH], support: 3.2 }],
  options: true,
  answers: [
    { reply: { kind: 'referencer', model: PRO }, answer: 'B' },
    { reply: { kind: 'referencer', model: LLAMA }, answer: 'D' },
    { reply: { kind: 'referencer', model: FLASH }, answer: 'D' },
    { reply: { kind: 'candidate', index: 0 }, answer: 'B' },
    { reply: { kind: 'candidate', index: 1 }, answer: null },
  ],
};

test('the line above the answer says where the models agree, in short names, with the note of a close choice', () => {
  const view = new RunView(chosenRun(split), render);
  const answer = oneByTestId(view.root, 'answer');
  const line = oneByTestId(answer, 'agreement-line');
  assert.equal(line.hidden, false);
  assert.equal(
    oneByTestId(line, 'agreement-text').textContent,
    'gemini-1.5-pro-002 answers (B) · Meta-Llama-3.1-70B-Instruct and gemini-1.5-flash-002 answer (D) — chose (B): on similar questions gemini-1.5-pro-002 is right more often than such a pair',
  );
  assert.equal(oneByTestId(line, 'models-disagree').textContent, 'models disagree: a close choice between (B) and (D)');
  const children = [...answer.children];
  assert.ok(children.indexOf(line) < children.indexOf(answer.querySelector(':scope > .markdown') as Element), 'the line comes before the answer text');
});

test("each card carries its reply's final answer; a reply stating none carries no badge", () => {
  const view = new RunView(chosenRun(split), render);
  const badge = (selector: string): string | undefined => view.root.querySelector(`${selector} [data-testid="final-answer"]`)?.textContent ?? undefined;
  assert.equal(badge(`[data-testid="referencer"][data-model="${PRO}"]`), '(B)');
  assert.equal(badge(`[data-testid="referencer"][data-model="${FLASH}"]`), '(D)');
  assert.equal(badge('[data-testid="candidate"][data-index="0"]'), '(B)');
  assert.equal(badge('[data-testid="candidate"][data-index="1"]'), undefined);
});

test("the final answers chose a candidate with a lower total: its card says so, and the higher total's card says it was passed over", () => {
  const run = chosenRun(split);
  const lower: RunState = { ...run, candidates: [{ ...run.candidates[0]!, total: 0.537 }, { ...run.candidates[1]!, total: 0.624 }] };
  const view = new RunView(lower, render);
  const note = (index: number): HTMLElement => oneByTestId(view.root.querySelector(`[data-testid="candidate"][data-index="${index}"]`) as HTMLElement, 'candidate-note');
  assert.equal(note(0).hidden, false);
  assert.equal(note(0).textContent, "chosen by the models' final answers: 2 of 5 replies answer (B)");
  assert.equal(note(1).hidden, false);
  assert.equal(note(1).textContent, 'higher total, passed over: it states no final answer; the final answers chose (B)');
  // Where the winner's total is the highest, no card needs a word.
  const view2 = new RunView(run, render);
  for (const card of view2.root.querySelectorAll('[data-testid="candidate"]')) assert.equal(oneByTestId(card as HTMLElement, 'candidate-note').hidden, true);
});

test('a run the final answers did not choose shows no line and no badge', () => {
  const view = new RunView({ ...chosenRun(undefined), selectedBy: 'score', answer: { reply: { kind: 'candidate', index: 0 }, because: 'score' } }, render);
  assert.equal(oneByTestId(view.root, 'agreement-line').hidden, true);
  assert.equal(view.root.querySelectorAll('[data-testid="final-answer"]').length, 0);
});
