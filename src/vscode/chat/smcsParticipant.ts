/**
 * `@smcs` in VS Code's chat: a request runs the whole method through the ask loop (core/ask/askLoop), its policy the
 * panel's — over smcs.maxCostPerQuestion, or for a large paste, the user is asked — and its sink the chat's own parts:
 * a progress line per stage as it happens (presentation/chatText.ts: arrivals and failures counted apart), then, however
 * the run ended, what the panel says of it:
 * - done: the answer as markdown, the line saying where the final answers agree and which reply answered and why, the
 *   files that went as context, the stages it went through, the cost, and buttons to use another reply, compare, or
 *   open the run in the SMCS panel;
 * - failed: the panel's sentence (which endpoint, what went wrong, what to do) with its remedies as buttons and Retry;
 * - stopped: the replies received so far and their cost (VS Code takes no more parts once Stop is clicked, so a
 *   notification says it at once, and the next reply of `@smcs` opens with it).
 * The run is the panel's like any other (in its history, its choices teaching the bank); a follow-up continues its
 * conversation. `/kept` shows the reply the user took with "Use Another Candidate". It imports `vscode` for types only,
 * so its tests drive it on node.
 */
import type * as vscode from 'vscode';
import { errorMessage } from '../../core/contracts/errors';
import { PRESETS } from '../../core/contracts/types';
import { cleanMessage } from '../../core/util/redact';
import { totalCost } from '../../core/cost/costs';
import type { CallRecord } from '../../core/contracts/types';
import type { Turn } from '../../core/ask/conversation';
import type { OverLimit } from '../../core/cost/costPolicy';
import { runAsk, type AskOutcome, type AskPolicy, type OverLimitAnswer, type PromptSize } from '../../core/ask/askLoop';
import type { Engine, PreparedAsk } from '../../engine/types';
import { answerView } from '../../presentation/answerView';
import { chatAnswerLines, chatContextLines, chatProgressLine, chatStagesLine, chatStopped, literalMarkdown } from '../../presentation/chatText';
import { costSummary } from '../../presentation/costSummary';
import { StreamedAnswer } from '../../presentation/streamedAnswer';
import { formatUsd } from '../../presentation/format';
import { failureNotice } from '../../presentation/errorHelp';
import { runProgress } from '../../presentation/runProgress';
import { createRun, type RunState } from '../../presentation/runState';
import type { GatheredContext, QuestionContextOptions } from '../context/questionContext';
import type { LogLevel } from '../log';
import { askOptions } from '../panel/askOptions';
import type { PanelRuns } from '../panel/panelRuns';
import { recordingEvents } from '../panel/recordRun';
import type { SettingsState } from '../settings';
import { NO_SERVERS, settingFailure } from '../languageModel/lmErrors';

/** The participant's commands (declared in package.json, hidden from the palette): each takes the run's id. */
export const CHAT_COMMANDS = {
  useCandidate: 'smcs.chat.useCandidate',
  compare: 'smcs.compareCandidates',
  openRun: 'smcs.chat.openRun',
  /** Asks the run's question again in the chat. */
  askAgain: 'smcs.chat.askAgain',
  /** Applies an embedder remedy (its id the second argument), then asks the run's question again in the chat. */
  retryWith: 'smcs.chat.retryWith',
} as const;

/** The slash command that shows the reply the user took instead of the answer (sent by "Use Another Candidate"). */
export const KEPT_COMMAND = 'kept';

/** What a response of `@smcs` keeps for the next turn: the run, and the conversation it belongs to. */
export interface SmcsChatMetadata {
  runId: string;
  threadId: string;
}

/** A stopped run told outside the chat (VS Code takes no more parts once Stop is clicked). */
export interface StoppedNotice {
  runId: string;
  text: string;
}

