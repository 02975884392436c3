/**
 * The answer as it is written (issue 68), for `smcs serve`'s `smcs*` models with `stream: true` and for `@smcs`: the
 * first aggregation's words go out while the model writes them, instead of the whole answer once the run is scored. Measured on the
 * replays (`smcs eval e2e`: the first candidate is the answer on 109 of 140 held-out MMLU-Pro questions and 259 of 300
 * GSM8K ones), the choice keeps it most of the time. When the choice is another reply, nothing streamed is taken back
 * — a client can only append — so the stream says so and appends the chosen answer: "Chosen instead: candidate 2, …".
 * A run that never streams (no aggregation, the agreement shortcut) sends its answer whole at the end, as before.
 */
import type { PipelineEvent } from '../core/contracts/events';
import type { ReplyRef, SelectedBy } from '../core/contracts/checks';
import { textPieces } from './textPieces';

/** What the choice was, as the line after a streamed reply the choice passed over says it. */
export interface Chosen {
  answer: { reply: ReplyRef };
  selectedBy: SelectedBy;
}

/** Where the chunks go: `content` as a delta (the role first, once), in order. */
export interface AnswerWriter {
  role(): void;
  content(text: string): void;
}

export class StreamedAnswer {
  /** The aggregation whose words are streaming, once one has begun. */
  private index: number | undefined;
  private streamed = '';
  /** Its words can no longer stand for a whole reply: it failed, or the subsets were drawn again while it wrote. */
  private broken = false;
  private roleSent = false;

  constructor(private readonly writer: AnswerWriter) {}

  /** Follows the run: the first aggregation to write streams its words. */
  event(event: PipelineEvent): void {
    if (event.type === 'subsets' && this.index !== undefined) this.broken = true;
    if (event.type === 'aggregation-failed' && event.index === this.index) this.broken = true;
    if (event.type !== 'aggregation-delta' || this.broken || event.text === '') return;
    this.index ??= event.index;
    if (event.index !== this.index) return;
    this.write(event.text);
  }

  /** Whether any of the answer's words went out yet. */
  get started(): boolean {
    return this.streamed !== '';
  }

  /**
   * The run is scored and `answer` is its text (core/contracts/answer answerText): the rest of it, or the chosen answer
   * after a line saying why it is not what streamed.
   */
  finish(result: Chosen, answer: string): void {
    if (this.streamed === '') {
      for (const piece of textPieces(answer)) this.write(piece);
      if (answer === '') this.sendRole();
      return;
    }
    if (!this.broken && answer === this.streamed) return;
    if (!this.broken && answer.startsWith(this.streamed)) return this.write(answer.slice(this.streamed.length));
    const same = !this.broken && result.answer.reply.kind === 'candidate' && result.answer.reply.index === this.index;
    // The streamed reply itself, finished otherwise: what it wrote before a lone `</think>` was its reasoning (llm/thinkSplitter).
    const line = same ? `The answer as finished: candidate ${(this.index ?? 0) + 1}, its reasoning set apart` : `Chosen instead: ${chosenInstead(result, this.index, this.broken)}`;
    this.write(`\n\n---\n*${line}.*\n\n`);
    for (const piece of textPieces(answer)) this.write(piece);
  }

  private write(text: string): void {
    this.sendRole();
    this.streamed += text;
    this.writer.content(text);
  }

  private sendRole(): void {
    if (this.roleSent) return;
    this.roleSent = true;
    this.writer.role();
  }
}

/** Why the answer is not the reply that streamed, in words: what was chosen, and by what. */
export function chosenInstead(result: Chosen, streamed: number | undefined, broken: boolean): string {
  const what = result.answer.reply.kind === 'referencer' ? `${result.answer.reply.model}'s own reply` : `candidate ${result.answer.reply.index + 1}`;
  const shown = streamed === undefined ? 'the reply above' : `candidate ${streamed + 1} above`;
  if (broken) return `${what}: ${shown} stopped before it was complete`;
  const by = CHOSEN_BY[result.selectedBy] ?? 'the hybrid score ranks it first';
  return `${what}, which ${by}; ${shown} was not chosen`;
}

const CHOSEN_BY: Partial<Record<SelectedBy, string>> = {
  checks: 'passes more of the checks',
  derived: 'passes more of the checks on inputs derived from the examples',
  tests: 'passes more of the model-written tests',
  agreement: 'states the answer most replies agree on',
  prior: 'comes from the model the bank trusts most',
};
