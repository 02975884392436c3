/**
 * The checks stage of an ask: every code-bearing reply — each referencer's as soon as it arrives, each candidate's as
 * its aggregation ends — is run on the checks through the CheckRunner port while the rest of the ask goes on, so the
 * stage adds only the tail of the last runs. When the question has no checks, the first reply with code starts the
 * model-written tests, and every reply seen so far is run once they come. When the question's checks pass and fail
 * every code reply alike though the replies are different programs, tests are written to break the tie (tieBreak.ts)
 * and every reply is run on them too. Cancelled with the ask; a runner that fails leaves replies unchecked and says
 * why, never failing the ask.
 */
import type { Behaviour, CheckRun, CheckRunner, QuestionChecks, TieBreak } from '../contracts/checks';
import { checksForReply, testShapeOf, type TestShape } from './targets';
import { checkScore, checkWeights, replyKey, summarize, withoutUnusable, type Checked, type ReplyChecks } from './decision';
import { agreementWeights, behaviours, type ProbedReply } from './behaviour';
import { deriveInputs } from './derivedInputs';
import { runOnce } from './runOnce';
import type { CheckSet, ReplyRef } from '../contracts/checks';
import { errorMessage } from '../contracts/errors';
import type { PipelineEvent } from '../contracts/events';
import type { TestsPurpose } from './modelTests';
import { checksTie, programOf, TIE_BREAK_WEIGHT, tieBreakSummary, trustedTests } from './tieBreak';

/** Writes tests for a reply of this shape, for a purpose; null when the model gives none. */
export type TestWriter = (shape: TestShape, purpose: TestsPurpose) => Promise<CheckSet | null>;

export interface CheckStageOptions {
  runner: CheckRunner;
  signal: AbortSignal;
  emit: (event: PipelineEvent) => void;
  /** The question and the code the user selected with it, to find the function tests should call. */
  question: string;
  /** The question's checks; undefined when model-written tests are to be asked for instead. */
  checkSet?: CheckSet;
  /** Asks the aggregator for tests: when the question has no checks, or they tie (absent when the setting is off). */
  writeTests?: TestWriter;
  /** The referencers' priors: each model's say when replies are compared on derived inputs. */
  priors?: ReadonlyMap<string, number>;
}

export class CheckStage {
  private checkSet: CheckSet | undefined;
  private readonly replies: { ref: ReplyRef; text: string }[] = [];
  private readonly runs: Promise<void>[] = [];
  private readonly results = new Map<string, ReplyChecks>();
  private testsWritten: Promise<void> | undefined;
  private problem: string | undefined;

  private readonly runner: CheckRunner;

  constructor(private readonly options: CheckStageOptions) {
    this.runner = runOnce(options.runner);
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
    this.testsWritten = writeTests(shape, 'cover').then(
      (set) => {
        if (set) this.use(set);
      },
      (err: unknown) => {
        if (!this.options.signal.aborted) this.use({ source: 'model', checks: [], rules: {}, error: `the tests could not be written: ${errorMessage(err)}` });
      },
    );
  }

  /**
   * Waits for the tests being written and every run started; the check set (with model-test weights), each reply's
   * results and, when the replies the checks rank first are different programs, their behaviour on derived inputs.
   */
  async settle(): Promise<Checked | null> {
    await this.testsWritten;
    // Runs may start while earlier ones are awaited (the tests arrived): wait until none is left.
    for (let seen = 0; seen < this.runs.length; seen = this.runs.length) await Promise.all(this.runs.slice(seen));
    if (!this.checkSet) return null;
    const checkSet: CheckSet = { ...this.checkSet };
    if (checkSet.source === 'model') checkSet.weights = checkWeights(checkSet, [...this.results.values()]);
    if (this.problem !== undefined && checkSet.error === undefined) checkSet.error = this.problem;
    const tieBreak = checkSet.source === 'question' ? await this.breakTie() : undefined;
    if (tieBreak) checkSet.tieBreak = tieBreak;
    const probed = await this.probe(checkSet);
    if (probed) checkSet.derived = probed.derived;
    if (tieBreak || probed) this.options.emit({ type: 'checks', checkSet });
    return { checkSet, results: this.results, ...(probed ? { behaviour: probed.behaviour } : {}) };
  }

