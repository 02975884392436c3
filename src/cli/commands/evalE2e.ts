/**
 * `smcs eval e2e SET.jsonl`: the whole method end to end on code questions with several models' recorded replies
 * (issue 32). Each line is `{"id", "question", "replies": {"<model>": "<reply>"}, "correct": {"<model>": 0|1}}` (more
 * fields are ignored). The questions are dealt into folds; each is asked through the real pipeline — RPS over a bank
 * of the other folds' questions and labels, prior-drop subsets, the checks run in the sandbox — with the recorded
 * replies as the referencers' and an aggregator that copies the reference it was given first (core/eval/replay.ts).
 * An answer is right when it is a right model's reply. Reports the answer's solved count beside the best single model,
 * routing's top-1, the majority of the K routed models' final answers and any of them, per fold (and per domain, for
 * rows with a "domain"), at each seed of the subset draws (the folds stay the same); `--logprobs` replays the replies
 * with log-probabilities.
 * Embeds with the config's embedder when `--config` is given, else the lexical one. A reply's runs on the checks are
 * kept across asks and seeds: the same text on the same checks runs once.
 */
import { MAX_TEXT_FILE_BYTES, readUserFile, utf8Text } from '../../files/userFile';
import path from 'node:path';
import type { Embedder } from '../../core/contracts/types';
import { e2eReport, type E2eOutcome, type E2eReport, type E2eTask } from '../../core/eval/e2eEval';
import { askReplayed, replayFolds } from '../../core/eval/e2eReplay';
import { at } from '../../core/util/arrays';
import { LexicalEmbedder } from '../../embed/lexical';
import { embedderFor } from '../../engine/engine';
import { runOnce } from '../../core/checks/runOnce';
import { createCheckRunner } from '../../sandbox/checkRunner';
import { cliHooks, loadConfig, printText, type GlobalOptions } from '../context';
import { UsageError } from '../errors';
import { jsonlRows } from '../jsonlRows';
import { jsonDocument } from '../../presentation/jsonDocument';
import { mathEquivalence } from '../../engine/mathEquivalence';

export interface EvalE2eOptions extends GlobalOptions {
  file: string;
  folds: number;
  k: number;
  n: number;
  kDrop: number;
  /** Seeds of the asks' subset draws: the whole set is asked once per seed. */
  seeds: number[];
  /** The replayed replies come with log-probabilities (core/eval/replay `replayLogprobs`). */
  logprobs?: boolean;
  /** The agreement shortcut: `true` as `balanced` and `budget` run it, `answers` as `quality` runs it by default. */
  agreementShortcut?: boolean | 'answers';
  json?: boolean;
}

/** The tasks of the file; a line that is not one is an error naming the line and what is wrong. */
export function parseTasks(text: string, file: string): E2eTask[] {
  const tasks = jsonlRows(text, file, (value, where, line): E2eTask => {
    const row = value as Partial<Record<keyof E2eTask, unknown>> | null;
    if (typeof row !== 'object' || row === null || typeof row.question !== 'string') throw new UsageError(`${where} has no "question" string`);
    const replies = row.replies as Record<string, unknown> | undefined;
    if (typeof replies !== 'object' || replies === null || Object.values(replies).some((r) => typeof r !== 'string') || Object.keys(replies).length === 0) throw new UsageError(`${where}: "replies" must map each model to its reply text`);
    const correct = row.correct as Record<string, unknown> | undefined;
    if (typeof correct !== 'object' || correct === null || Object.keys(replies).some((m) => correct[m] !== 0 && correct[m] !== 1)) throw new UsageError(`${where}: "correct" must give 0 or 1 for every model in "replies"`);
    return { id: typeof row.id === 'string' ? row.id : `line ${line}`, question: row.question, replies: replies as Record<string, string>, correct: correct as Record<string, number>, ...(typeof row.domain === 'string' ? { domain: row.domain } : {}) };
  });
  if (tasks.length < 2) throw new UsageError(`${file} needs at least two questions`);
  return tasks;
}

