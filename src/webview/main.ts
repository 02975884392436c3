/**
 * The SMCS panel (runs inside the webview). State lives in the extension host: on load the panel
 * posts `ready`, receives a snapshot, then applies streamed run actions with the same reducer as
 * the host (src/presentation/runState.ts).
 *
 * Stable test ids (`data-testid`) for UI tests:
 *   welcome            setup screen shown when no endpoint is configured
 *   welcome-add-vllm, welcome-add-openrouter, welcome-open-settings   its buttons
 *   config-error       banner naming an invalid setting; config-error-open-settings its button
 *   threads            the Conversations section (hidden while there is none): threads-toggle its disclosure button
 *                      ("Conversations (N)", aria-expanded), new-chat its New chat button (disabled while a new chat is
 *                      shown), thread-list the list; thread = one conversation (data-thread-id, aria-current="true" on
 *                      the one shown) with thread-open (reopens it), thread-title (its first question), thread-meta
 *                      ("3 turns · $0.0123") and thread-delete
 *   thread-head        the shown conversation's turns and total cost (from its second turn on)
 *   history-list       the runs of the conversation shown, oldest first
 *   empty              hint shown when there is no run yet
 *   run                one question; attributes data-run-id, data-status (running|done|error|cancelled)
 *   question           the question of a run; question-text its text (cut to 6 lines while collapsed),
 *                      question-toggle its Show more / Show less button (shown only when the text is longer)
 *   stage-strip        progress strip; stage-retrieve|stage-referencers|stage-aggregate|stage-score
 *                      with data-status (pending|active|done|failed|skipped); elapsed = total time
 *   stop               Stop button of the running run (hidden otherwise)
 *   run-banner         error / stopped / fallback notice of a run; run-retry its Retry (failed) / Ask again (stopped) button
 *   run-notes          notes of a turn whose models' context windows were too small; run-note one of them
 *                      (data-kind dropped|capped)
 *   cost-line          under a finished answer: cost-summary ("$0.0123 · 12.3k tokens · 11 calls"), cost-details the
 *                      Details button (aria-expanded) showing cost-calls, the table of every call: cost-call rows
 *                      (data-stage, data-model) with call-stage, call-tokens ("812 → 230"), call-cost, call-latency
 *   answer             the shown answer (data-candidate = its candidate index, -1 for a referencer's reply); while the
 *                      run runs, the first candidate to write as it writes (data-writing writing|written|broken,
 *                      answer-writing the line saying it is not yet chosen); answer-instead, once done, why the answer
 *                      is another reply ("Chosen instead: …");
 *                      answer-reference when the checks chose a referencer's own reply; answer-chosen,
 *                      answer-revert when the user chose another reply; answer-checks how the checks chose the
 *                      answer (code questions), check-offer the offer of a referencer's reply that passes more
 *                      checks than every candidate (check-offer-text, use-reference its button), answer-taken what
 *                      that reply passes once taken
 *   candidates         the candidates section (draw-note: why unequal draws weigh agreement unequally); candidate = one card
 *                      of one or more candidates that wrote the same reply (cand-title; data-index its lead, data-members all, data-winner,
 *                      data-chosen, data-status); winner-badge ("Winner", or "Best candidate" when a reference
 *                      answers), chosen-badge, use-reply,
 *                      revert-choice, score-similarity, score-perplexity, score-total inside it; candidate-note why it
 *                      stands where its total would not put it (chosen by the final answers, or a higher total passed over);
 *                      subset (a <details>) whose summary left-out names the references left out and whose
 *                      subset-member items list the subset (a card of several: one member-subset item each); compare-winner (button) and compare-with (select);
 *                      show-reply (button) opens reply (the candidate's text, its reasoning apart)
 *   referencers        the references section; referencer = one card (data-model, data-status);
 *                      error-chip on failures, chosen-badge when its reply was taken, answer-badge when the checks
 *                      chose it as the answer
 *   check-line         a candidate's or referencer's checks (data-state passed|failed|running|none): check-text its
 *                      words; when it fails some, check-details (a <details>) whose check-summary opens the
 *                      check-failure items, each with check-given, check-expected, check-actual and check-error blocks
 *   reasoning          a closed "Reasoning" <details> of a reference, a candidate or the answer
 *   waiting            the countdown of a call waiting before a retry ("waiting 45 s — rate limited")
 *   why                "Why these models"; support-size, prior (data-model, data-selected,
 *                      data-unprofiled), unprofiled
 *   unprofiled-notice  a finished turn's unprofiled models (the ones why marks; unprofiled-model, data-model) when it
 *                      left some out (unprofiled-left-out): unprofiled-profile, and unprofiled-use-anyway, which asks
 *                      again with those added; the new turn's notice names them (unprofiled-added)
 *   [data-bar-group]   a group of bars drawn on one scale (priors, bank-accuracy); each bar is a role="meter"
 *   code-block         a rendered code block (data-lang); code-copy, code-insert, code-open its buttons; in the answer
 *                      also code-apply ("Apply to parse.ts": the change as a diff to accept or reject; only on
 *                      blocks whose fence language fits the file's)
 *   input              the question box (Enter sends, Shift+Enter newline); send its button
 *   file-completion    the `#` list above the box: keywords first (data-keyword codebase|problems|terminal), then files
 *                      (data-file); the highlighted one aria-selected="true" (Enter or Tab takes it)
 *   withheld-line      a turn's files withheld as secret (a <details>, hidden when none): withheld-count its one-line
 *                      summary, withheld-items the files
 *   cost-estimate      "≈ $0.012" beside the Ask button: the plan's expected cost (hidden when no price is known)
 *   clear-history      clears the history
 *   announcer          aria-live region announcing completion
 *   bank               the Bank section (data-status loading|none|ready|error); bank-headline its summary line;
 *                      bank-size, bank-embedder, bank-embedder-mismatch; bank-model one profiled model (data-model,
 *                      data-configured) with bank-model-accuracy, bank-model-labelled and bank-domain rows
 *                      (data-domain; bank-domain-accuracy, bank-domain-labelled); bank-unprofiled one configured model
 *                      without labels (data-model); bank-empty the "No question bank yet" line; bank-import,
 *                      bank-profile, bank-refresh its buttons; bank-error the one-line error chip, bank-show-log
 */
