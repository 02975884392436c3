/**
 * Learning from choices (issue 6): when the user chooses, reverts or accepts a reply and `smcs.learnFromChoices`
 * is on, the question goes into the bank with a label per referencer (rule in src/core/grading/learning.ts), marked
 * `source: feedback`. Runs in the background; a busy bank (another window writing) is logged, not shown as an error.
 * The first time a choice changes the bank, a notification says so, once, with Undo (the question is removed) and a
 * way to turn learning off.
 */
import * as vscode from 'vscode';
import { writeSetting } from '../settings';
import type { FeedbackResult } from '../../bank/feedback';
import type { ReplyChoice } from './choiceFeedback';
import type { EngineHolder } from '../engineHolder';
import type { Log } from '../log';
import { bankAccessOf, bankLocation, recordedEmbedder } from '../bank/bankCommands';
import { formatQuantity } from '../../shared/format';
import { loadRuntime } from '../loadRuntime';
import { errorMessage } from '../../core/contracts/errors';

/** globalState key: the user was told that choosing a reply adds it to the bank. */
const TOLD_KEY = 'smcs.learnFromChoices.told';

export class ChoiceLearner {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly holder: EngineHolder,
    private readonly log: Log,
    private readonly state: vscode.Memento,
  ) {}

  /** Queues the choice; choices are recorded one after another. */
  onChoice(choice: ReplyChoice): void {
    if (!choice.learn || !choice.chosenText) return;
    this.enqueue(() => this.record(choice), 'learning from the choice was skipped');
  }

  /** Runs `work` after what is queued (bank writes one at a time); a failure is logged with `what`. */
  private enqueue(work: () => Promise<void>, what: string): void {
    this.queue = this.queue.then(work).catch((err: unknown) => {
      this.log.warn(`${what}: ${errorMessage(err)}`);
    });
  }

  private async record(choice: ReplyChoice): Promise<void> {
    const { openBank, recordFeedback } = loadRuntime();
    const dir = bankLocation(this.holder);
    const embedder = await this.holder.embedder();
    const access = bankAccessOf(this.holder);
    const bank = await openBank(dir, { embedder: { id: embedder.id, dimension: await embedder.dimension() }, create: true, write: true, ...access });
    let result: FeedbackResult;
    try {
      result = await recordFeedback(bank, embedder, {
        question: choice.question,
        earlier: choice.earlier,
        ...(choice.context ? { context: choice.context } : {}),
        references: choice.result.referencers.filter((r) => r.ok).map((r) => ({ model: r.model, text: r.text, ...(r.checks ? { checks: r.checks } : {}) })),
        chosen: choice.chosenText,
        // A copy or an insert is implicit: the references' checks outrank it (core/grading/learning rule 0).
      }, { implicit: choice.kind === 'accepted', ...(access.user ? { user: access.user } : {}) });
    } finally {
      await bank.close();
    }
    const labelled = result.labels.filter((l) => l.label !== null).length;
    this.log.info(`learned from a ${choice.kind} reply: ${result.outcome}, ${labelled} referencer label(s)`);
    await this.holder.bankChanged();
    if (result.outcome !== 'skipped' && this.state.get<boolean>(TOLD_KEY) !== true) {
      await this.state.update(TOLD_KEY, true);
      void this.tell(result, labelled);
    }
  }

  /** Says (once) that the choice changed the bank, with Undo and a way to turn learning off. */
  private async tell(result: FeedbackResult, labelled: number): Promise<void> {
    const what = result.outcome === 'added' ? 'added this question to your bank' : 'updated this question in your bank';
    const undo = result.outcome === 'added' ? 'Undo' : 'Remove It';
    const one = labelled === 1;
    const choice = await vscode.window.showInformationMessage(
      `SMCS ${what}: ${formatQuantity(labelled, 'referencer')} labelled by how ${one ? 'its' : 'their'} reply agrees with the one you chose.`,
      undo,
      'Stop Learning',
    );
    if (choice === undo) this.enqueue(() => this.remove(result.id), 'the learned question could not be removed');
    if (choice === 'Stop Learning') {
      await writeSetting('learnFromChoices', false, vscode.ConfigurationTarget.Global);
      this.log.info('learning from choices turned off');
    }
  }

  /** Removes a learned question from the bank. */
  private async remove(id: string): Promise<void> {
    const { openBank, removeFeedback } = loadRuntime();
    const dir = bankLocation(this.holder);
    const access = bankAccessOf(this.holder);
    // Removing needs no embedding model: the bank opens with the embedder it records.
    const bank = await openBank(dir, { embedder: await recordedEmbedder(dir, access), write: true, ...access });
    try {
      await removeFeedback(bank, [id]);
    } finally {
      await bank.close();
    }
    this.log.info(`removed the learned question ${id}`);
    await this.holder.bankChanged();
    void vscode.window.showInformationMessage('SMCS: removed the question from the bank.');
  }
}