  /**
   * When the replies passing the most checks are different programs: each of them run on inputs derived from the
   * call examples, and what they return there compared (behaviour.ts). Undefined when there is nothing to compare.
   */
  private async probe(checkSet: CheckSet): Promise<{ derived: NonNullable<CheckSet['derived']>; behaviour: Map<string, Behaviour> } | undefined> {
    const { signal, priors } = this.options;
    const { runner } = this;
    const derived = deriveInputs(checkSet.checks);
    if (derived.length === 0 || signal.aborted) return undefined;
    const checked = this.replies.flatMap((r) => {
      const result = this.results.get(replyKey(r.ref));
      return result ? [{ ...r, result }] : [];
    });
    const weights = withoutUnusable(checkSet.weights ?? checkWeights(checkSet, checked.map((r) => r.result)), checked.map((r) => r.result));
    const best = Math.max(...checked.map((r) => checkScore(r.result, weights)));
    const leaders = checked.filter((r) => checkScore(r.result, weights) >= best - 1e-9);
    if (new Set(leaders.map((r) => programOf(r.text))).size < 2) return undefined;
    const probes: QuestionChecks = { checks: derived, rules: checkSet.rules, ...(checkSet.setup ? { setup: checkSet.setup } : {}) };
    const runs = await Promise.all(
      leaders.map(async (r): Promise<ProbedReply | undefined> => {
        const own = checksForReply(probes, r.text);
        const done = own === null ? null : await runner.run(r.text, own, signal).catch(() => null);
        return done === null ? undefined : { key: replyKey(r.ref), ...(r.ref.kind === 'referencer' ? { model: r.ref.model } : {}), runs: done };
      }),
    );
    if (signal.aborted) return undefined;
    const probed = runs.filter((r): r is ProbedReply => r !== undefined);
    if (probed.length < 2) return undefined;
    return { derived, behaviour: behaviours(probed, checkSet.rules, agreementWeights(priors ?? new Map())) };
  }

  /**
   * When the question's checks cannot tell the code replies apart: tests written to, every checked reply run on them,
   * the trusted ones chosen by dual agreement and counted into each reply's summary. Undefined when there is no tie.
   */
  private async breakTie(): Promise<TieBreak | undefined> {
    const { writeTests, signal, emit, question } = this.options;
    const { runner } = this;
    const set = this.checkSet;
    if (writeTests === undefined || set === undefined || signal.aborted) return undefined;
    const checked = this.replies.flatMap((r) => {
      const result = this.results.get(replyKey(r.ref));
      return result ? [{ ...r, result }] : [];
    });
    if (!checksTie(checked.map((r) => ({ text: r.text, runs: r.result.runs })))) return undefined;
    // Tests take the shape of the question's checks: a program's input and output, else the reply's function.
    const shape = set.checks.every((c) => c.kind === 'stdio') ? ({ kind: 'stdio' } as const) : checked.map((r) => testShapeOf(r.text, question)).find((s) => s !== null);
    if (shape === undefined) return undefined;
    let written: CheckSet | null;
    try {
      written = await writeTests(shape, 'separate');
    } catch (err) {
      return signal.aborted ? undefined : { checks: [], trusted: [], weight: TIE_BREAK_WEIGHT, error: `the tests could not be written: ${errorMessage(err)}` };
    }
    if (written === null || signal.aborted) return undefined;
    const tests: QuestionChecks = { checks: written.checks, rules: set.rules, ...(set.setup ? { setup: set.setup } : {}) };
    let problem: string | undefined;
    const runs = await Promise.all(
      checked.map(async (r): Promise<CheckRun[] | undefined> => {
        const own = checksForReply(tests, r.text);
        if (own === null) return undefined;
        try {
          return (await runner.run(r.text, own, signal)) ?? undefined;
        } catch (err) {
          problem ??= `the tests could not run: ${errorMessage(err)}`;
          return undefined;
        }
      }),
    );
    if (signal.aborted) return undefined;
    const trusted = trustedTests(runs);
    checked.forEach((r, i) => {
      const own = runs[i];
      if (own === undefined) return;
      const summary = { ...r.result.summary, tieBreak: tieBreakSummary(own, trusted) };
      this.results.set(replyKey(r.ref), { ...r.result, summary });
      emit({ type: 'reply-checked', reply: r.ref, checks: summary, runs: r.result.runs });
    });
    return { checks: written.checks, trusted, weight: TIE_BREAK_WEIGHT, ...(problem !== undefined ? { error: problem } : {}) };
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
    const { signal, emit } = this.options;
    const { runner } = this;
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
