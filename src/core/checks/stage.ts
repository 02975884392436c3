/**
 * The checks stage of an ask: every code-bearing reply — each referencer's as soon as it arrives, each candidate's as
 * its aggregation ends — is run on the checks through the CheckRunner port while the rest of the ask goes on, so the
 * stage adds only the tail of the last runs. When the question has no checks, the first reply with code starts the
 * model-written tests, and every reply seen so far is run once they come. Cancelled with the ask; a runner that fails
 * leaves replies unchecked and says why, never failing the ask.
 */
import type { CheckRunner, QuestionChecks } from '../contracts/checks';
import { checksForReply, testShapeOf, type TestShape } from './targets';
import { checkWeights, replyKey, summarize, type ReplyChecks } from './selection';
import type { CheckSet, ReplyRef } from '../contracts/checks';
import { errorMessage } from '../contracts/errors';
import type { PipelineEvent } from '../contracts/events';

/** Writes tests for a reply of this shape; null when the model gives none. */
export type TestWriter = (shape: TestShape) => Promise<CheckSet | null>;

export interface CheckStageOptions {
  runner: CheckRunner;
  signal: AbortSignal;
  emit: (event: PipelineEvent) => void;
  /** The question and its editor context, to find the function tests should call. */
  question: string;
  /** The question's checks; undefined when model-written tests are to be asked for instead. */
  checkSet?: CheckSet;
  /** Asks the aggregator for tests (absent when the setting is off or the question has checks). */
  writeTests?: TestWriter;
}

export class CheckStage {
  private checkSet: CheckSet | undefined;
  private readonly replies: { ref: ReplyRef; text: string }[] = [];
  private readonly runs: Promise<void>[] = [];
  private readonly results = new Map<string, ReplyChecks>();
  private testsWritten: Promise<void> | undefined;
  private problem: string | undefined;

  constructor(private readonly options: CheckStageOptions) {
    if (options.checkSet) this.use(options.checkSet);
  }

  /** A reply arrived: run it on the checks (or, the first with code, have tests written for it). */
  reply(ref: ReplyRef, text: string): void {
    if (this.options.signal.aborted) return;
    this.replies.push({ ref, text });
    if (this.checkSet) {
      this.start(ref, text);
      return;
    }
    const { writeTests } = this.options;
    if (writeTests === undefined || this.testsWritten !== undefined) return;
    const shape = testShapeOf(text, this.options.question);
    if (shape === null) return;
    this.testsWritten = writeTests(shape).then(
      (set) => {
        if (set) this.use(set);
      },
      (err: unknown) => {
        if (!this.options.signal.aborted) this.use({ source: 'model', checks: [], rules: {}, error: `the tests could not be written: ${errorMessage(err)}` });
      },
    );
  }

  /** Waits for the tests being written and every run started; the check set (with model-test weights) and each reply's results. */
  async settle(): Promise<{ checkSet: CheckSet; results: ReadonlyMap<string, ReplyChecks> } | null> {
    await this.testsWritten;
    // Runs may start while earlier ones are awaited (the tests arrived): wait until none is left.
    for (let seen = 0; seen < this.runs.length; seen = this.runs.length) await Promise.all(this.runs.slice(seen));
    if (!this.checkSet) return null;
    const checkSet: CheckSet = { ...this.checkSet };
    if (checkSet.source === 'model') checkSet.weights = checkWeights(checkSet, [...this.results.values()]);
    if (this.problem !== undefined && checkSet.error === undefined) checkSet.error = this.problem;
    return { checkSet, results: this.results };
  }

  private use(checkSet: CheckSet): void {
    this.checkSet = checkSet;
    this.options.emit({ type: 'checks', checkSet });
    for (const r of this.replies) this.start(r.ref, r.text);
  }

  private start(ref: ReplyRef, text: string): void {
    const set = this.checkSet;
    if (!set || set.checks.length === 0) return;
    const own = checksForReply({ checks: set.checks, rules: set.rules, ...(set.setup ? { setup: set.setup } : {}) } satisfies QuestionChecks, text);
    if (own === null) return;
    const { runner, signal, emit } = this.options;
    this.runs.push(
      runner.run(text, own, signal).then(
        (runs) => {
          if (runs === null || signal.aborted) return;
          const result = { summary: summarize(runs, set.source), runs };
          this.results.set(replyKey(ref), result);
          emit({ type: 'reply-checked', reply: ref, checks: result.summary, runs });
        },
        (err: unknown) => {
          if (!signal.aborted) this.problem ??= `the checks could not run: ${errorMessage(err)}`;
        },
      ),
    );
  }
}
