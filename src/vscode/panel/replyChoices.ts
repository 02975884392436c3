/**
 * The user's choices among a run's replies, as feedback: choosing a candidate (or reverting to the answer), using a
 * referencer's reply the checks offered, and taking the shown reply's code (Copy, Insert, an accepted Apply). Each is
 * applied to the run, reported to telemetry and fired as a `ReplyChoice` the bank learns from; an accepted Apply can be
 * taken back (Undo Apply), and what the bank learned from it with it. Free of `vscode`.
 */
import { answerText } from '../../core/contracts/answer';
import { errorMessage } from '../../core/contracts/errors';
import { selectionText } from '../../core/context/contextItem';
import { sameReply } from '../../presentation/answerNames';
import { answerView } from '../../presentation/answerView';
import { resultFromRun } from '../../presentation/runResult';
import type { RunAction, RunState } from '../../presentation/runState';
import type { WebviewToHost } from '../../presentation/protocol';
import type { ChoiceEmitter, ReplyChoice, ReplyChoiceKind } from '../learning/choiceFeedback';
import type { LogLevel } from '../log';
import type { Telemetry } from '../telemetry/telemetry';
import { replyChosenEvent, telemetryEvent } from '../telemetry/telemetryEvents';
import type { PanelRuns } from './panelRuns';

export interface ReplyChoicesDeps {
  runs: PanelRuns;
  choices: Pick<ChoiceEmitter, 'fire'>;
  telemetry: Pick<Telemetry, 'send'>;
  log: { write(level: LogLevel, message: string): void };
  /** `smcs.learnFromChoices` now: false = the bank does not add what the user chose. */
  learnFromChoices: () => boolean;
  /** Takes back what the bank learned from `choice`; true when it had learned something. */
  forgetLearning: (choice: ReplyChoice) => Promise<boolean>;
}

/** A reply taken by accepting its code: whether the bank learns from it, and how to forget that (true when it had). */
export interface TakenReply {
  readonly learning: boolean;
  forget(): Promise<boolean>;
}

export class ReplyChoices {
  /** Replies already taken (`run:candidate:reference`), with the choice fired for each: each is learned from once. */
  private readonly accepted = new Map<string, ReplyChoice | undefined>();

  constructor(private readonly deps: ReplyChoicesDeps) {
    deps.runs.onDidClear(() => this.accepted.clear());
  }

  /** Makes a candidate the reply (`null` reverts to the run's answer); persisted and reported as feedback. */
  async choose(runId: string, index: number | null): Promise<void> {
    await this.applyChoice(runId, { type: 'choose', index }, index === null ? 'reverted' : 'chosen');
  }

  /** Makes a referencer's reply the answer (the checks offered it); persisted and reported as feedback like a choice. */
  async useReference(runId: string, model: string): Promise<void> {
    await this.applyChoice(runId, { type: 'use-reference', model }, 'chosen');
  }

  /** The user copied, inserted or opened a code block of a run (the editor part is done): reported, and learned from when it is the shown reply's. */
  codeUsed(msg: Extract<WebviewToHost, { type: 'code' }>): void {
    const run = msg.runId !== undefined ? this.deps.runs.find(msg.runId) : undefined;
    const fromShown = run !== undefined && msg.candidate !== undefined && msg.candidate === answerView(run).candidate;
    this.deps.telemetry.send(
      telemetryEvent('code.action', { action: msg.action, fromWinner: String(run !== undefined && msg.candidate === run.winner) }, { candidate: msg.candidate }),
    );
    if (run && fromShown && msg.action !== 'open') this.replyAccepted(run);
  }

  /**
   * A change from run `runId`'s kept reply was applied (Apply → Accept): the user took that reply. Returns how to take
   * that back (undefined when the reply was taken before, by Copy or Insert): forgetting it also lets the reply be
   * learned from again when it is taken again.
   */
  appliedFrom(runId: string): TakenReply | undefined {
    const run = this.deps.runs.find(runId);
    const choice = run ? this.replyAccepted(run) : undefined;
    if (!choice) return undefined;
    return {
      learning: choice.learn,
      forget: () => {
        this.untake(choice);
        return this.deps.forgetLearning(choice);
      },
    };
  }

  /**
   * What `choice` taught was forgotten: its reply, taken again, is learned from again; a forgotten choice of a candidate
   * or a reference no longer stands, so its run shows its own answer again (not "Your choice: …").
   */
  untake(choice: ReplyChoice): void {
    for (const [key, taken] of this.accepted) if (taken === choice) this.accepted.delete(key);
    if (choice.kind !== 'chosen') return;
    const { runs } = this.deps;
    const run = runs.find(choice.runId);
    // A later choice of another reply stands: only the forgotten one is taken back.
    if (!run || run.choice === undefined || answerView(run).candidate !== choice.chosenIndex) return;
    runs.apply(run.id, { type: 'choose', index: null });
    runs.flush();
    void runs.persist();
  }

  private async applyChoice(runId: string, action: Extract<RunAction, { type: 'choose' | 'use-reference' }>, kind: ReplyChoiceKind): Promise<void> {
    const { runs } = this.deps;
    const before = runs.find(runId);
    if (!before) return;
    runs.apply(runId, action);
    runs.flush();
    const after = runs.find(runId);
    // The action changed nothing (the same reply again, or a choice the run does not take): nothing to report.
    if (!after || (after.choice === undefined ? before.choice === undefined : sameReply(after.choice, before.choice))) return;
    // A referencer's reply counts as candidate −1 (no candidate stands as the reply).
    const reverted = after.choice === undefined;
    this.deps.telemetry.send(replyChosenEvent(answerView(after).candidate, after.winner ?? -1, after.candidates.length, reverted));
    this.emitChoice(after, kind);
    await runs.persist();
  }

  /** The user took the shown reply's code (Copy, Insert, an accepted Apply): learned from once per reply. Returns the choice fired, if any. */
  private replyAccepted(run: RunState): ReplyChoice | undefined {
    // Every referencer's reply counts as candidate −1: the model tells them apart.
    const { candidate, reference } = answerView(run);
    const key = `${run.id}:${candidate}:${reference ?? ''}`;
    if (this.accepted.has(key)) return undefined;
    const choice = this.emitChoice(run, 'accepted');
    this.accepted.set(key, choice);
    return choice;
  }

  private emitChoice(run: RunState, kind: ReplyChoiceKind): ReplyChoice | undefined {
    const result = resultFromRun(run);
    if (!result) return undefined;
    const shown = answerView(run);
    const selected = selectionText(run.selection?.items ?? []);
    const choice: ReplyChoice = {
      kind,
      runId: run.id,
      question: run.question,
      result,
      chosenIndex: shown.candidate,
      chosenText: shown.text ?? answerText(result),
      learn: this.deps.learnFromChoices(),
      ...(selected !== '' ? { context: selected } : {}),
      // A follow-up is learned with the questions that make it one: those of the earlier turns the models received.
      earlier: this.deps.runs.earlierQuestions(run),
    };
    this.deps.choices.fire(choice, (err) => this.deps.log.write('error', `a reply-choice listener failed: ${errorMessage(err)}`));
    this.deps.log.write('info', `ask ${run.id}: reply ${kind} (${shown.reference !== undefined ? `the reply of ${shown.reference}` : `candidate ${choice.chosenIndex + 1}`})`);
    return choice;
  }
}