import { ContextChips, type ChipsState } from './contextChips';
import { FileCompletion } from './fileCompletion';
import DOMPurify from 'dompurify';
import { reduceRun, type RunState } from '../presentation/runState';
import { answerReferences, answerView, candidatePhrase, referenceChooser } from '../presentation/answerView';
import { listThreads, threadRuns } from '../presentation/threads';
import { isEmbedderRemedy, isHostToWebview, isPanelCommand, type CostEstimateView, type HostToWebview, type SetupState, type WebviewToHost } from '../presentation/protocol';
import { isPanelAction } from './actions';
import { commandButton, h, setAttr, setText } from './dom';
import { formatTokenPhrase, formatUsd } from '../presentation/format';
import { estimateBasisText } from '../presentation/askNotices';
import { codeOfBlock, createMarkdownRenderer } from './markdown';
import { BankView } from './bankView';
import { RunView } from './runView';
import { shortModelNames } from './modelNames';
import { ThreadList, threadMeta } from './threadList';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const render = createMarkdownRenderer(DOMPurify);

const post = (msg: WebviewToHost): void => vscode.postMessage(msg);

/** What the webview keeps across reloads of its own (the draft question, whether the Bank and Conversations sections are open). */
interface DraftState {
  draft?: string;
  bankOpen?: boolean;
  threadsOpen?: boolean;
  /** The chips' choices for the question being written. */
  chips?: ChipsState;
}

function savedState(): DraftState {
  const saved = vscode.getState() as DraftState | undefined;
  return saved !== null && typeof saved === 'object' ? saved : {};
}

