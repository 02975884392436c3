/**
 * `smcs ask "<question>"`: one SMCS run; the answer (the winner's, or a reference's own reply) under the line saying
 * where the models' final answers agree, and a compact table, or the JSON document of src/cli/askDocument.ts. On a
 * terminal the answer's words go out as they are written, the lines about it under it (src/cli/terminalAnswer.ts).
 * `--thread FILE` continues a conversation; the estimate before sending is checked against the cost ceiling.
 */
import { formatCount, formatQuantity, formatUsd } from '../../presentation/format';
import { ended, RunTracker, type RunProgress } from '../../presentation/runProgress';
import { stoppedNote } from '../../presentation/stoppedNote';
import { contextPerCall, contextTokensSent } from '../../presentation/costSummary';
import { partNotes, withheldLine } from '../../presentation/withheldFiles';
import { checkLine, checksReferenceText, referenceOffer, uncheckedNote, type CheckedReplies } from '../../presentation/checkText';
import type { Behaviour, CheckSummary, ReplyRef } from '../../core/contracts/checks';
import { replyAnswerLabel } from '../../presentation/agreementLine';
import { answerView, candidateNote, checksTieSentence, resultSource } from '../../presentation/answerView';
import { similarRecord } from '../../presentation/unprofiled';
import type { AskResult, PipelineEvent } from '../../core/contracts/events';
import { stripTerminalControls } from '../../core/util/terminalText';
import { PRESETS, type PresetName } from '../../core/contracts/types';
import { createEngine } from '../../engine/engine';
import { runAsk, type AskOutcome, type AskPolicy, type RunnableAsk } from '../../core/ask/askLoop';
import { askDocument, isChecksTie } from '../askDocument';
import { cliHooks, loadConfig, terminalOf, type GlobalOptions } from '../context';
import { TerminalAnswer } from '../terminalAnswer';
import { UsageError } from '../errors';
import { MB, readUserFile, utf8Text } from '../../files/userFile';
import { failureLines } from '../endpointFailure';
import { jsonDocument } from '../../presentation/jsonDocument';
import { readThread, writeThread } from '../threadFile';
import type { ContextReport } from '../../core/contracts/contextReport';
import { attachedFiles, openFileState, workspaceFolder } from '../attachments';
import { answerText } from '../../core/contracts/answer';
import { referenceFields } from '../../presentation/answerNames';
import { teamServerOf } from '../../core/contracts/config';

export interface AskCommandOptions extends GlobalOptions {
  /** Read the question from this file instead of the argument. */
  questionFile?: string;
  json?: boolean;
  /** Validated by the option's choices. */
  preset?: PresetName;
  verbose?: boolean;
  /** The conversation file to continue and append to. */
  thread?: string;
  /** USD: the most this question may cost (overrides the config's maxCostPerQuestion). */
  maxCost?: number;
  /** The workspace folder code is retrieved from. */
  workspace?: string;
  /** Files attached by the user. */
  file?: string[];
  /** `PATH[:LINE]`: the file open in the editor, the cursor at LINE (the engine decides what part of it goes). */
  open?: string;
  /** Send attached files that hold secrets as they are (else such a file is refused). */
  allowSecrets?: boolean;
  /** Validated by the option's choices. */
  context?: 'always' | 'auto' | 'none';
}

/** One-line live status on a terminal's stderr, read from the run's reduced state (src/presentation/runProgress.ts) as the panel and the server read it. */
class ProgressLine {
  private readonly started = performance.now();
  private readonly tracker = new RunTracker();
  /** Whether a status is on the line: clearing an empty line would erase what stdout wrote there. */
  private shown = false;

  constructor(private readonly enabled: boolean) {}

  update(e: PipelineEvent): void {
    if (!this.enabled) return;
    const progress = this.tracker.update(e);
    if (e.type.endsWith('delta')) return;
    const secs = ((performance.now() - this.started) / 1000).toFixed(1);
    process.stderr.write(
      `\r\x1b[K${secs}s  references ${ended(progress.referencers)}/${progress.referencers.total}  candidates ${ended(progress.aggregations)}/${progress.aggregations.total}  ${stripTerminalControls(stageText(progress))}`,
    );
    this.shown = true;
  }

