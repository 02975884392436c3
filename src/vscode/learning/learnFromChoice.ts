/**
 * Learning from choices (issue 6): when the user chooses, reverts or accepts a reply and `smcs.learnFromChoices`
 * is on, the question goes into the bank with a label per referencer (rule in src/core/grading/learning.ts), marked
 * `source: feedback`. Runs in the background; a busy bank (another window writing) is logged, not shown as an error.
 * The first time a choice changes the bank, a notification says so, once, with Forget This Choice (the bank as it was
 * before the choice) and a way to turn learning off. Undo Apply forgets the choice an accepted Apply made the same way.
 * VS Code cannot close a message it showed, so that notice is one with progress, open while its choice stands: it
 * closes once the choice is forgotten, however (Undo Apply too), or learning is turned off (issue 62 item 8).
 */
import * as vscode from 'vscode';
import { writeSetting } from '../settings';
import type { FeedbackInput, FeedbackResult } from '../../bank/feedback';
import type { ReplyChoice } from './choiceFeedback';
import type { EngineHolder } from '../engineHolder';
import type { Log } from '../log';
import { bankAccessOf, bankLocation, recordedEmbedder } from '../bank/bankCommands';
import { learnedText } from '../../presentation/learnedText';
import { loadRuntime } from '../loadRuntime';
import { errorMessage } from '../../core/contracts/errors';

/** globalState key: the user was told that choosing a reply adds it to the bank. */
const TOLD_KEY = 'smcs.learnFromChoices.told';

const FORGET = 'Forget This Choice';

/** The commands of the notice's links: forget the choice it is about, stop learning. Internal: not in the palette. */
export const LEARNED_NOTICE_COMMANDS = { forget: 'smcs.learnedNotice.forget', stop: 'smcs.learnedNotice.stopLearning' } as const;

/** The notice's text with its two links (a notification with progress has no buttons of an extension's own). */
export function learnedNoticeText(learned: string): string {
  return `${learned} [${FORGET}](command:${LEARNED_NOTICE_COMMANDS.forget}) · [Stop Learning](command:${LEARNED_NOTICE_COMMANDS.stop})`;
}

export class ChoiceLearner {
  private queue: Promise<void> = Promise.resolve();
  /** What each choice taught the bank (settled once written), until it is forgotten. */
  private readonly learned = new WeakMap<ReplyChoice, Promise<FeedbackResult | undefined>>();
  private readonly forgetListeners: ((choice: ReplyChoice) => void)[] = [];
  /** The choice the open notice is about, and what closes the notice. */
  private notice: { choice: ReplyChoice; close: () => void } | undefined;

  constructor(
    private readonly holder: EngineHolder,
    private readonly log: Log,
    private readonly state: vscode.Memento,
  ) {}

  /** Queues the choice; choices are recorded one after another. */
  onChoice(choice: ReplyChoice): void {
    if (!choice.learn || !choice.chosenText) return;
    this.learned.set(choice, this.enqueue(() => this.record(choice), 'learning from the choice was skipped'));
  }

  /** Calls `listener` with every choice forgotten, however it was (its reply may be learned from again when taken again). */
  onDidForget(listener: (choice: ReplyChoice) => void): void {
    this.forgetListeners.push(listener);
  }

  /**
   * Takes back what `choice` taught the bank, queued behind the bank's other writes: an added question leaves, an
   * updated one gets its earlier labels back. True when there was something to forget; a failure is shown with the remedy.
   */
  async forget(choice: ReplyChoice): Promise<boolean> {
    const learned = this.learned.get(choice);
    if (!learned) return false;
    this.learned.delete(choice);
    let id: string | undefined;
    const forgot = await this.enqueue(async () => {
      const result = await learned;
      if (!result || result.outcome === 'skipped') return false;
      id = result.id;
      await this.takeBack(result);
      return true;
    }, 'the choice could not be forgotten');
    if (forgot === undefined) {
      void vscode.window.showWarningMessage(`SMCS: the bank could not forget this choice. Remove it with \`smcs bank feedback remove ${id ?? ''}\`.`);
    }
    if (forgot === true) for (const listener of this.forgetListeners) listener(choice);
    // Forgotten now or before, the choice no longer stands: its notice has nothing left to offer.
    if (this.notice?.choice === choice) this.notice.close();
    return forgot === true;
  }

  /** The notice's links: Forget This Choice, and Stop Learning (which closes it too). */
  commands(): Record<string, () => Promise<void>> {
    return {
      [LEARNED_NOTICE_COMMANDS.forget]: async () => {
        const told = this.notice?.choice;
        if (!told) return;
        const forgot = await this.forget(told);
        void vscode.window.showInformationMessage(forgot ? 'SMCS: the bank forgot this choice; it is as it was before.' : 'SMCS: this choice was already forgotten.');
      },
      [LEARNED_NOTICE_COMMANDS.stop]: async () => {
        this.notice?.close();
        await writeSetting('learnFromChoices', false, vscode.ConfigurationTarget.Global);
        this.log.info('learning from choices turned off');
      },
    };
  }