function saveState(patch: DraftState): void {
  vscode.setState({ ...savedState(), ...patch } satisfies DraftState);
}

/** The model names a button carries (`data-models`, a JSON list written by the panel itself). */
function modelList(attr: string | undefined): string[] {
  try {
    const parsed: unknown = JSON.parse(attr ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((m): m is string => typeof m === 'string') : [];
  } catch {
    return [];
  }
}

/** Lines of a finished answer that must show when the panel brings it into view, and the room left above it. */
const ANSWER_LINES_SHOWN = 4;
const ANSWER_MARGIN_PX = 4;
/** How near the place following a live run keeps the view (its end, or its answer as it is written) the user still follows it. */
const FOLLOW_PX = 120;

class Panel {
  private runs: RunState[] = [];
  /** The thread shown (the next question continues it); undefined = a new chat. */
  private activeThreadId: string | undefined;
  /** The latest estimate before sending, for the question it was made for. */
  private estimate: CostEstimateView | undefined;
  private setup: SetupState = { hasEndpoints: true };
  private readonly views = new Map<string, RunView>();
  private readonly app: HTMLElement;
  private readonly welcome: HTMLElement;
  private readonly configError = h('div', { class: 'banner', 'data-kind': 'error', 'data-testid': 'config-error', role: 'alert' });
  private readonly history = h('div', { class: 'history', 'data-testid': 'history-list', role: 'feed', 'aria-label': 'Questions and answers' });
  private readonly empty = h(
    'div',
    { class: 'empty', 'data-testid': 'empty' },
    h('p', {}, 'Ask a coding question. SMCS picks the models that did best on similar questions, lets them answer in parallel, then synthesises and scores several candidate answers.'),
    h('p', { class: 'muted' }, 'The chips above the box show the code sent with the question: the current file and the selection. Type # to add a file, or #problems, #terminal, #codebase.'),
  );
  private readonly input = h('textarea', {
    class: 'input',
    'data-testid': 'input',
    rows: 3,
    placeholder: 'Ask a question (Enter to send, Shift+Enter for a new line)',
    'aria-label': 'Question',
  });
  private readonly costEstimate = h('span', { class: 'cost-estimate', 'data-testid': 'cost-estimate' });
  private readonly threads = new ThreadList(savedState().threadsOpen === true, (open) => saveState({ threadsOpen: open }));
  private readonly threadHead = h('div', { class: 'thread-head', 'data-testid': 'thread-head' });
  private estimateTimer: ReturnType<typeof setTimeout> | undefined;
  /** The question just sent from the box, until its run starts; then that run's id (its question comes back if it fails). */
  private typedQuestion: string | undefined;
  private typedRunId: string | undefined;
  private readonly send = h('button', { type: 'button', class: 'button', 'data-action': 'send', 'data-testid': 'send' }, 'Ask');
  private readonly composer: HTMLElement;
  private readonly chips = new ContextChips(savedState().chips, (chips) => saveState({ chips }));
  private readonly completion = new FileCompletion(this.input, (query) => post({ type: 'find-files', query }));
  private readonly bank = new BankView(savedState().bankOpen === true, (open) => saveState({ bankOpen: open }));
  private readonly announcer = h('div', { class: 'visually-hidden', 'aria-live': 'polite', 'data-testid': 'announcer' });
  private readonly addFile = h('button', { type: 'button', class: 'link-button add-file', 'data-action': 'add-file', 'data-testid': 'add-file', title: 'Add a workspace file to the question' }, 'Add file…');
  private readonly clear = h('button', { type: 'button', class: 'link-button', 'data-action': 'clear-history', 'data-testid': 'clear-history', title: 'Clear the question history' }, 'Clear history');

  constructor(root: HTMLElement) {
    this.app = root;
    this.welcome = h(
      'section',
      { class: 'welcome', 'data-testid': 'welcome', 'aria-label': 'Set up SMCS' },
      h('h2', {}, 'Connect your models'),
      h('p', {}, 'SMCS answers with a collaboration of several LLMs served by OpenAI-compatible endpoints. Add at least one endpoint to start.'),
      commandButton('smcs.addVllmServer', 'Add vLLM Server', 'welcome-add-vllm', { secondary: false, size: 'wide' }),
      commandButton('smcs.addOpenRouter', 'Add OpenRouter', 'welcome-add-openrouter', { secondary: true, size: 'wide' }),
      commandButton('smcs.openSettings', 'Open Settings', 'welcome-open-settings', { secondary: true, size: 'wide' }),
    );
    this.composer = h(
      'div',
      { class: 'composer' },
      this.chips.el,
      this.completion.el,
      this.input,
      h('div', { class: 'composer-bar' }, this.clear, this.addFile, h('span', { class: 'composer-send' }, this.costEstimate, this.send)),
    );
    const saved = savedState();
    if (typeof saved.draft === 'string') this.input.value = saved.draft;
    this.app.replaceChildren(this.welcome, this.configError, this.bank.el, this.threads.el, this.threadHead, this.history, this.empty, this.composer, this.announcer);
    this.wire();
    this.renderSetup();
  }

  private wire(): void {
    document.addEventListener('click', (e) => this.onClick(e));
    document.addEventListener('change', (e) => this.onChange(e));
    this.input.addEventListener('keydown', (e) => {
      if (this.completion.onKey(e)) return;
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.submit();
      }
    });
    this.input.addEventListener('input', () => {
      saveState({ draft: this.input.value });
      this.completion.onInput();
      this.updateComposer();
      this.requestEstimate();
    });
    window.addEventListener('message', (e: MessageEvent<unknown>) => {
      if (isHostToWebview(e.data)) this.onMessage(e.data);
    });
    setInterval(() => {
      const now = Date.now();
      for (const run of this.runs) if (run.status === 'running') this.views.get(run.id)?.tick(now);
    }, 250);
  }

  private submit(): void {
    const question = this.input.value.trim();
    if (question === '' || this.activeRun()) return;
    post({ type: 'ask', question, ...this.chips.takeForAsk() });
    this.typedQuestion = question;
    this.input.value = '';
    saveState({ draft: '' });
    this.updateComposer();
  }

  private onClick(e: MouseEvent): void {
    const target = e.target instanceof Element ? e.target.closest<HTMLElement>('[data-action]') : null;
    if (!target) return;
    const action = target.dataset.action;
    if (!isPanelAction(action)) return;
    const runEl = target.closest<HTMLElement>('[data-run-id]');
    const runId = target.dataset.runId ?? runEl?.dataset.runId;
    switch (action) {
      case 'send':
        this.submit();
        break;
      case 'stop':
        post({ type: 'stop' });
        break;
      case 'clear-history':
        post({ type: 'clear-history' });
        break;
      case 'new-chat':
        post({ type: 'new-chat' });
        this.input.focus();
        break;
      case 'open-thread':
      case 'delete-thread': {
        const threadId = target.dataset.threadId;
        if (threadId) post(action === 'open-thread' ? { type: 'open-thread', threadId } : { type: 'delete-thread', threadId });
        break;
      }
      case 'refresh-bank':
        post({ type: 'refresh-bank' });
        break;
      case 'command': {
        const command = target.dataset.command;
        if (isPanelCommand(command)) post({ type: 'command', command });
        break;
      }
      case 'retry-with': {
        const remedy = target.dataset.remedy;
        if (runId && isEmbedderRemedy(remedy)) {
          post({ type: 'retry-with', runId, remedy });
          this.takeBackQuestion(runId);
        }
        break;
      }
      case 'retry':
        if (runId) {
          post({ type: 'retry', runId });
          this.takeBackQuestion(runId);
        }
        break;
      case 'ask-again-with': {
        const models = modelList(target.dataset.models);
        if (runId && models.length > 0) post({ type: 'ask-again-with', runId, models });
        break;
      }
      case 'choose': {
        const index = Number(target.dataset.index);
        if (runId && Number.isInteger(index)) post({ type: 'choose', runId, index });
        break;
      }
      case 'revert':
        if (runId) post({ type: 'choose', runId, index: null });
        break;
      case 'use-reference': {
        const model = target.dataset.model;
        if (runId && model) post({ type: 'use-reference', runId, model });
        break;
      }
      case 'compare': {
        const left = Number(target.dataset.left);
        const right = Number(target.dataset.right);
        if (runId && Number.isInteger(left) && Number.isInteger(right)) post({ type: 'compare', runId, left, right });
        break;
      }
      case 'code-copy':
      case 'code-insert':
      case 'code-open': {
        const block = codeOfBlock(target);
        if (!block) break;
        const candidateAttr = target.closest<HTMLElement>('[data-candidate]')?.dataset.candidate;
        const candidate = candidateAttr !== undefined && candidateAttr !== '' ? Number(candidateAttr) : undefined;
        const msg: WebviewToHost = { type: 'code', action: action === 'code-copy' ? 'copy' : action === 'code-insert' ? 'insert' : 'open', code: block.code };
        if (block.language) msg.language = block.language;
        if (runId) msg.runId = runId;
        if (candidate !== undefined && Number.isInteger(candidate)) msg.candidate = candidate;
        post(msg);
        if (action === 'code-copy') this.flash(target, 'Copied');
        break;
      }
      case 'code-wrap': {
        // Long lines wrap in the block instead of scrolling sideways (a scroll bar that overlays until scrolled is easy to miss).
        const block = target.closest<HTMLElement>('.code-block');
        if (!block) break;
        const wrapped = block.dataset.wrap !== 'true';
        block.dataset.wrap = String(wrapped);
        target.setAttribute('aria-pressed', String(wrapped));
        break;
      }
      case 'code-apply': {
        const block = codeOfBlock(target);
        if (block && runId) post({ type: 'apply', runId, code: block.code, ...(block.language ? { language: block.language } : {}) });
        break;
      }
      case 'compare-with':
        // A choice in the menu, not a click: handled by onChange.
        break;
      case 'open-context':
        if (target.dataset.path) post({ type: 'open-file', path: target.dataset.path, line: Number(target.dataset.line ?? '1') || 1 });
        break;
      case 'whole-context':
        this.chips.toggleWhole();
        this.requestEstimate();
        break;
      case 'drop-context':
        if (target.dataset.drop) this.chips.drop(target.dataset.drop);
        this.requestEstimate();
        this.input.focus();
        break;
      case 'add-file':
        post({ type: 'add-file' });
        break;
    }
  }

  /** A "Compare with…" choice: opens the diff of the card's candidate and the chosen one, then resets the menu. */
  private onChange(e: Event): void {
    const select = e.target instanceof HTMLSelectElement && e.target.dataset.action === 'compare-with' ? e.target : null;
    if (!select) return;
    const runId = select.dataset.runId;
    const left = Number(select.dataset.left);
    const choice = select.value;
    select.selectedIndex = 0;
    const right = Number(choice);
    if (runId && choice !== '' && Number.isInteger(left) && Number.isInteger(right)) post({ type: 'compare', runId, left, right });
  }

  private flash(button: HTMLElement, text: string): void {
    const original = button.textContent ?? '';
    button.textContent = text;
    setTimeout(() => {
      button.textContent = original;
    }, 1500);
  }

  private onMessage(msg: HostToWebview): void {
    switch (msg.type) {
      case 'snapshot':
        this.setup = msg.snapshot.setup;
        this.runs = msg.snapshot.runs;
        this.activeThreadId = msg.snapshot.activeThreadId;
        this.showThread();
        break;
      case 'run-started':
        this.runs = [...this.runs.filter((r) => r.id !== msg.run.id), msg.run];
        if (msg.run.question === this.typedQuestion) this.typedRunId = msg.run.id;
        this.typedQuestion = undefined;
        if (msg.run.threadId !== this.activeThreadId) {
          this.activeThreadId = msg.run.threadId;
          this.showThread();
        } else {
          for (const view of this.views.values()) view.foldCandidates();
          if (msg.run.askedAgain) this.views.get(msg.run.askedAgain.runId)?.markAskedAgain();
          this.addView(msg.run);
          this.renderSetup();
          this.scrollToEnd();
        }
        break;
      case 'active-thread':
        this.activeThreadId = msg.threadId ?? undefined;
        this.showThread();
        break;
      case 'runs-removed': {
        const removed = new Set(msg.runIds);
        this.runs = this.runs.filter((r) => !removed.has(r.id));
        this.showThread();
        break;
      }
      case 'estimate':
        this.estimate = msg.estimate;
        this.updateComposer();
        break;
      case 'ask-declined':
        // Cancelled over the cost limit: the question goes back into the box, unless the user typed another.
        if (this.input.value.trim() === '') {
          this.input.value = msg.question;
          saveState({ draft: msg.question });
          this.updateComposer();
        }
        break;
      case 'run-actions':
        this.applyActions(msg.runId, msg);
        break;
      case 'editor-context':
        this.chips.setEditor(msg.currentFile, msg.selection);
        this.requestEstimate();
        break;
      case 'file-matches':
        this.completion.show(msg.query, msg.keywords, msg.files);
        break;
      case 'current-file-share':
        if (msg.question === this.input.value.trim()) this.chips.setShare(msg);
        break;
      case 'file-added':
        this.chips.add(msg.path);
        this.requestEstimate();
        break;
      case 'setup':
        this.setup = msg.setup;
        this.renderSetup();
        break;
      case 'bank-summary':
        this.bank.update(msg.bank);
        break;
      case 'focus-input':
        if (msg.text !== undefined) {
          this.input.value = msg.text;
          saveState({ draft: msg.text });
          this.updateComposer();
          this.requestEstimate();
        }
        this.input.focus();
        break;
    }
  }

  private applyActions(runId: string, msg: Extract<HostToWebview, { type: 'run-actions' }>): void {
    const i = this.runs.findIndex((r) => r.id === runId);
    const before = this.runs[i];
    if (before === undefined) return;
    let run = before;
    for (const action of msg.actions) run = reduceRun(run, action);
    this.runs = this.runs.map((r, j) => (j === i ? run : r));
    // Following a run while it streams (its end, or its answer as it is written) = the user has not scrolled away from
    // it (see docs/design-notes.md).
    const view = this.views.get(runId);
    const following = this.isFollowing(view);
    view?.update(run, Date.now());
    if (before.status === 'running' && run.status !== 'running') {
      if (run.status === 'error') this.giveBackQuestion(run);
      this.announce(run);
      this.updateComposer();
      this.renderThreads();
      if (following && view) this.showAnswer(view);
    } else if (run.status !== 'running' && run.calls !== before.calls) {
      // A stopped run's paid calls come after the stop: the conversation's cost changed.
      this.renderThreads();
    }
    if (following && run.status === 'running') this.follow(view);
  }

  /** Rebuilds the run list for the active thread (a new chat shows none); turns before the latest show their candidates folded. */
  private showThread(): void {
    this.views.clear();
    this.history.replaceChildren();
    const runs = this.activeThreadId === undefined ? [] : threadRuns(this.runs, this.activeThreadId);
    runs.forEach((run, i) => {
      this.addView(run);
      if (i < runs.length - 1) this.views.get(run.id)?.foldCandidates();
    });
    this.renderSetup();
    const last = runs.at(-1);
    const view = last === undefined ? undefined : this.views.get(last.id);
    if (view) this.showAnswer(view);
    else this.scrollToEnd();
  }

  /** The conversation list and the shown conversation's turns and total cost. */
  private renderThreads(): void {
    const threads = listThreads(this.runs);
    this.threads.update(threads, this.activeThreadId);
    if (!this.setup.hasEndpoints) this.threads.el.hidden = true;
    const shown = threads.find((t) => t.id === this.activeThreadId);
    this.threadHead.hidden = shown === undefined || shown.turns < 2 || !this.setup.hasEndpoints;
    if (!shown) return;
    const runs = threadRuns(this.runs, shown.id);
    const tokens = runs.reduce((sum, r) => sum + (r.tokens ? r.tokens.prompt + r.tokens.completion : 0), 0);
    setText(this.threadHead, `This conversation: ${threadMeta(shown)}${shown.costUsd === null ? '' : ' in all'} · ${formatTokenPhrase(tokens)}`);
  }

  private addView(run: RunState): void {
    this.views.get(run.id)?.root.remove();
    const view = new RunView(run, render);
    if (this.runs.some((r) => r.askedAgain?.runId === run.id)) view.markAskedAgain();
    this.views.set(run.id, view);
    this.history.append(view.root);
  }

  /** A question typed in the box that failed comes back into the empty box, to send again (Enter) or to edit. */
  private giveBackQuestion(run: RunState): void {
    if (run.id !== this.typedRunId || this.input.value.trim() !== '') return;
    this.input.value = run.question;
    saveState({ draft: run.question });
    this.updateComposer();
  }

  /** Retry sends the failed question itself: the copy given back to the box is taken out again. */
  private takeBackQuestion(runId: string): void {
    const run = this.runs.find((r) => r.id === runId);
    if (!run || this.input.value.trim() !== run.question) return;
    this.input.value = '';
    saveState({ draft: '' });
    this.updateComposer();
  }

  private activeRun(): RunState | undefined {
    return this.runs.find((r) => r.status === 'running');
  }

  private renderSetup(): void {
    const { hasEndpoints, configError } = this.setup;
    this.welcome.hidden = hasEndpoints;
    this.bank.el.hidden = !hasEndpoints;
    this.configError.hidden = configError === undefined;
    if (configError) {
      this.configError.replaceChildren(
        h('span', {}, `Invalid setting ${configError.setting}: ${configError.message}`),
        h('button', { type: 'button', class: 'link-button', 'data-action': 'command', 'data-command': 'smcs.openSettings', 'data-testid': 'config-error-open-settings' }, 'Open Settings'),
      );
    }
    const shown = this.runs.some((r) => r.threadId === this.activeThreadId);
    this.history.hidden = !shown;
    this.empty.hidden = !hasEndpoints || shown;
    this.composer.hidden = !hasEndpoints;
    this.renderThreads();
    this.updateComposer();
  }

  private updateComposer(): void {
    const running = this.activeRun() !== undefined;
    this.send.toggleAttribute('disabled', running || this.input.value.trim() === '');
    this.send.title = running ? 'Wait for the current run or press Stop' : 'Ask (Enter)';
    this.clear.hidden = this.runs.length === 0;
    const estimate = this.estimate?.question === this.input.value.trim() ? this.estimate : undefined;
    const expectedUsd = estimate?.expectedUsd ?? null;
    this.costEstimate.hidden = expectedUsd === null;
    if (expectedUsd === null || estimate === undefined) return;
    setText(this.costEstimate, `≈ ${formatUsd(expectedUsd)}`);
    const worst = estimate.worstUsd !== null ? ` At worst ${formatUsd(estimate.worstUsd)}, if every reply used the whole output limit (smcs.maxTokens).` : '';
    setAttr(this.costEstimate, 'title', `Expected cost of this question with the models the bank chose for it. ${estimateBasisText(estimate.basis)}${worst}`);
    setAttr(this.costEstimate, 'aria-label', `Expected cost: about ${formatUsd(expectedUsd)}`);
  }

  /** Asks the host for the estimate before sending, once typing pauses. */
  private requestEstimate(): void {
    clearTimeout(this.estimateTimer);
    this.estimateTimer = setTimeout(() => {
      const question = this.input.value.trim();
      // The current file's chip says what part of it this question sends (cheap: the host reads only the open file).
      post({ type: 'file-share', question, ...this.chips.choice() });
      if (question !== '' && this.setup.hasEndpoints) post({ type: 'estimate', question, ...this.chips.choice() });
    }, 400);
  }

  private announce(run: RunState): void {
    let text: string;
    if (run.status === 'done') {
      const choice = answerView(run).candidate;
      const reference = answerReferences(run).checksReference;
      if (choice >= 0) text = `Answer ready: ${candidatePhrase(run, run.winner ?? choice)} won.`;
      else if (reference !== undefined) text = `Answer ready: ${shortModelNames(run.referencers.map((r) => r.model)).get(reference) ?? reference}'s reply, chosen by ${referenceChooser(run.selectedBy)}.`;
      else text = 'Answer ready.';
    } else if (run.status === 'cancelled') {
      text = 'Run stopped.';
    } else {
      text = `Run failed: ${run.error?.message ?? 'unknown error'}`;
    }
    setText(this.announcer, '');
    setTimeout(() => setText(this.announcer, text), 50);
  }

  private isNearBottom(): boolean {
    const el = document.scrollingElement ?? document.documentElement;
    return el.scrollHeight - el.scrollTop - el.clientHeight < FOLLOW_PX;
  }

  /** Whether the user follows a live run: at the end of the conversation, or where following its answer as it is written put them. */
  private isFollowing(view: RunView | undefined): boolean {
    const top = this.answerFollowTop(view);
    const el = document.scrollingElement ?? document.documentElement;
    return this.isNearBottom() || (top !== undefined && Math.abs(top - el.scrollTop) < FOLLOW_PX);
  }

  /** Keeps a live run in view: the answer as it is written, when the card shows one, else the end where its replies stream. */
  private follow(view: RunView | undefined): void {
    const top = this.answerFollowTop(view);
    if (top === undefined) return this.scrollToEnd();
    (document.scrollingElement ?? document.documentElement).scrollTop = top;
  }

  /**
   * Where following a run puts the view while its answer is written: the answer's end just above the question box, but
   * never its head under the live run's stage strip — a long answer is read from its top as it grows. Undefined when
   * the run's answer card shows no candidate being written.
   */
  private answerFollowTop(view: RunView | undefined): number | undefined {
    if (view === undefined || !view.writing) return undefined;
    const el = document.scrollingElement ?? document.documentElement;
    const room = window.innerHeight - this.composer.offsetHeight;
    const answer = view.answer.getBoundingClientRect();
    const shift = Math.min(answer.bottom + ANSWER_MARGIN_PX - room, answer.top - view.stripHeight - ANSWER_MARGIN_PX);
    return Math.max(0, Math.min(el.scrollTop + shift, el.scrollHeight - el.clientHeight));
  }

  /**
   * Shows a turn's answer at the top of the view: from the turn's question when the answer's first lines still fit
   * below it (above the question box), else from the answer itself. A turn without an answer (running, failed,
   * stopped) shows the end of the conversation instead, where its banner and replies are.
   */
  private showAnswer(view: RunView): void {
    if (view.answer.hidden) {
      this.scrollToEnd();
      return;
    }
    const el = document.scrollingElement ?? document.documentElement;
    const room = window.innerHeight - this.composer.offsetHeight;
    const runTop = view.root.getBoundingClientRect().top + el.scrollTop;
    const answerTop = view.answer.getBoundingClientRect().top + el.scrollTop;
    const firstLines = ANSWER_LINES_SHOWN * (parseFloat(getComputedStyle(view.answer).lineHeight) || 20);
    el.scrollTop = answerTop - runTop + firstLines <= room ? runTop : answerTop - ANSWER_MARGIN_PX;
  }

  private scrollToEnd(): void {
    const el = document.scrollingElement ?? document.documentElement;
    el.scrollTop = el.scrollHeight;
  }
}

const root = document.getElementById('app');
if (root) {
  new Panel(root);
  post({ type: 'ready' });
}