export interface SmcsParticipantDeps {
  /** The engine for the question sent (EngineHolder.forQuestion: a declined model download is asked about again). */
  engine: () => Promise<Engine>;
  runs: Pick<PanelRuns, 'startAside' | 'apply' | 'finishAside' | 'find' | 'turns'>;
  context: { gather(question: string, options?: QuestionContextOptions): Promise<GatheredContext> };
  settings: () => Pick<SettingsState, 'config' | 'problem' | 'hasEndpoints'>;
  log: { write(level: LogLevel, message: string): void };
  /** Asks the user what to do about a question that may cost more than the limit (the panel's dialog). */
  overBudget: (over: OverLimit) => Promise<OverLimitAnswer>;
  /** Asks the user whether to send a question of LARGE_PROMPT_TOKENS or more (the panel's dialog). */
  confirmLarge: (size: PromptSize) => Promise<boolean>;
  /** Says that a run was stopped, with its buttons, where the chat no longer can (a notification). */
  stopped: (notice: StoppedNotice) => void;
  /** Where a context item is, as the chat shows a reference (undefined for what is not a file: the terminal, problems). */
  location: (path: string, startLine: number, endLine: number) => vscode.Uri | vscode.Location | undefined;
  /** The workspace-relative paths of the files a chat request attached (`#file`). */
  attachedFiles: (request: vscode.ChatRequest) => string[];
}

const isMetadata = (value: unknown): value is SmcsChatMetadata =>
  typeof value === 'object' && value !== null && typeof (value as SmcsChatMetadata).runId === 'string' && typeof (value as SmcsChatMetadata).threadId === 'string';

/** The markdown text of a response turn (what the chat shows of an earlier answer). */
function responseText(turn: vscode.ChatResponseTurn): string {
  return turn.response
    .map((part) => {
      const value = (part as { value?: unknown }).value;
      return typeof value === 'object' && value !== null && typeof (value as { value?: unknown }).value === 'string' ? (value as { value: string }).value : '';
    })
    .join('');
}

/**
 * The question as typed: `@smcs` is sticky, so a user who types it again ("@smcs @smcs how…", or after a line break)
 * is not asking about the word; it is not part of the question.
 */
export function typedQuestion(prompt: string): string {
  return prompt.replace(/^(?:\s*@smcs\b[ \t]*)+/i, '').trim();
}

export class SmcsParticipant {
  private nextId = 0;
  /** A run stopped in the chat, told at the top of the next reply: the stopped reply itself takes no more parts. */
  private stopped: StoppedNotice | undefined;

  constructor(private readonly deps: SmcsParticipantDeps) {}

