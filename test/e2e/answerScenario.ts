/**
 * The scenario of the panel's answer tests (issue 18): seven models with the long names servers list, priced so every
 * answer has a cost, scripted replies with LaTeX as models write it, a bank the size of a real one, and `lookAt`,
 * which checks a state as a person would see it at a 300 px and a 700 px side bar in the dark, light and
 * high-contrast themes and keeps a screenshot of each (`.test-results/screenshots/<state>-<width>-<theme>.png`).
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import type { ModelBehaviour, RecordedRequest } from '../fixtures/loopbackUpstream';
import { mathProblems } from './answerGeometry';
import { contrastProblems, cutNameProblems, overflowProblems, overlapProblems } from './panelGeometry';
import { lookInEveryView } from './views';
import type { Workbench } from './workbench';

export const LLAMA_8B = 'meta-llama/Meta-Llama-3.1-8B-Instruct';
export const LLAMA_70B = 'meta-llama/Meta-Llama-3.1-70B-Instruct';
export const LLAMA_405B = 'meta-llama/Meta-Llama-3.1-405B-Instruct';
export const GEMINI_PRO = 'gemini-1.5-pro-002';
export const QWEN = 'qwen/qwen-2.5-coder-32b-instruct';
export const MIXTRAL = 'mistralai/Mixtral-8x22B-Instruct-v0.1';
export const DEEPSEEK = 'deepseek-ai/DeepSeek-Coder-V2-Lite-Instruct';
/** Seven models, as the paper's K = 7: long names, as servers list them. */
export const MODELS = [LLAMA_405B, LLAMA_70B, QWEN, GEMINI_PRO, MIXTRAL, DEEPSEEK, LLAMA_8B];
/** Prices per token (as OpenRouter lists them), so every answer has a cost. */
export const SERVED = MODELS.map((id, i) => ({ id, pricing: { prompt: 0.0000001 * (i + 1), completion: 0.0000004 * (i + 1) } }));
export const SETTINGS = { 'smcs.k': 7, 'smcs.n': 8, 'smcs.aggregator': LLAMA_405B };

const isAggregation = (request: RecordedRequest): boolean => /Reference from /.test(JSON.stringify(request.body));

/** A candidate with LaTeX as models write it, and shell code whose `$` is not math. */
export function latexCandidate(n: number): string {
  return [
    `Candidate ${n}: there are 3 choices for the first item and 2 for the second, so the number of ordered pairs is`,
    '\\[ 3 \\times 2 = 6 \\]',
    `so the answer is \\(\\boxed{6}\\). In general, ordering $k$ of $n$ items gives $$\\frac{n!}{(n-k)!}$$ arrangements, and the pairs are $\\sqrt{36} = 6$.`,
    '',
    '```sh',
    `echo "$HOME" $((3 * 2)) # candidate ${n}`,
    '```',
    '',
    `In Python, \`itertools.permutations(items, 2)\` lists them (\`$PATH\` is not math).`,
  ].join('\n');
}

/** Every model answers as a referencer with a short reply, and as the aggregator with `candidate(n)`. */
export function scriptAnswers(wb: Workbench, candidate: (n: number) => string, options: ModelBehaviour = {}, only: Record<string, ModelBehaviour> = {}): void {
  let candidates = 0;
  for (const model of MODELS) {
    wb.fake.script(model, {
      ...options,
      ...only[model],
      reasoning: model === LLAMA_405B ? 'Count the first choice, then the second: the rule of product.' : '',
      reply: (request) => {
        if (!isAggregation(request)) return `Reference from ${model}: there are 3 × 2 = 6 ordered pairs; itertools.permutations lists them. ${'Each pair is a tuple. '.repeat(3)}`;
        candidates += 1;
        return candidate(candidates);
      },
    });
  }
}

/** A bank the size of a real one: 12,000 questions in four domains, every model labelled, so counts run to thousands. */
export function bigBank(dir: string): string {
  const domains = ['combinatorics', 'python', 'databases', 'networking'];
  const skill = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3];
  const lines = Array.from({ length: 12_000 }, (_, i) => {
    const domain = domains[i % domains.length] ?? 'python';
    return JSON.stringify({
      id: `q-${i + 1}`,
      question: `Question ${i + 1} on ${domain}: how many ordered pairs of distinct items can be drawn from ${3 + (i % 7)} items, and how are they listed in Python?`,
      answer: 'B',
      grader: 'choice',
      domain,
      correct: Object.fromEntries(MODELS.map((m, j) => [m, (i * 37 + j * 11) % 100 < (skill[j] ?? 0.5) * 100 ? 1 : 0])),
    });
  });
  const file = path.join(dir, 'big-bank.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** Waits for the latest run to reach `status`. */
export async function lastRun(wb: Workbench, status: string): Promise<void> {
  await wb.panel().locator(`[data-testid="run"]:last-of-type[data-status="${status}"]`).waitFor();
}

/** Shows a state at both widths and every theme: scrolls to it, checks what a person would see, keeps a screenshot. */
export async function lookAt(wb: Workbench, state: string, options: { scrollTo?: string; check?: (frame: Frame, width: number) => Promise<string[]> } = {}): Promise<void> {
  await lookInEveryView(wb, state, options.scrollTo, async (frame, width) => [
    ...(await overflowProblems(frame)),
    ...(await overlapProblems(frame)),
    ...(await contrastProblems(frame)),
    ...(await cutNameProblems(frame)),
    ...(await mathProblems(frame)).problems,
    ...(options.check ? await options.check(frame, width) : []),
  ]);
}