export async function evalE2eCommand(options: EvalE2eOptions): Promise<(E2eReport & { seed: number })[]> {
  const text = utf8Text(await readUserFile(options.file, { label: `the eval set ${options.file}`, maxBytes: MAX_TEXT_FILE_BYTES }));
  if (options.folds < 2) throw new UsageError('--folds must be at least 2');
  const tasks = parseTasks(text, path.basename(options.file));
  if (options.folds > tasks.length) throw new UsageError(`--folds ${options.folds} is more than the ${tasks.length} questions`);
  const models = [...new Set(tasks.flatMap((t) => Object.keys(t.replies)))];
  const embedder: Embedder = options.config === undefined ? new LexicalEmbedder() : embedderFor(loadConfig(options), cliHooks(options), () => {
    throw new UsageError('eval e2e cannot use an endpoint embedder; use transformers or lexical');
  });
  const { foldOf, banks } = await replayFolds(tasks, embedder, options.folds);
  const near = banks.map((bank) => bank.near());
  const runner = runOnce(createCheckRunner());
  const signal = options.signal ?? new AbortController().signal;
  const reports: (E2eReport & { seed: number; outcomes: E2eOutcome[] })[] = [];
  for (const seed of options.seeds) {
    const outcomes: E2eOutcome[] = [];
    for (const [i, task] of tasks.entries()) {
      const fold = at(foldOf, i);
      const asked = await askReplayed(task, task.replies, fold, at(banks, fold), { k: options.k, n: options.n, kDrop: options.kDrop, seed, models, near: at(near, fold), embedder, checkRunner: runner, signal, logprobs: options.logprobs === true, agreementShortcut: options.agreementShortcut ?? false, sameMath: mathEquivalence });
      outcomes.push(asked.outcome);
      if (!options.json) process.stderr.write(`\rseed ${seed}: ${outcomes.length}/${tasks.length} asked`);
    }
    reports.push({ ...e2eReport(tasks, outcomes, models), seed, outcomes });
  }
  if (options.json) {
    process.stdout.write(`${jsonDocument({ k: options.k, n: options.n, kDrop: options.kDrop, folds: options.folds, agreementShortcut: options.agreementShortcut ?? false, runs: reports }, 2)}\n`);
    return reports;
  }
  process.stderr.write('\n');
  for (const report of reports) printText(reportLines(report, options).join('\n'));
  return reports;
}

function reportLines(report: E2eReport & { seed: number }, options: EvalE2eOptions): string[] {
  const line = (name: string, solved: number) => `  ${name.padEnd(34)} ${String(solved).padStart(4)} of ${report.n}`;
  return [
    `seed ${report.seed}: ${report.n} questions, ${report.models.length} models, ${report.folds} folds (K=${options.k}, n=${options.n}, Kdrop=${options.kDrop}, agreement shortcut ${shortcutWords(options.agreementShortcut)})`,
    line('the answer', report.solved),
    `  calls per ask                      ${report.calls.perAsk.toFixed(2)} (${report.calls.total} calls)`,
    `  the agreement shortcut saved ${report.shortcut.savedCalls} aggregations on ${report.shortcut.asks} asks, the answer right on ${report.shortcut.solved} of them`,
    line(`best single (${report.bestSingle.model})`, report.bestSingle.solved),
    line("routing's top-1", report.top1),
    line('majority of the K routed', report.majorityK),
    line('any of the K routed', report.anyK),
    line('any of all models', report.anyAll),
    ...report.byFold.map((f) => `  fold ${f.fold}: answer ${f.solved}, best single ${f.bestSingle.solved} (${f.bestSingle.model}), top-1 ${f.top1}, any of K ${f.anyK} of ${f.n}`),
    `  lost with a right reply routed: ${report.lost.byChecks} chosen by the checks, ${report.lost.byScore} by the score; ${report.fromReferences} answers are a referencer's own reply; ${report.collapsed} asks drew one subset`,
    `  the examples tied different programs on ${report.derived.asks} asks (run on derived inputs): ${report.derived.solved} solved`,
    `  the answer and top-1 differ in being right on ${report.changed.asks} asks: the answer right on ${report.changed.solved}, top-1 on ${report.changed.top1}`,
    `  the replies' working decided the final answer on ${report.byWorking.asks} asks: the answer right on ${report.byWorking.solved}, the majority of K on ${report.byWorking.majorityK}`,
    `  the first candidate (what a streamed answer shows first) is the answer on ${report.firstCandidate.chosen} asks and right on ${report.firstCandidate.solved}`,
    ...Object.entries(report.byDomain).map(([domain, d]) => `  ${domain}: answer ${d.solved}, best single ${d.bestSingle.solved}, top-1 ${d.top1}, majority ${d.majorityK}, any of K ${d.anyK} of ${d.n}`),
  ];
}

/** The shortcut a report ran with, in words. */
function shortcutWords(shortcut: boolean | 'answers' | undefined): string {
  return shortcut === 'answers' ? 'on option questions' : shortcut === true ? 'on' : 'off';
}