  /** Answers one chat request; the result's metadata names the run and its conversation for the next turn. */
  async handle(request: vscode.ChatRequest, chat: vscode.ChatContext, stream: vscode.ChatResponseStream, token: vscode.CancellationToken): Promise<vscode.ChatResult> {
    if (request.command === KEPT_COMMAND) return this.kept(chat, stream);
    const stopped = this.stopped;
    this.stopped = undefined;
    // The chat keeps a stopped reply as it was when Stop was clicked: the conversation says what became of it here.
    if (stopped) stream.markdown(`*${literalMarkdown(`The question before this one was stopped. ${stopped.text.replace(/^Stopped\. /, '')}`)}*\n\n`);
    const question = typedQuestion(request.prompt);
    if (question === '') {
      stream.markdown('Ask a coding question: several models answer it, and SMCS picks the answer.');
      return {};
    }
    const settings = this.deps.settings();
    const refusal = !settings.hasEndpoints ? NO_SERVERS : settings.problem ? settingFailure(settings.problem.setting, settings.problem.message) : undefined;
    if (refusal) {
      // Said once, in the reply: an `errorDetails` would print it a second time under it.
      stream.markdown(literalMarkdown(refusal.message));
      stream.button({ command: settings.hasEndpoints ? 'smcs.openSettings' : 'smcs.addVllmServer', title: settings.hasEndpoints ? 'Open Settings' : 'Add vLLM Server' });
      return {};
    }
    const abort = new AbortController();
    const cancelled = token.onCancellationRequested(() => abort.abort(new Error('stopped in the chat')));
    const { threadId, history } = this.conversation(chat);
    const id = `chat-${Date.now().toString(36)}-${(this.nextId++).toString(36)}`;
    let started = false;
    try {
      stream.progress('gathering the context');
      const gathered = await this.deps.context.gather(question, { addedFiles: this.deps.attachedFiles(request) });
      const options = askOptions(history, gathered, abort.signal);
      let engine: Engine | undefined;
      const prepare = async (cheaper: boolean): Promise<PreparedAsk> => {
        engine ??= await this.deps.engine();
        return engine.prepare(question, cheaper ? { ...options, params: PRESETS.fast } : options);
      };
      const policy: AskPolicy = { cost: 'ask', confirmOverLimit: this.deps.overBudget, confirmLarge: this.deps.confirmLarge };
      let shown = '';
      const spent: CallRecord[] = [];
      const progress = (): void => {
        // Once the answer is being written, no more progress lines: the chat folds the answer into them otherwise.
        if (streamed.started) return;
        const run = this.deps.runs.find(id);
        const line = run && run.status === 'running' ? progressWithCost(run, spent) : '';
        if (line !== '' && line !== shown) stream.progress(line);
        shown = line || shown;
      };
      // The answer as it is written: the first aggregation's words, before the run is scored (presentation/streamedAnswer).
      const streamed = new StreamedAnswer({ role: () => undefined, content: (text) => stream.markdown(text) });
      const record = recordingEvents(id, this.deps.runs, this.deps.log, progress);
      const outcome = await runAsk(
        prepare,
        policy,
        {
          sending: ({ waived }) => {
            started = true;
            this.start(id, { question, threadId, gathered, history, waived });
          },
          event: (event) => {
            if (!abort.signal.aborted) streamed.event(event);
            record(event);
          },
          call: (call) => {
            spent.push(call);
            progress();
          },
        },
        abort.signal,
      );
      if (outcome.type === 'refused' || outcome.type === 'declined') {
        this.notSent(outcome, stream);
        return {};
      }
      await this.deps.runs.finishAside(id);
      const run = this.deps.runs.find(id);
      if (!run) throw new Error(`the run ${id} left the history while it was answered`);
      const metadata: SmcsChatMetadata = { runId: run.id, threadId };
      if (outcome.type === 'stopped' || token.isCancellationRequested) this.stoppedRun(run, stream, streamed);
      else if (run.status === 'done') this.answer(run, stream, streamed);
      else this.failed(run, stream, streamed);
      return { metadata };
    } catch (err) {
      const message = cleanMessage(errorMessage(err));
      this.deps.log.write('error', `@smcs: ${message}`);
      if (!abort.signal.aborted) {
        stream.markdown(literalMarkdown(`SMCS could not answer: ${message}`));
        stream.button({ command: 'smcs.showLog', title: 'Show Log' });
      }
      return {};
    } finally {
      if (started && this.deps.runs.find(id)?.status === 'running') await this.deps.runs.finishAside(id);
      cancelled.dispose();
    }
  }

  /** The run joins the panel's history once the ask passed its verdict. */
  private start(id: string, ask: { question: string; threadId: string; gathered: GatheredContext; history: Turn[]; waived: boolean }): void {
    const limit = this.deps.settings().config?.maxCostPerQuestion ?? null;
    const { gathered } = ask;
    this.deps.runs.startAside({
      ...createRun(id, ask.question, Date.now(), ask.threadId),
      ...(limit !== null ? { costLimit: { maxUsd: limit, waived: ask.waived } } : {}),
      ...(gathered.notes.length > 0 ? { contextNotes: gathered.notes } : {}),
      ...(gathered.selection.items.length > 0 || gathered.selection.notes.length > 0 ? { selection: gathered.selection } : {}),
    });
    this.deps.log.write('info', `ask ${id}: asked with @smcs in VS Code's chat (${ask.question.length} characters${ask.history.length ? `, turn ${ask.history.length + 1} of its conversation` : ''})`);
  }

