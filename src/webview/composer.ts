/**
 * The question box at the foot of the panel: the chips of what goes with the question, the `#` completion, the
 * expected cost beside the Ask button, Clear history and Add file. It keeps the draft across reloads, and gives a typed
 * question back when its run fails.
 */
import { ContextChips, type ChipsState } from './contextChips';
import { FileCompletion } from './fileCompletion';
import type { PostToHost } from './actions';
import { h, setAttr, setText } from './dom';
import type { HostMessageHandlers } from './hostMessages';
import type { RunState } from '../presentation/runState';
import type { CostEstimateView } from '../presentation/protocol';
import { formatUsd } from '../presentation/format';
import { estimateBasisText } from '../presentation/askNotices';

/** What the question box keeps across reloads of the webview. */
export interface ComposerState {
  draft?: string;
  /** The chips' choices for the question being written. */
  chips?: ChipsState;
}

/** What the question box needs of the panel around it. */
interface ComposerHost {
  post: PostToHost;
  save(patch: ComposerState): void;
  /** A run is running: the box waits for it (or Stop). */
  running(): boolean;
  hasRuns(): boolean;
  hasEndpoints(): boolean;
}

/** The host's messages the question box answers. */
export type ComposerMessage = 'estimate' | 'ask-declined' | 'editor-context' | 'file-matches' | 'current-file-share' | 'file-added' | 'focus-input';

export class Composer {
  readonly el: HTMLElement;
  private readonly input = h('textarea', {
    class: 'input',
    'data-testid': 'input',
    rows: 3,
    placeholder: 'Ask a question (Enter to send, Shift+Enter for a new line)',
    'aria-label': 'Question',
  });
  private readonly costEstimate = h('span', { class: 'cost-estimate', 'data-testid': 'cost-estimate' });
  private readonly send = h('button', { type: 'button', class: 'button', 'data-action': 'send', 'data-testid': 'send' }, 'Ask');
  private readonly chips: ContextChips;
  private readonly completion: FileCompletion;
  private readonly addFile = h('button', { type: 'button', class: 'link-button add-file', 'data-action': 'add-file', 'data-testid': 'add-file', title: 'Add a workspace file to the question' }, 'Add file…');
  private readonly clear = h('button', { type: 'button', class: 'link-button', 'data-action': 'clear-history', 'data-testid': 'clear-history', title: 'Clear the question history' }, 'Clear history');
  /** The latest estimate before sending, for the question it was made for. */
  private estimate: CostEstimateView | undefined;
  private estimateTimer: ReturnType<typeof setTimeout> | undefined;
  /** The question just sent from the box, until its run starts; then that run's id (its question comes back if it fails). */
  private typedQuestion: string | undefined;
  private typedRunId: string | undefined;

