/**
 * `smcs ask`'s answer on a terminal (issue 68): the first aggregation's words on stdout as the aggregator writes them,
 * through the streamed answer `smcs serve` and `@smcs` use (presentation/streamedAnswer) — once the run is scored, the
 * rest of the answer, or "Chosen instead: …" and the chosen answer, then the summary; a run stopped or failed ends the
 * words with a line saying they were cut short. Model output is stripped as it streams (core/util/terminalText), so
 * nothing in it drives the terminal.
 */
import { answerText } from '../core/contracts/answer';
import type { AskResult, PipelineEvent } from '../core/contracts/events';
import { stripTerminalControls, TerminalTextStream } from '../core/util/terminalText';
import { StreamedAnswer } from '../presentation/streamedAnswer';

export class TerminalAnswer {
  private readonly answer: StreamedAnswer;
  private readonly text = new TerminalTextStream();
  /** Whether the last text written ended its line. */
  private lineEnded = true;

  /** `write` puts text on stdout; `beginning` is called once, before the first words (the progress line makes way). */
  constructor(
    private readonly write: (text: string) => void,
    beginning: () => void,
  ) {
    this.answer = new StreamedAnswer({ role: beginning, content: (text) => this.print(this.text.push(text)) });
  }

  /** Whether any of the answer's words went out yet. */
  get started(): boolean {
    return this.answer.started;
  }

  /** Follows the run (the first aggregation's words go out). */
  event(event: PipelineEvent): void {
    this.answer.event(event);
  }

  /** The run is scored: the rest of the answer, or why another is the answer and that one, then `summary` after a blank line. */
  finish(result: AskResult, summary: string): void {
    this.answer.finish(result, answerText(result));
    this.endLine();
    this.write(`\n${stripTerminalControls(summary)}\n`);
  }

  /** The run stopped or failed: words already out end with a line saying they were cut short. */
  cutShort(how: 'stopped' | 'failed'): void {
    this.answer.cutShort(how);
    this.endLine();
  }

  private print(text: string): void {
    if (text === '') return;
    this.write(text);
    this.lineEnded = text.endsWith('\n');
  }

  /** What the stripping held back, and a line break: what follows (the summary, an error on stderr) starts a line. */
  private endLine(): void {
    this.print(this.text.end());
    if (!this.lineEnded) this.print('\n');
  }
}
