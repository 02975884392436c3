/**
 * `@smcs` in VS Code's chat: a request runs the whole method, in the chat's own parts — a progress line per stage as
 * it happens (presentation/chatText.ts, read from the run's progress), the answer as markdown, the files that went as
 * context as references, the line saying which candidate answered, how many agree and the checks it passes, the cost
 * line, and buttons to use another candidate, compare it with the winner, or open the run in the SMCS panel. The run is
 * the panel's like any other (prepared by the engine, judged by the cost policy `ask`, recorded into the history, its
 * choices teaching the bank); a follow-up continues its conversation. It imports `vscode` for types only, so its tests
 * drive it on node.
 */
import type * as vscode from 'vscode';
import { errorMessage } from '../../core/contracts/errors';
import { PRESETS } from '../../core/contracts/types';
import { costVerdict } from '../../core/cost/costPolicy';
import { cleanMessage } from '../../core/util/redact';
import type { Turn } from '../../core/ask/conversation';
import type { Engine, PreparedAsk } from '../../engine/types';
import { chatAnswerLine, chatProgressLine } from '../../presentation/chatText';
import { costSummary } from '../../presentation/costSummary';
import { shownAnswer } from '../../presentation/runAnswer';
import { runProgress } from '../../presentation/runProgress';
import { createRun, type RunState } from '../../presentation/runState';
import type { GatheredContext, QuestionContextOptions } from '../context/questionContext';
import type { LogLevel } from '../log';
import { askOptions } from '../panel/askOptions';
import type { PanelRuns } from '../panel/panelRuns';
import { recordRun } from '../panel/recordRun';
import type { SettingsState } from '../settings';
import { NO_SERVERS, settingFailure } from '../languageModel/lmErrors';

/** The participant's commands (declared in package.json, hidden from the palette): each takes the run's id. */
export const CHAT_COMMANDS = {
  useCandidate: 'smcs.chat.useCandidate',
  compare: 'smcs.compareCandidates',
  openRun: 'smcs.chat.openRun',
} as const;

/** What a response of `@smcs` keeps for the next turn: the run, and the conversation it belongs to. */
export interface SmcsChatMetadata {
  runId: string;
  threadId: string;
}

export interface SmcsParticipantDeps {
  engine: () => Promise<Engine>;
  runs: Pick<PanelRuns, 'startAside' | 'apply' | 'finishAside' | 'find' | 'turns'>;
  context: { gather(question: string, options?: QuestionContextOptions): Promise<GatheredContext> };
  settings: () => Pick<SettingsState, 'config' | 'problem' | 'hasEndpoints'>;
  log: { write(level: LogLevel, message: string): void };
  /** Asks the user what to do about a question that may cost more than the limit (the panel's dialog). */
  overBudget: (expectedUsd: number, worstUsd: number | null, limit: number) => Promise<'send' | 'cheaper' | 'cancel'>;
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

export class SmcsParticipant {
  private nextId = 0;

  constructor(private readonly deps: SmcsParticipantDeps) {}

  /** Answers one chat request; the result's metadata names the run and its conversation for the next turn. */
  async handle(request: vscode.ChatRequest, chat: vscode.ChatContext, stream: vscode.ChatResponseStream, token: vscode.CancellationToken): Promise<vscode.ChatResult> {
    const question = request.prompt.trim();
    if (question === '') {
      stream.markdown('Ask a coding question: several models answer it, and SMCS picks the answer.');
      return {};
    }
    const settings = this.deps.settings();
    const refusal = !settings.hasEndpoints ? NO_SERVERS : settings.problem ? settingFailure(settings.problem.setting, settings.problem.message) : undefined;
    if (refusal) {
      stream.markdown(refusal.message);
      stream.button({ command: settings.hasEndpoints ? 'smcs.openSettings' : 'smcs.addVllmServer', title: settings.hasEndpoints ? 'Open Settings' : 'Add vLLM Server' });
      return { errorDetails: { message: refusal.message } };
    }
    const abort = new AbortController();
    const cancelled = token.onCancellationRequested(() => abort.abort(new Error('stopped in the chat')));
    try {
      const { threadId, history } = this.conversation(chat);
      stream.progress('gathering the context');
      const gathered = await this.deps.context.gather(question, { addedFiles: this.deps.attachedFiles(request) });
      const engine = await this.deps.engine();
      const options = askOptions(history, gathered, abort.signal);
      const judged = await this.judged(engine, await engine.prepare(question, options), question, options);
      if (!judged) {
        stream.markdown(`Not sent: the question may cost more than smcs.maxCostPerQuestion (${settings.config?.maxCostPerQuestion ?? ''} USD).`);
        stream.button({ command: 'smcs.openSettings', title: 'Open Settings' });
        return {};
      }
      const run = await this.record(judged, { question, threadId, gathered, history }, stream, abort.signal);
      if (abort.signal.aborted || token.isCancellationRequested) return { metadata: { runId: run.id, threadId } };
      if (run.status !== 'done') {
        const message = run.error ? cleanMessage(run.error.message) : 'SMCS could not answer.';
        stream.markdown(message);
        stream.button({ command: CHAT_COMMANDS.openRun, title: 'Open in SMCS Panel', arguments: [run.id] });
        return { errorDetails: { message }, metadata: { runId: run.id, threadId } };
      }
      this.answer(run, stream);
      return { metadata: { runId: run.id, threadId } };
    } catch (err) {
      if (abort.signal.aborted) return {};
      const message = cleanMessage(errorMessage(err));
      this.deps.log.write('error', `@smcs: ${message}`);
      return { errorDetails: { message } };
    } finally {
      cancelled.dispose();
    }
  }