  /** Runs `work` after what is queued (bank writes one at a time); a failure is logged with `what` and settles undefined. */
  private enqueue<T>(work: () => Promise<T>, what: string): Promise<T | undefined> {
    const done = this.queue.then(work).catch((err: unknown) => {
      this.log.warn(`${what}: ${errorMessage(err)}`);
      return undefined;
    });
    this.queue = done.then(() => undefined);
    return done;
  }

  /** Whose bank a choice labels: the team's, through the server, when a team server is the engine; else this window's. */
  private bankName(): 'your' | 'the team' {
    return this.holder.teamServer() ? 'the team' : 'your';
  }

  private async record(choice: ReplyChoice): Promise<FeedbackResult> {
    const result = this.holder.teamServer() ? await this.recordOnServer(choice) : await this.recordHere(choice);
    const labelled = result.labels.filter((l) => l.label !== null).length;
    this.log.info(`learned from a ${choice.kind} reply${this.holder.teamServer() ? ' (team server)' : ''}: ${result.outcome}, ${labelled} referencer label(s)`);
    await this.holder.bankChanged();
    if (result.outcome === 'skipped' && result.skipped === 'held') void vscode.window.showInformationMessage(learnedText(result, this.bankName()));
    else if (result.outcome !== 'skipped' && this.state.get<boolean>(TOLD_KEY) !== true) {
      await this.state.update(TOLD_KEY, true);
      this.tell(choice, result);
    }
    return result;
  }

  /** The choice as the bank's rule reads it: the question, its turns and code, every referencer's reply, the reply chosen. */
  private feedbackInput(choice: ReplyChoice): FeedbackInput {
    return {
      question: choice.question,
      earlier: choice.earlier,
      ...(choice.context ? { context: choice.context } : {}),
      references: choice.result.referencers.filter((r) => r.ok).map((r) => ({ model: r.model, text: r.text, ...(r.checks ? { checks: r.checks } : {}) })),
      chosen: choice.chosenText,
    };
  }

  /** A team server's bank learns the choice through the server, with the person's key (engine/serverEngine). */
  private async recordOnServer(choice: ReplyChoice): Promise<FeedbackResult> {
    const engine = await this.holder.get();
    return engine.learnFromChoice(this.feedbackInput(choice), { implicit: choice.kind === 'accepted' });
  }

  private async recordHere(choice: ReplyChoice): Promise<FeedbackResult> {
    const { openBank, recordFeedback } = loadRuntime();
    const dir = bankLocation(this.holder);
    const embedder = await this.holder.embedder();
    const access = bankAccessOf(this.holder);
    const bank = await openBank(dir, { embedder: { id: embedder.id, dimension: await embedder.dimension() }, create: true, write: true, ...access });
    try {
      // A copy or an insert is implicit: the references' checks outrank it (core/grading/learning rule 0).
      return await recordFeedback(bank, embedder, this.feedbackInput(choice), { implicit: choice.kind === 'accepted', ...(access.user ? { user: access.user } : {}) });
    } finally {
      await bank.close();
    }
  }

  /**
   * Says (once) that the choice changed the bank, with Forget This Choice and a way to turn learning off: a notification
   * with progress (full at once: nothing is under way), open until the choice is forgotten, learning is turned off, or
   * the user dismisses it (its Cancel).
   */
  private tell(choice: ReplyChoice, result: FeedbackResult): void {
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: learnedNoticeText(learnedText(result, this.bankName())), cancellable: true }, (progress, token) => {
      progress.report({ increment: 100 });
      return new Promise<void>((resolve) => {
        const notice = { choice, close: () => resolve() };
        this.notice = notice;
        token.onCancellationRequested(() => resolve());
      }).finally(() => {
        if (this.notice?.choice === choice) this.notice = undefined;
      });
    });
  }


  /** Writes the bank back to what it was before the choice of `result`. */
  private async takeBack(result: FeedbackResult): Promise<void> {
    if (this.holder.teamServer()) {
      await (await this.holder.get()).forgetChoice(result);
      this.log.info(`the team server forgot the choice that ${result.outcome} the question ${result.id}`);
      return;
    }
    const { openBank, forgetFeedback } = loadRuntime();
    const dir = bankLocation(this.holder);
    const access = bankAccessOf(this.holder);
    // Forgetting needs no embedding model: the bank opens with the embedder it records, and the vector is kept.
    const bank = await openBank(dir, { embedder: await recordedEmbedder(dir, access), write: true, ...access });
    try {
      await forgetFeedback(bank, result, access.user ? { user: access.user } : {});
    } finally {
      await bank.close();
    }
    this.log.info(`forgot the choice that ${result.outcome} the question ${result.id}`);
    await this.holder.bankChanged();
  }
}