  end(): void {
    if (this.shown) process.stderr.write('\r\x1b[K');
    this.shown = false;
  }
}

/** What the progress line says the run is doing. */
function stageText(progress: RunProgress): string {
  const { waiting } = progress;
  if (waiting) return `${waiting.who} waits ${Math.round(waiting.ms / 1000)} s: ${waiting.reason} (Ctrl+C stops)`;
  switch (progress.phase) {
    case 'embedding':
      return 'embedding';
    case 'referencers':
      return `asking ${progress.models.join(', ')}`;
    case 'aggregations':
      return `aggregating with ${progress.aggregator ?? ''}`;
    case 'checks':
      return `running replies on ${progress.checks?.count ?? 0} ${progress.checks?.source === 'model' ? 'model-written tests' : 'checks'}`;
    case 'scored':
      return 'scored';
  }
}

const fixed = (x: number | null, digits = 3) => (x === null ? '—' : x.toFixed(digits));

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd()).join('\n');
}

/** The lines saying what the checks found and chose (none for a question without checks). */
function checkLines(result: AskResult): string[] {
  const set = result.checkSet;
  if (!set) return [];
  if (set.unverifiable !== undefined) return [`checks: none run — ${set.unverifiable}`];
  if (set.checks.length === 0) return [`checks: none run — ${set.error ?? 'no tests were written'}`];
  const from = set.source === 'model' ? `${set.checks.length} model-written tests` : `${set.checks.length} from the question`;
  if (![...result.referencers, ...result.candidates].some((r) => r.checks)) return [`checks: ${from}, none run — ${set.error ?? 'no reply had code the checks could run'}`];
  const { checksReference } = referenceFields(result.answer, result.selectedBy);
  const tie = checksTieSentence(resultSource(result));
  const how =
    tie !== undefined
      ? lowerFirst(tie)
      : checksReference !== undefined
        ? lowerFirst(checksReferenceText(checksReference, arrived(result), set, (m) => m))
        : result.selectedBy === 'checks'
          ? 'the winner was chosen by the checks'
          : isChecksTie(result)
            ? 'a tie: the checks could not tell the replies apart; the score chose'
            : 'the candidates tie on the checks; the score chose';
  const unchecked = uncheckedNote(set);
  const lines = [`checks: ${from}; ${how}${set.error ? ` (${set.error})` : ''}${unchecked ? `; ${unchecked}` : ''}`];
  const winner = result.candidates.find((c) => c.index === result.winner);
  const tieBreak = set.tieBreak;
  if (tieBreak) {
    const passes = winner?.checks?.tieBreak ? `; the winner passes ${winner.checks.tieBreak.passed} of them` : '';
    lines.push(tieBreak.error ?? `the examples tied: ${tieBreak.checks.length} model-written tests were asked for, ${tieBreak.trusted.length} trusted by dual agreement${passes}`);
  }
  // The reference the checks answered with is no offer: it is the answer already.
  const offer = checksReference === undefined ? referenceOffer(result.bestByChecks, winner, set, (m) => m) : undefined;
  if (offer) lines.push(`${offer} (bestByChecks)`);
  const failing = winner?.checkRuns?.find((r) => r.status !== 'passed');
  const check = failing && set.checks[failing.check];
  if (failing && check && winner) {
    const expected = check.kind === 'assert' ? 'no assertion error' : JSON.stringify(check.expected.trim());
    const got = failing.status === 'failed' ? `got ${JSON.stringify((failing.actual ?? '').trim())}` : failing.status === 'timedOut' ? 'timed out' : `error: ${(failing.error ?? '').trim().split('\n').at(-1) ?? ''}`;
    lines.push(`candidate ${winner.index + 1} fails ${check.label}: expected ${expected}, ${got}${failing.reason ? ` (${failing.reason})` : ''}`);
  }
  return lines;
}

const checksCell = (reply: { checks?: CheckSummary; behaviour?: Behaviour }, result: AskResult): string => (reply.checks ? checkLine(reply.checks, result.checkSet, reply.behaviour).replace(/^passes /, '') : '—');