  /** The conversation a request continues: the run of the latest `@smcs` answer in the chat, else a new one. */
  private conversation(chat: vscode.ChatContext): { threadId: string; history: Turn[] } {
    const responses = chat.history.filter((turn): turn is vscode.ChatResponseTurn => 'response' in turn);
    const last = responses.map((turn) => turn.result.metadata).filter(isMetadata).at(-1);
    if (last && this.deps.runs.find(last.runId)) return { threadId: last.threadId, history: this.deps.runs.turns(last.threadId) };
    // Not (or no longer) in the history: the chat's own text of the earlier turns.
    const history: Turn[] = [];
    let asked: string | undefined;
    for (const turn of chat.history) {
      if ('prompt' in turn) asked = turn.prompt;
      else if (asked !== undefined) {
        history.push({ question: asked, answer: responseText(turn) });
        asked = undefined;
      }
    }
    return { threadId: `chat-${Date.now().toString(36)}-${(this.nextId++).toString(36)}`, history };
  }

  /** The ask judged by the cost policy `ask`: over smcs.maxCostPerQuestion the user is asked (undefined: declined). */
  private async judged(engine: Engine, prepared: PreparedAsk, question: string, options: ReturnType<typeof askOptions>): Promise<{ prepared: PreparedAsk; waive: boolean } | undefined> {
    const verdict = costVerdict(prepared.view, 'ask');
    if (verdict.action === 'send') return { prepared, waive: false };
    const { judgedUsd, worstUsd, limitUsd } = verdict.over;
    const answer = await this.deps.overBudget(judgedUsd, worstUsd, limitUsd);
    if (answer === 'cancel') return undefined;
    return { prepared: answer === 'cheaper' ? await engine.prepare(question, { ...options, params: PRESETS.fast }) : prepared, waive: true };
  }

  /** Runs the ask into the panel's history, a progress line in the chat each time the run's stage changes. */
  private async record(judged: { prepared: PreparedAsk; waive: boolean }, ask: { question: string; threadId: string; gathered: GatheredContext; history: Turn[] }, stream: vscode.ChatResponseStream, signal: AbortSignal): Promise<RunState> {
    const id = `chat-${Date.now().toString(36)}-${(this.nextId++).toString(36)}`;
    const limit = this.deps.settings().config?.maxCostPerQuestion ?? null;
    const { gathered } = ask;
    this.deps.runs.startAside({
      ...createRun(id, ask.question, Date.now(), ask.threadId),
      ...(limit !== null ? { costLimit: { maxUsd: limit, waived: judged.waive } } : {}),
      ...(gathered.notes.length > 0 ? { contextNotes: gathered.notes } : {}),
      ...(gathered.selection.items.length > 0 || gathered.selection.notes.length > 0 ? { selection: gathered.selection } : {}),
    });
    this.deps.log.write('info', `ask ${id}: asked with @smcs in VS Code's chat (${ask.question.length} characters${ask.history.length ? `, turn ${ask.history.length + 1} of its conversation` : ''})`);
    let shown = '';
    try {
      await recordRun(judged.prepared.run(signal, { waive: judged.waive }), id, this.deps.runs, this.deps.log, () => {
        const run = this.deps.runs.find(id);
        const line = run && run.status === 'running' ? chatProgressLine(runProgress(run)) : '';
        if (line !== '' && line !== shown) stream.progress(line);
        shown = line || shown;
      });
    } finally {
      await this.deps.runs.finishAside(id);
    }
    const run = this.deps.runs.find(id);
    if (!run) throw new Error(`the run ${id} left the history while it was answered`);
    return run;
  }

  /** A finished run in the chat: the answer, its context files, which candidate it is and its checks, the cost, the buttons. */
  private answer(run: RunState, stream: vscode.ChatResponseStream): void {
    stream.markdown(shownAnswer(run) ?? '');
    for (const item of run.contextReport ?? []) {
      const place = this.deps.location(item.path, item.startLine, item.endLine);
      if (place) stream.reference(place);
    }
    const notes = [chatAnswerLine(run), costSummary(run)].filter((line): line is string => line !== undefined);
    if (notes.length > 0) stream.markdown(`\n\n---\n${notes.map((line) => `*${line}*`).join('  \n')}\n`);
    const written = run.candidates.filter((c) => c.status === 'done');
    if (written.length >= 2) {
      stream.button({ command: CHAT_COMMANDS.useCandidate, title: 'Use Another Candidate', arguments: [run.id] });
      const other = written.find((c) => c.index !== run.winner);
      if (run.winner !== undefined && other) stream.button({ command: CHAT_COMMANDS.compare, title: 'Compare with the Winner', arguments: [run.id, other.index, run.winner] });
    }
    stream.button({ command: CHAT_COMMANDS.openRun, title: 'Open in SMCS Panel', arguments: [run.id] });
  }
}