  /** The conversation a request continues: the run of the latest `@smcs` answer in the chat, else a new one. */
  private conversation(chat: vscode.ChatContext): { threadId: string; history: Turn[] } {
    const last = this.lastRun(chat);
    if (last) return { threadId: last.threadId, history: this.deps.runs.turns(last.threadId) };
    // Not (or no longer) in the history: the chat's own text of the earlier turns.
    const history: Turn[] = [];
    let asked: string | undefined;
    for (const turn of chat.history) {
      if ('prompt' in turn) asked = turn.prompt;
      else if (asked !== undefined) {
        history.push({ question: typedQuestion(asked), answer: responseText(turn) });
        asked = undefined;
      }
    }
    return { threadId: `chat-${Date.now().toString(36)}-${(this.nextId++).toString(36)}`, history };
  }

  /** The metadata of the latest `@smcs` answer of the chat whose run is still in the history. */
  private lastRun(chat: vscode.ChatContext): SmcsChatMetadata | undefined {
    const responses = chat.history.filter((turn): turn is vscode.ChatResponseTurn => 'response' in turn);
    const last = responses.map((turn) => turn.result.metadata).filter(isMetadata).at(-1);
    return last && this.deps.runs.find(last.runId) ? last : undefined;
  }

  /** `/kept`: the reply the user took for the conversation's latest run, shown as its answer now (and carried by follow-ups). */
  private kept(chat: vscode.ChatContext, stream: vscode.ChatResponseStream): vscode.ChatResult {
    const last = this.lastRun(chat);
    const run = last && this.deps.runs.find(last.runId);
    if (!last || !run || run.status !== 'done') {
      stream.markdown('There is no answer of `@smcs` in this chat to keep another reply of.');
      return {};
    }
    const view = answerView(run);
    stream.markdown(view.text ?? '');
    const lines = chatAnswerLines(run);
    if (lines.length > 0) stream.markdown(`\n\n---\n${lines.map((line) => `*${literalMarkdown(line)}*`).join('  \n')}\n`);
    stream.button({ command: CHAT_COMMANDS.useCandidate, title: 'Use Another Candidate', arguments: [run.id] });
    stream.button({ command: CHAT_COMMANDS.openRun, title: 'Open in SMCS Panel', arguments: [run.id] });
    return { metadata: last };
  }

  /** A finished run in the chat: the answer, why it is the answer, its context files, its stages, the cost, the buttons. */
  private answer(run: RunState, stream: vscode.ChatResponseStream, streamed: StreamedAnswer): void {
    const view = answerView(run);
    if (streamed.started && view.shown) streamed.finish({ answer: view.shown, selectedBy: run.selectedBy ?? 'score' }, view.text ?? '');
    else stream.markdown(view.text ?? '');
    const places = (run.contextReport ?? []).map((item) => ({ item, place: this.deps.location(item.path, item.startLine, item.endLine) }));
    for (const { place } of places) if (place) stream.reference(place);
    const lines = [...chatAnswerLines(run).map(literalMarkdown), ...[costSummary(run)].filter((l): l is string => l !== undefined).map(literalMarkdown), ...chatContextLines(run).map(literalMarkdown)];
    stream.markdown(`\n\n---\n${lines.map((line) => `*${line}*`).join('  \n')}${lines.length > 0 ? '  \n' : ''}`);
    // The references and the stages stay in view once the chat folds its progress lines away.
    const sent = places.filter((p) => p.place !== undefined);
    if (sent.length > 0) {
      stream.markdown('*Context sent:* ');
      sent.forEach(({ item, place }, i) => {
        if (place) stream.anchor(place, `${item.path} ${item.startLine}–${item.endLine}`);
        stream.markdown(i < sent.length - 1 ? ', ' : '  \n');
      });
    }
    stream.markdown(`*${literalMarkdown(chatStagesLine(run, runProgress(run)))}*\n`);
    const replies = run.candidates.filter((c) => c.status === 'done').length + run.referencers.filter((r) => r.status === 'done').length;
    if (replies >= 2) stream.button({ command: CHAT_COMMANDS.useCandidate, title: 'Use Another Candidate', arguments: [run.id] });
    const written = run.candidates.filter((c) => c.status === 'done');
    const other = written.find((c) => c.index !== run.winner);
    if (run.winner !== undefined && other) stream.button({ command: CHAT_COMMANDS.compare, title: `Compare with the ${answerView(run).topLabel === 'winner' ? 'Winner' : 'Best Candidate'}`, arguments: [run.id, other.index, run.winner] });
    stream.button({ command: CHAT_COMMANDS.openRun, title: 'Open in SMCS Panel', arguments: [run.id] });
  }