const lowerFirst = (text: string): string => text.charAt(0).toLowerCase() + text.slice(1);

/** The replies that arrived, as the checks saw them. */
function arrived(result: AskResult): CheckedReplies {
  return { referencers: result.referencers.filter((r) => r.ok), candidates: result.candidates.filter((c) => c.ok), winner: result.winner };
}

/**
 * `smcs ask`'s text: the answer as every front end reads it (presentation/answerView) — the final answers' line, why
 * the answer is the answer, its text — then a table of the candidates (the top one marked as the view names it), one of
 * the references (the one whose reply is the answer marked), and what the checks, the routing and the cost did.
 */
export function formatResult(result: AskResult): string {
  const { head, rest } = resultParts(result);
  return [...head, answerText(result), '', ...rest].join('\n');
}

/** `smcs ask`'s text under an answer already on the terminal: the lines formatResult puts above the answer, then the rest. */
function formatUnderAnswer(result: AskResult): string {
  const { head, rest } = resultParts(result);
  return [...head, '', ...rest].join('\n');
}

/** The lines above the answer (the final answers, why it is the answer) and the lines under it. */
function resultParts(result: AskResult): { head: string[]; rest: string[] } {
  const head: string[] = [];
  const lines: string[] = [];
  const withChecks = result.checkSet !== undefined && result.checkSet.checks.length > 0;
  const source = resultSource(result);
  const view = answerView(source);
  const agreed = view.agreement !== undefined;
  if (agreed) head.push(`final answers: ${view.agreement}`);
  head.push(`answer: ${view.reason ?? ''}`);
  // Each reply's final answer, where the final answers chose: the panel's badges.
  const stated = (reply: ReplyRef): string[] => (agreed ? [replyAnswerLabel(result.agreement, reply) ?? '—'] : []);
  // When a reference answers (or the final answers chose another reply), the top candidate is only the best of them.
  const winnerMark = `← ${view.topLabel}`;
  if (result.candidates.length > 0) lines.push(
    table([
      ['candidate', 'subset', ...(agreed ? ['answer'] : []), 'similarity', 'perplexity', 'total', ...(withChecks ? ['checks'] : []), ''],
      ...result.candidates.map((c) => [
        String(c.index + 1),
        c.subset.join(', '),
        ...stated({ kind: 'candidate', index: c.index }),
        c.ok ? fixed(c.similarity) : '—',
        c.ok ? fixed(c.perplexity) : '—',
        c.ok ? fixed(c.total) : `failed: ${c.error ?? ''}`,
        ...(withChecks ? [checksCell(c, result)] : []),
        c.index === result.winner ? winnerMark : '',
      ]),
    ]),
    // Why a candidate stands where its total would not put it (the final answers, the checks chose).
    ...result.candidates.flatMap((c) => {
      const note = candidateNote(source, c.index);
      return note === undefined ? [] : [`candidate ${c.index + 1}: ${note}`];
    }),
    '',
  );
  const estimate = new Map((result.routing?.estimates ?? []).map((e) => [e.model, e]));
  lines.push(
    table([
      ['reference', ...(agreed ? ['answer'] : []), 'record', 'latency', 'tokens', ...(withChecks ? ['checks'] : []), 'status'],
      ...result.referencers.map((r) => [
        r.model,
        ...stated({ kind: 'referencer', model: r.model }),
        // The panel's words ("right on 57 % of 80 similar questions"); the prior itself is in --json.
        similarRecord(estimate.get(r.model)),
        `${(r.latencyMs / 1000).toFixed(1)}s`,
        String(r.usage.completionTokens),
        ...(withChecks ? [checksCell(r, result)] : []),
        `${r.ok ? (r.trimmed ? 'ok (trimmed for the aggregator)' : 'ok') : r.late ? (r.error ?? 'late') : `failed: ${r.error ?? ''}`}${r.model === view.reference ? '  ← answer' : ''}`,
      ]),
    ]),
  );
  const checks = checkLines(result);
  if (checks.length > 0) lines.push('', ...checks);
  const why = result.selectionFallback ? `no ranking (${result.selectionFallback}): first ${result.referencers.length} models` : `support set ${formatQuantity(result.support.count, 'question')}`;
  lines.push('', `aggregator ${result.aggregator}; ${why}; ${result.logprobsUsed ? 'perplexity used' : 'perplexity not used (log-probs missing)'}; ${(result.timings.totalMs / 1000).toFixed(1)}s`);
  lines.push(costLine(result), ...routingLines(result));
  if (result.context) {
    // The files withheld as secret in one line (a search may withhold dozens); `--json` lists each note.
    const { withheld, others } = partNotes(result.contextNotes ?? []);
    const summary = withheldLine(withheld);
    lines.push(contextLine(result.context, result.calls), ...(summary !== undefined ? [`context: ${summary}`] : []), ...others.map((n) => `context: ${n}`));
  }
  for (const d of result.conversation.dropped) lines.push(`${d.model} (${d.stage}): the ${d.turns} oldest turn(s) did not fit its context window and were left out`);
  for (const c of result.cappedOutput) lines.push(`${c.model} (${c.stage}): output limited to ${c.maxTokens} tokens by its context window`);
  for (const c of result.stoppedOutput ?? []) lines.push(`${c.model} (${c.stage}${c.index !== undefined ? ` ${c.index + 1}` : ''}): ${stoppedNote(c)}`);
  return { head, rest: lines };
}

