/**
 * The answer as it is written (issue 68), for `smcs serve`'s `smcs*` models with `stream: true` and for `@smcs`: the
 * first aggregation's words go out while the model writes them, instead of the whole answer once the run is scored. Measured on the
 * replays (`smcs eval e2e`: the first candidate is the answer on 109 of 140 held-out MMLU-Pro questions and 259 of 300
 * GSM8K ones), the choice keeps it most of the time. When the choice is another reply, nothing streamed is taken back
 * — a client can only append — so the stream says so and appends the chosen answer: "Chosen instead: candidate 2, …".
 * A run that never streams (no aggregation, the agreement shortcut) sends its answer whole at the end, as before. The
 * panel's answer card shows the same aggregation as it writes (`followStream`, presentation/liveAnswer.ts) and says why
 * in the same words when the choice is another reply (`chosenInstead`).
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
interface AnswerWriter {
  role(): void;
  content(text: string): void;
}

/**
 * Which aggregation's words stand for the answer while the run is written: the first to write any text, and whether
 * they broke off — it failed, or the subsets were drawn again while it wrote (its words no longer stand for a whole
 * reply). The panel's run state keeps it (runState `answerStream`); the chat and the server follow it in StreamedAnswer.
 */
export interface AnswerStream {
  index: number;
  broken: boolean;
}

/** `stream` after `event`: begun by the first aggregation to write, broken by its failure or a redraw; unchanged (the same object) otherwise. */
export function followStream(stream: AnswerStream | undefined, event: PipelineEvent): AnswerStream | undefined {
  if (stream === undefined) return event.type === 'aggregation-delta' && event.text !== '' ? { index: event.index, broken: false } : undefined;
  const breaks = event.type === 'subsets' || (event.type === 'aggregation-failed' && event.index === stream.index);
  return breaks && !stream.broken ? { ...stream, broken: true } : stream;
}

export class StreamedAnswer {
  /** The aggregation whose words are streaming, once one has begun. */
  private stream: AnswerStream | undefined;
  private streamed = '';
  /** The streaming aggregation wrote its whole reply. */
  private complete = false;
  private roleSent = false;

  constructor(private readonly writer: AnswerWriter) {}

  /** Follows the run: the first aggregation to write streams its words. */
  event(event: PipelineEvent): void {
    this.stream = followStream(this.stream, event);
    if (event.type === 'aggregation-done' && event.index === this.stream?.index) this.complete = true;
    if (event.type === 'aggregation-delta' && event.text !== '' && this.stream?.index === event.index && !this.stream.broken) this.write(event.text);
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
    const broken = this.stream?.broken ?? false;
    const index = this.stream?.index;
    if (!broken && answer === this.streamed) return;
    if (!broken && answer.startsWith(this.streamed)) return this.write(answer.slice(this.streamed.length));
    const same = !broken && result.answer.reply.kind === 'candidate' && result.answer.reply.index === index;
    // The streamed reply itself, finished otherwise: what it wrote before a lone `</think>` was its reasoning (llm/thinkSplitter).
    const line = same ? `The answer as finished: candidate ${(index ?? 0) + 1}, its reasoning set apart` : `Chosen instead: ${chosenInstead(result, this.stream, 'above')}`;
    this.write(`\n\n---\n*${line}.*\n\n`);
    for (const piece of textPieces(answer)) this.write(piece);
  }

  /**
   * The run was stopped or failed, so it has no answer: words already out are followed by a line saying so, not left to
   * read as the answer — cut short (the chat's word for a reply stopped while it was written), or, when the streaming
   * aggregation had finished, written whole but never weighed against the others. Nothing when nothing streamed.
   */
  cutShort(how: 'stopped' | 'failed'): void {
    if (this.streamed === '') return;
    const ended = how === 'stopped' ? 'Stopped' : 'The run failed';
    const line = this.complete && this.stream?.broken === false
      ? `${ended} before an answer was chosen: candidate ${this.stream.index + 1} above is complete, but was not compared with the other replies`
      : `${ended}: the answer above was cut short`;
    this.write(`\n\n---\n*${line}.*\n`);
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

/**
 * Where the streamed reply is when the line after it is read: `above` it (the chat and the server can only append), or
 * `replaced` by the chosen answer (the panel's answer card swaps its text).
 */
type StreamedPlace = 'above' | 'replaced';

/**
 * Why the answer is not the reply that streamed (`stream`), in words: what was chosen, and by what. A stream that broke
 * goes unnamed: after a redraw its number is another aggregation's.
 */
export function chosenInstead(result: Chosen, stream: AnswerStream | undefined, place: StreamedPlace): string {
  const what = result.answer.reply.kind === 'referencer' ? `${result.answer.reply.model}'s own reply` : `candidate ${result.answer.reply.index + 1}`;
  const broken = stream?.broken === true;
  const shown = streamedName(broken ? undefined : stream?.index, place);
  if (broken) return `${what}: ${shown} stopped before it was complete`;
  const by = CHOSEN_BY[result.selectedBy] ?? 'the hybrid score ranks first';
  return `${what}, which ${by}; ${shown} was not chosen`;
}

/**
 * "candidate 1 above", or in the panel, where the chosen answer took its place, "candidate 1, shown while it was
 * written,"; "the reply above", "the reply shown while it was written" when the candidate goes unnamed.
 */
function streamedName(streamed: number | undefined, place: StreamedPlace): string {
  if (place === 'above') return `${streamed === undefined ? 'the reply' : `candidate ${streamed + 1}`} above`;
  return streamed === undefined ? 'the reply shown while it was written' : `candidate ${streamed + 1}, shown while it was written,`;
}

const CHOSEN_BY: Partial<Record<SelectedBy, string>> = {
  checks: 'passes more of the checks',
  derived: 'passes more of the checks on inputs derived from the examples',
  tests: 'passes more of the model-written tests',
  agreement: 'states the answer most replies agree on',
  prior: 'comes from the model the bank trusts most',
};