  /** A failed run in the panel's words: which endpoint, what went wrong and what to do, the details, the remedies as buttons. */
  private failed(run: RunState, stream: vscode.ChatResponseStream, streamed: StreamedAnswer): void {
    // Words already written are not left to read as the answer: a line says they were cut short, as `smcs ask` says.
    streamed.cutShort('failed');
    const notice = failureNotice(run.error ?? { message: 'SMCS could not answer', kind: 'internal', causes: [] });
    stream.markdown(`${literalMarkdown(notice.text)}\n`);
    if (notice.details.length > 0) stream.markdown(`\n**Details**\n\n${notice.details.map((d) => `- ${literalMarkdown(cleanMessage(d))}`).join('\n')}\n`);
    const cost = costSummary(run);
    if (cost) stream.markdown(`\n*${literalMarkdown(cost)}*\n`);
    for (const action of notice.actions) {
      if ('command' in action) stream.button({ command: action.command, title: action.label });
      else stream.button({ command: CHAT_COMMANDS.retryWith, title: action.label, arguments: [run.id, action.remedy] });
    }
    stream.button({ command: CHAT_COMMANDS.askAgain, title: 'Retry', arguments: [run.id] });
    stream.button({ command: CHAT_COMMANDS.openRun, title: 'Open in SMCS Panel', arguments: [run.id] });
  }

  /** A stopped run: the replies received so far and their cost, in the chat when it still takes parts, and in a notification. */
  private stoppedRun(run: RunState, stream: vscode.ChatResponseStream, streamed: StreamedAnswer): void {
    const stopped = chatStopped(run);
    const told = chatStopped(run, 'in the SMCS panel');
    const notice: StoppedNotice = { runId: run.id, text: [told.text, told.cost].filter((t) => t !== undefined).join(' ') };
    this.deps.stopped(notice);
    this.stopped = notice;
    try {
      streamed.cutShort('stopped');
      stream.markdown(`**${literalMarkdown(stopped.text)}**\n`);
      for (const reply of stopped.replies) stream.markdown(`\n#### ${literalMarkdown(reply.title)}\n\n${reply.text}\n`);
      if (stopped.cost) stream.markdown(`\n*${literalMarkdown(stopped.cost)}*\n`);
      stream.button({ command: CHAT_COMMANDS.askAgain, title: 'Ask Again', arguments: [run.id] });
      stream.button({ command: CHAT_COMMANDS.openRun, title: 'Open in SMCS Panel', arguments: [run.id] });
    } catch (err) {
      // VS Code closed the response when Stop was clicked: the notification says it.
      this.deps.log.write('info', `@smcs: the stopped run ${run.id} is told in a notification (${errorMessage(err)})`);
    }
  }

  /** Nothing was sent: over the limit with nothing that fits it, or the user said no. */
  private notSent(outcome: Extract<AskOutcome, { type: 'refused' | 'declined' }>, stream: vscode.ChatResponseStream): void {
    const why =
      outcome.type === 'refused'
        ? `no model fits the limit set by smcs.maxCostPerQuestion (${outcome.nothingFits ?? 'over the limit'})`
        : outcome.size
          ? 'you chose not to send a question this large'
          : `the question may cost more than smcs.maxCostPerQuestion (${outcome.over ? formatUsd(outcome.over.limitUsd) : 'its limit'}), and you chose not to send it`;
    stream.markdown(literalMarkdown(`Not sent: ${why}.`));
    stream.button({ command: 'smcs.openSettings', title: 'Open Settings' });
  }
}

/** The progress line, with what the calls that ended have cost so far (what a Stop would leave spent). */
function progressWithCost(run: RunState, spent: CallRecord[]): string {
  const line = chatProgressLine(runProgress(run), run);
  const cost = spent.length > 0 ? costSummary({ calls: spent, costUsd: totalCost(spent) ?? undefined }) : undefined;
  return cost === undefined ? line : `${line} · so far ${cost}`;
}