/**
 * "context: rich/cells.py 1–352 (attached) · rich/text.py 40–88 (defines split) — 1,234 tokens to each model": the
 * context's share of each call's prompt, counted as the panel's Details count it (presentation/costSummary).
 */
function contextLine(items: readonly ContextReport[], calls: AskResult['calls']): string {
  const carried = contextTokensSent(items, calls);
  if (carried === undefined) return 'context: none';
  return `context: ${items.map((i) => `${i.path} ${i.startLine}–${i.endLine} (${i.reason})`).join(' · ')} — ${contextPerCall(carried)} to each model`;
}

/** What the routing mode, the cost limit and the agreement shortcut did, when they did something. */
function routingLines(result: AskResult): string[] {
  const lines: string[] = [];
  const r = result.routing;
  if (r && r.mode !== 'quality') {
    const saving = r.expectedUsd !== null && r.qualityUsd !== null ? `: expected ${formatUsd(r.expectedUsd)} against ${formatUsd(r.qualityUsd)} with quality` : '';
    lines.push(`routing ${r.mode} (cost weight ${r.costWeight})${saving}`);
  }
  if (r?.budget) {
    const left = r.budget.leftOut.map((l) => `${l.model} (${l.reason === 'no-price' ? 'no price' : 'over the limit'})`);
    lines.push(`cost limit ${formatUsd(r.budget.maxUsd)}: expected ${formatUsd(r.budget.estimatedUsd)}, ${r.budget.aggregations} aggregation(s)${left.length > 0 ? `; left out ${left.join(', ')}` : ''}`);
  }
  const a = result.agreement;
  if (a && result.savedCalls) {
    const { directReference } = referenceFields(result.answer, result.selectedBy);
    const on = a.basis === 'answer' ? `on ${a.answer ?? ''}` : 'with near-identical replies';
    lines.push(`the referencers agreed ${on} (${a.agreeing} of ${a.of}): ${result.savedCalls} aggregation call(s) saved${directReference ? `; the answer is ${directReference}'s reply` : ''}`);
  }
  return lines;
}

/**
 * "cost $0.0123 · 1,234 prompt + 567 completion tokens in 11 calls", tokens only when no price is known, and how many
 * calls the cost leaves out when only some models have a price.
 */
function costLine(result: AskResult): string {
  const tokens = `${formatCount(result.tokens.prompt)} prompt + ${formatCount(result.tokens.completion)} completion tokens in ${formatQuantity(result.calls.length, 'call')}`;
  const unpriced = result.calls.filter((c) => c.costUsd === null).length;
  const notes = [
    ...(result.costUsd !== null && unpriced > 0 ? [`${unpriced} without a price, not counted`] : []),
    ...(result.calls.some((c) => c.estimated) ? ['some usage estimated'] : []),
  ];
  const cost = result.costUsd === null ? 'no prices known' : `cost ${formatUsd(result.costUsd)}`;
  return `${cost} · ${tokens}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
}

/**
 * Whose limit refused an ask: `--max-cost`, the config's maxCostPerQuestion, or — on a team server — the server's,
 * which its admin sets and nothing in the member's config changes.
 */
type LimitSetBy = '--max-cost' | 'maxCostPerQuestion' | 'team server';

const LIMIT_WORDS: Record<LimitSetBy, string> = {
  '--max-cost': 'the limit of --max-cost',
  maxCostPerQuestion: 'the limit of maxCostPerQuestion',
  'team server': "the team server's limit (its admin sets it)",
};

/**
 * The refusal (exit 2) of an ask over the limit — the files, the workspace's chunks and the models it chose counted,
 * judged by the ask loop's one rule (core/ask/askLoop) against the limit `setBy` names (the panel asks the user there).
 */
function overLimitError(outcome: Extract<AskOutcome, { type: 'refused' }>, setBy: LimitSetBy): UsageError {
  const { over } = outcome;
  if (!over) return new UsageError(`${outcome.nothingFits ?? 'no model fits the cost limit'}: raise --max-cost, or use a cheaper --preset (fast: K=3, n=1)`);
  const { judgedUsd, worstUsd, limitUsd, assumed } = over;
  const worst = worstUsd !== null ? ` (at worst ${formatUsd(worstUsd)})` : '';
  const priced = assumed.length > 0 ? `; ${assumed.join(', ')} priced at a typical reply length, nothing being known of them yet` : '';
  return new UsageError(
    `this question is expected to cost ${formatUsd(judgedUsd)}${worst}, above ${LIMIT_WORDS[setBy]}, ${formatUsd(limitUsd)}${priced}: ` +
      `pass --max-cost ${Math.ceil(judgedUsd * 100) / 100} to send it anyway, or use a cheaper --preset (fast: K=3, n=1)`,
  );
}

/**
 * The cost policy of `smcs ask`: over the limit it refuses. `--max-cost` is what the person accepts for this question:
 * a plan over the limit it judges but within `--max-cost` — a team server's plan, judged by the server's own limit
 * (withinMaxCost leaves a higher one to the server) — is sent whole, as Send Anyway sends it in the panel, so the
 * server does not cut it to its limit; one above `--max-cost` is refused.
 */
function costPolicy(maxCost: number | undefined): AskPolicy {
  if (maxCost === undefined) return { cost: 'refuse' };
  return { cost: 'ask', confirmOverLimit: (over) => Promise.resolve(over.judgedUsd <= maxCost ? 'send' : 'cancel') };
}

/**
 * The prepared ask judged by `--max-cost` where the plan's own limit is higher or absent. A local plan's limit is
 * `--max-cost` already; a team server's plan carries the server's limit, which a lower `--max-cost` must not let through.
 */
function withinMaxCost(prepared: RunnableAsk, maxCost: number | undefined): RunnableAsk {
  const view = prepared.view;
  if (maxCost === undefined || view === null || (view.limitUsd !== null && view.limitUsd <= maxCost)) return prepared;
  return { view: { ...view, limitUsd: maxCost }, run: (signal, options) => prepared.run(signal, options) };
}

/** The most a question read from stdin or a file may be (a pasted document of about 4M tokens). */
const MAX_QUESTION_BYTES = 16 * MB;

/** The question: the argument, stdin for `-`, or `--question-file`; exactly one of them. */
async function questionOf(argument: string | undefined, options: AskCommandOptions): Promise<string> {
  if (argument !== undefined && options.questionFile !== undefined) throw new UsageError('give the question once: as the argument, or with --question-file');
  if (options.questionFile !== undefined) return utf8Text(await readUserFile(options.questionFile, { label: `--question-file ${options.questionFile}`, maxBytes: MAX_QUESTION_BYTES }));
  if (argument === undefined) throw new UsageError('no question: give it as the argument, - to read it from stdin, or --question-file FILE');
  if (argument !== '-') return argument;
  if (process.stdin.isTTY) throw new UsageError('- reads the question from stdin, but stdin is a terminal: pipe the question in, or use --question-file FILE');
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > MAX_QUESTION_BYTES) throw new UsageError(`the question on stdin is over ${MAX_QUESTION_BYTES / MB} MB`);
    chunks.push(chunk);
  }
  return utf8Text(Buffer.concat(chunks));
}

export async function askCommand(argument: string | undefined, options: AskCommandOptions): Promise<void> {
  const question = await questionOf(argument, options);
  if (question.trim() === '') throw new UsageError('the question is empty');
  // --max-cost is this question's limit: for the estimate before sending and for the models chosen alike.
  const config = options.maxCost === undefined ? loadConfig(options) : { ...loadConfig(options), maxCostPerQuestion: options.maxCost };
  const hooks = cliHooks(options, options.verbose);
  const signal = options.signal ?? new AbortController().signal;
  const history = options.thread === undefined ? [] : await readThread(options.thread);
  // The workspace and the attachments are checked before the engine starts: a refused file contacts no endpoint.
  const root = options.workspace === undefined ? undefined : workspaceFolder(options.workspace);
  const attached = options.file === undefined ? undefined : attachedFiles(options.file, root, options.allowSecrets === true, (warning) => process.stderr.write(stripTerminalControls(`smcs: warning: ${warning}\n`)));
  const editor = options.open === undefined ? undefined : openFileState(options.open, root);
  const engine = await createEngine(config, hooks, { signal });
  const terminal = terminalOf(options);
  const progress = new ProgressLine(terminal.stderr && !options.json);
  // On a terminal the answer's words go out as they are written, and the progress line gives way to them for good.
  const live = terminal.stdout && !options.json ? new TerminalAnswer((text) => process.stdout.write(text), () => progress.end()) : undefined;
  try {
    const params = options.preset ? PRESETS[options.preset] : undefined;
    const context = {
      ...(attached ? { attachments: attached.items, attachmentNotes: attached.notes } : {}),
      ...(root !== undefined ? { workspace: { root, retrieval: options.context ?? 'auto' } } : {}),
      ...(editor ? { editor } : {}),
    };
    const askOptions = { signal, history, ...(params ? { params } : {}), ...context };
    // The ask is prepared, judged by the cost policy `refuse`, and the run sends exactly what was judged.
    const event = (e: PipelineEvent): void => {
      if (!live?.started) progress.update(e);
      if (!signal.aborted) live?.event(e);
    };
    const outcome = await runAsk(async () => withinMaxCost(await engine.prepare(question, askOptions), options.maxCost), costPolicy(options.maxCost), { event }, signal);
    progress.end();
    switch (outcome.type) {
      case 'refused':
      case 'declined':
        // Declined is --max-cost's refusal (costPolicy): the limit that refused it is the member's.
        if (outcome.type === 'declined') throw outcome.over && options.maxCost !== undefined ? overLimitError({ type: 'refused', over: { ...outcome.over, limitUsd: options.maxCost } }, '--max-cost') : new UsageError('the question was not sent');
        throw overLimitError(outcome, options.maxCost !== undefined ? '--max-cost' : teamServerOf(config.endpoints) !== undefined ? 'team server' : 'maxCostPerQuestion');
      case 'failed':
      case 'stopped':
        live?.cutShort(outcome.type);
        throw new Error(failureLines(outcome.error).join('\n'));
      case 'done': {
        const { result } = outcome;
        // The words on the terminal are finished at once; the thread is written after.
        live?.finish(result, formatUnderAnswer(result));
        const turns = [...history, { question, answer: answerText(result) }];
        if (options.thread !== undefined) await writeThread(options.thread, turns);
        if (live) return;
        const document = options.thread === undefined ? askDocument(result) : { ...askDocument(result), thread: turns.length };
        // Answers are model output: in text, nothing in them may drive the terminal (JSON escapes control characters).
        process.stdout.write(options.json ? `${jsonDocument(document, 2)}\n` : `${stripTerminalControls(formatResult(result))}\n`);
      }
    }
  } finally {
    await engine.dispose();
  }
}
