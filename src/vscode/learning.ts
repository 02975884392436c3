/**
 * Learning from choices (issue 6): when the user chooses, reverts or accepts a reply and `smcs.learnFromChoices`
 * is on, the question goes into the bank with a label per referencer (rule in src/core/learning.ts), marked
 * `source: feedback`. Runs in the background; a busy bank (another window writing) is logged, not shown as an error.
 */
import type { ReplyChoice } from './choiceFeedback';
import type { EngineHolder } from './engineHolder';
import type { Log } from './log';
import { bankAccessOf, bankLocation } from './bankCommands';
import { loadRuntime } from './runtime';
import { errorMessage } from '../core/errors';

export class ChoiceLearner {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly holder: EngineHolder,
    private readonly log: Log,
  ) {}

  /** Queues the choice; choices are recorded one after another. */
  onChoice(choice: ReplyChoice): void {
    if (!choice.learn || !choice.chosenText) return;
    this.queue = this.queue.then(() => this.record(choice)).catch((err: unknown) => {
      this.log.warn(`learning from the choice was skipped: ${errorMessage(err)}`);
    });
  }

  private async record(choice: ReplyChoice): Promise<void> {
    const { openBank, recordFeedback } = loadRuntime();
    const dir = bankLocation(this.holder);
    const embedder = await this.holder.embedder();
    const access = bankAccessOf(this.holder);
    const bank = await openBank(dir, { embedder: { id: embedder.id, dimension: await embedder.dimension() }, create: true, write: true, ...access });
    try {
      const result = await recordFeedback(bank, embedder, {
        question: choice.question,
        ...(choice.context ? { context: choice.context } : {}),
        references: choice.result.referencers.filter((r) => r.ok).map((r) => ({ model: r.model, text: r.text })),
        chosen: choice.chosenText,
      }, access.user ? { user: access.user } : {});
      const labelled = result.labels.filter((l) => l.label !== null).length;
      this.log.info(`learned from a ${choice.kind} reply: ${result.outcome}, ${labelled} referencer label(s)`);
    } finally {
      await bank.close();
    }
    await this.holder.bankChanged();
  }
}
