/**
 * The SMCS panel (runs inside the webview). State lives in the extension host: on load the panel
 * posts `ready`, receives a snapshot, then applies streamed run actions with the same reducer as
 * the host (src/presentation/runState.ts). This file builds the panel's parts and wires them: a click goes to its
 * action's handler (the tables of ./composerActions.ts, ./runViewActions.ts, ./codeBlockActions.ts, ./threadActions.ts,
 * ./bankActions.ts), a host message to its type's (./hostMessages.ts); ./follow.ts keeps the run followed in view.
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
import DOMPurify from 'dompurify';
import { reduceRun, type RunState } from '../presentation/runState';
import { listThreads, threadRuns } from '../presentation/threads';
import { isHostToWebview, type HostToWebview, type SetupState, type WebviewToHost } from '../presentation/protocol';
import { formatTokenPhrase } from '../presentation/format';
import { isPanelAction, type ActionHandlers, type PanelAction } from './actions';
import { Announcer } from './announcer';
import { bankActions } from './bankActions';
import { BankView } from './bankView';
import { codeBlockActions } from './codeBlockActions';
import { Composer, type ComposerState } from './composer';
import { composerActions } from './composerActions';
import { commandButton, h, setText } from './dom';
import { RunFollower } from './follow';
import { dispatchHostMessage, type HostMessageHandlers, type HostMessageType } from './hostMessages';
import { createMarkdownRenderer } from './markdown';
import { RunView } from './runView';
import { compareChoice, runViewActions } from './runViewActions';
import { threadActions } from './threadActions';
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

/** What the webview keeps across reloads of its own: the question box's draft and chips, whether the Bank and Conversations sections are open. */
interface DraftState extends ComposerState {
  bankOpen?: boolean;
  threadsOpen?: boolean;
}

function savedState(): DraftState {
  const saved = vscode.getState() as DraftState | undefined;
  return saved !== null && typeof saved === 'object' ? saved : {};
}

function saveState(patch: DraftState): void {
  vscode.setState({ ...savedState(), ...patch } satisfies DraftState);
}

class Panel {
  private runs: RunState[] = [];
  /** The thread shown (the next question continues it); undefined = a new chat. */
  private activeThreadId: string | undefined;
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
  private readonly threads = new ThreadList(savedState().threadsOpen === true, (open) => saveState({ threadsOpen: open }));
  private readonly threadHead = h('div', { class: 'thread-head', 'data-testid': 'thread-head' });
  private readonly composer = new Composer(savedState(), {
    post,
    save: saveState,
    running: () => this.activeRun() !== undefined,
    hasRuns: () => this.runs.length > 0,
    hasEndpoints: () => this.setup.hasEndpoints,
  });
  private readonly bank = new BankView(savedState().bankOpen === true, (open) => saveState({ bankOpen: open }));
  private readonly announcer = new Announcer();
  private readonly follower = new RunFollower(this.composer.el);

  private readonly clicks: ActionHandlers<PanelAction> = {
    ...composerActions(this.composer, post),
    ...runViewActions(post, (runId) => this.composer.takeBackQuestion(this.runs.find((r) => r.id === runId))),
    ...codeBlockActions(post),
    ...threadActions(this.composer, post),
    ...bankActions(post),
  };

  private readonly messages: HostMessageHandlers<HostMessageType> = {
    ...this.composer.messages,
    snapshot: (msg) => {
      this.setup = msg.snapshot.setup;
      this.runs = msg.snapshot.runs;
      this.activeThreadId = msg.snapshot.activeThreadId;
      this.showThread();
    },
    'run-started': (msg) => {
      this.runs = [...this.runs.filter((r) => r.id !== msg.run.id), msg.run];
      this.composer.runStarted(msg.run);
      if (msg.run.threadId !== this.activeThreadId) {
        this.activeThreadId = msg.run.threadId;
        this.showThread();
      } else {
        for (const view of this.views.values()) view.foldCandidates();
        if (msg.run.askedAgain) this.views.get(msg.run.askedAgain.runId)?.markAskedAgain();
        this.addView(msg.run);
        this.renderSetup();
        this.follower.scrollToEnd();
      }
    },
    'active-thread': (msg) => {
      this.activeThreadId = msg.threadId ?? undefined;
      this.showThread();
    },
    'runs-removed': (msg) => {
      const removed = new Set(msg.runIds);
      this.runs = this.runs.filter((r) => !removed.has(r.id));
      this.showThread();
    },
    'run-actions': (msg) => this.applyActions(msg.runId, msg),
    setup: (msg) => {
      this.setup = msg.setup;
      this.renderSetup();
    },
    'bank-summary': (msg) => this.bank.update(msg.bank),
  };

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
    this.app.replaceChildren(this.welcome, this.configError, this.bank.el, this.threads.el, this.threadHead, this.history, this.empty, this.composer.el, this.announcer.el);
    this.wire();
    this.renderSetup();
  }

  private wire(): void {
    document.addEventListener('click', (e) => this.onClick(e));
    document.addEventListener('change', (e) => compareChoice(e, post));
    window.addEventListener('message', (e: MessageEvent<unknown>) => {
      if (isHostToWebview(e.data)) dispatchHostMessage(this.messages, e.data);
    });
    setInterval(() => {
      const now = Date.now();
      for (const run of this.runs) if (run.status === 'running') this.views.get(run.id)?.tick(now);
    }, 250);
  }

  private onClick(e: MouseEvent): void {
    const target = e.target instanceof Element ? e.target.closest<HTMLElement>('[data-action]') : null;
    if (!target) return;
    const action = target.dataset.action;
    if (!isPanelAction(action)) return;
    const runId = target.dataset.runId ?? target.closest<HTMLElement>('[data-run-id]')?.dataset.runId;
    this.clicks[action]({ target, runId });
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
    const following = this.follower.isFollowing(view);
    view?.update(run, Date.now());
    if (before.status === 'running' && run.status !== 'running') {
      if (run.status === 'error') this.composer.giveBackQuestion(run);
      this.announcer.announce(run);
      this.composer.update();
      this.renderThreads();
      if (following && view) this.follower.showAnswer(view);
    } else if (run.status !== 'running' && run.calls !== before.calls) {
      // A stopped run's paid calls come after the stop: the conversation's cost changed.
      this.renderThreads();
    }
    if (following && run.status === 'running') this.follower.follow(view);
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
    if (view) this.follower.showAnswer(view);
    else this.follower.scrollToEnd();
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
    this.composer.el.hidden = !hasEndpoints;
    this.renderThreads();
    this.composer.update();
  }
}

const root = document.getElementById('app');
if (root) {
  new Panel(root);
  post({ type: 'ready' });
}