  constructor(
    saved: ComposerState,
    private readonly host: ComposerHost,
  ) {
    this.chips = new ContextChips(saved.chips, (chips) => host.save({ chips }));
    this.completion = new FileCompletion(this.input, (query) => host.post({ type: 'find-files', query }));
    this.el = h(
      'div',
      { class: 'composer' },
      this.chips.el,
      this.completion.el,
      this.input,
      h('div', { class: 'composer-bar' }, this.clear, this.addFile, h('span', { class: 'composer-send' }, this.costEstimate, this.send)),
    );
    if (typeof saved.draft === 'string') this.input.value = saved.draft;
    this.input.addEventListener('keydown', (e) => {
      if (this.completion.onKey(e)) return;
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.submit();
      }
    });
    this.input.addEventListener('input', () => {
      host.save({ draft: this.input.value });
      this.completion.onInput();
      this.update();
      this.requestEstimate();
    });
  }

  readonly messages: HostMessageHandlers<ComposerMessage> = {
    estimate: (msg) => {
      this.estimate = msg.estimate;
      this.update();
    },
    'ask-declined': (msg) => {
      // Cancelled over the cost limit: the question goes back into the box, unless the user typed another.
      if (this.input.value.trim() === '') this.setText(msg.question);
    },
    'editor-context': (msg) => {
      this.chips.setEditor(msg.currentFile, msg.selection);
      this.requestEstimate();
    },
    'file-matches': (msg) => this.completion.show(msg.query, msg.keywords, msg.files),
    'current-file-share': (msg) => {
      if (msg.question === this.input.value.trim()) this.chips.setShare(msg);
    },
    'file-added': (msg) => {
      this.chips.add(msg.path);
      this.requestEstimate();
    },
    'focus-input': (msg) => {
      if (msg.text !== undefined) {
        this.setText(msg.text);
        this.requestEstimate();
      }
      this.input.focus();
    },
  };

  focus(): void {
    this.input.focus();
  }

  submit(): void {
    const question = this.input.value.trim();
    if (question === '' || this.host.running()) return;
    this.host.post({ type: 'ask', question, ...this.chips.takeForAsk() });
    this.typedQuestion = question;
    this.setText('');
  }

  /** A run started: the one of the question just sent from the box, or another. */
  runStarted(run: RunState): void {
    if (run.question === this.typedQuestion) this.typedRunId = run.id;
    this.typedQuestion = undefined;
  }

  /** A question typed in the box that failed comes back into the empty box, to send again (Enter) or to edit. */
  giveBackQuestion(run: RunState): void {
    if (run.id !== this.typedRunId || this.input.value.trim() !== '') return;
    this.setText(run.question);
  }

  /** Retry sends the failed question itself: the copy given back to the box is taken out again. */
  takeBackQuestion(run: RunState | undefined): void {
    if (!run || this.input.value.trim() !== run.question) return;
    this.setText('');
  }

  /** Sends the current file whole, or its share again. */
  toggleWholeFile(): void {
    this.chips.toggleWhole();
    this.requestEstimate();
  }

  /** Leaves out what a chip's ✕ names (`data-drop`), when it names one. */
  dropContext(which: string | undefined): void {
    if (which) this.chips.drop(which);
    this.requestEstimate();
    this.input.focus();
  }

  update(): void {
    const running = this.host.running();
    this.send.toggleAttribute('disabled', running || this.input.value.trim() === '');
    this.send.title = running ? 'Wait for the current run or press Stop' : 'Ask (Enter)';
    this.clear.hidden = !this.host.hasRuns();
    const estimate = this.estimate?.question === this.input.value.trim() ? this.estimate : undefined;
    const expectedUsd = estimate?.expectedUsd ?? null;
    this.costEstimate.hidden = expectedUsd === null;
    if (expectedUsd === null || estimate === undefined) return;
    setText(this.costEstimate, `≈ ${formatUsd(expectedUsd)}`);
    const worst = estimate.worstUsd !== null ? ` At worst ${formatUsd(estimate.worstUsd)}, if every reply used the whole output limit (smcs.maxTokens).` : '';
    setAttr(this.costEstimate, 'title', `Expected cost of this question with the models the bank chose for it. ${estimateBasisText(estimate.basis)}${worst}`);
    setAttr(this.costEstimate, 'aria-label', `Expected cost: about ${formatUsd(expectedUsd)}`);
  }

  /** Puts `text` in the box and keeps it as the draft. */
  private setText(text: string): void {
    this.input.value = text;
    this.host.save({ draft: text });
    this.update();
  }

  /** Asks the host for the estimate before sending, once typing pauses. */
  private requestEstimate(): void {
    clearTimeout(this.estimateTimer);
    this.estimateTimer = setTimeout(() => {
      const question = this.input.value.trim();
      // The current file's chip says what part of it this question sends (cheap: the host reads only the open file).
      this.host.post({ type: 'file-share', question, ...this.chips.choice() });
      if (question !== '' && this.host.hasEndpoints()) this.host.post({ type: 'estimate', question, ...this.chips.choice() });
    }, 400);
  }
}
