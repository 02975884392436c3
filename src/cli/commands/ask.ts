/**
 * `smcs ask "<question>"`: one SMCS run; the winner and a compact table, or the DESIGN §4 JSON document.
 * `--thread FILE` continues a conversation; the estimate before sending is checked against the cost ceiling.
 */
import { formatUsd } from '../../shared/format';
import type { AskResult, PipelineEvent } from '../../core/events';
import { stripTerminalControls } from '../../core/terminalText';
import { PRESETS, type PresetName, type SmcsParams } from '../../core/types';
import { createEngine } from '../../engine/engine';
import type { Engine } from '../../engine/types';
import { cliHooks, loadConfig, type GlobalOptions } from '../context';
import { UsageError } from '../errors';
import { readThread, writeThread } from '../threadFile';
import type { Turn } from '../../core/conversation';

export interface AskOptions extends GlobalOptions {
  json?: boolean;
  /** Validated by the option's choices. */
  preset?: PresetName;
  verbose?: boolean;
  /** The conversation file to continue and append to. */
  thread?: string;
  /** USD: the most this question may cost (overrides the config's maxCostPerQuestion). */
  maxCost?: number;
}

/** One-line live status on a terminal's stderr. */
class ProgressLine {
  private readonly started = performance.now();
  private referencersDone = 0;
  private referencersTotal = 0;
  private aggregationsDone = 0;
  private aggregationsTotal = 0;
  private stage = 'embedding';

  constructor(private readonly enabled: boolean) {}

  update(e: PipelineEvent): void {
    if (!this.enabled) return;
    switch (e.type) {
      case 'retrieve':
        this.referencersTotal = e.referencers.length;
        this.stage = `asking ${e.referencers.join(', ')}`;
        break;
      case 'referencer-done':
      case 'referencer-failed':
        this.referencersDone++;
        break;
      case 'subsets':
        this.aggregationsTotal = e.subsets.length;
        this.stage = `aggregating with ${e.aggregator}`;
        break;
      case 'aggregation-done':
      case 'aggregation-failed':
        this.aggregationsDone++;
        break;
      case 'scored':
        this.stage = 'scored';
        break;
      case 'referencer-waiting':
      case 'aggregation-waiting':
        this.stage = `${e.type === 'referencer-waiting' ? e.model : `aggregation ${e.index + 1}`} waits ${Math.round(e.ms / 1000)} s: ${e.reason} (Ctrl+C stops)`;
        break;
      default:
        if (e.type.endsWith('delta')) return;
    }
    const secs = ((performance.now() - this.started) / 1000).toFixed(1);
    process.stderr.write(
      `\r\x1b[K${secs}s  references ${this.referencersDone}/${this.referencersTotal}  candidates ${this.aggregationsDone}/${this.aggregationsTotal}  ${stripTerminalControls(this.stage)}`,
    );
  }

  end(): void {
    if (this.enabled) process.stderr.write('\r\x1b[K');
  }
}

const fixed = (x: number | null, digits = 3) => (x === null ? '—' : x.toFixed(digits));

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd()).join('\n');
}

export function formatResult(result: AskResult): string {
  const lines: string[] = [];
  if (result.fallbackReference) lines.push(`(every aggregation failed: showing the reference of ${result.fallbackReference}, the highest prior)`);
  lines.push(result.answer, '');
  if (result.candidates.length > 0) lines.push(
    table([
      ['candidate', 'subset', 'similarity', 'perplexity', 'total', ''],
      ...result.candidates.map((c) => [
        String(c.index),
        c.subset.join(', '),
        c.ok ? fixed(c.similarity) : '—',
        c.ok ? fixed(c.perplexity) : '—',
        c.ok ? fixed(c.total) : `failed: ${c.error ?? ''}`,
        c.index === result.winner ? '← winner' : '',
      ]),
    ]),
    '',
  );
  const prior = new Map(result.priors.map((p) => [p.model, p]));
  lines.push(
    table([
      ['reference', 'prior', 'latency', 'tokens', 'status'],
      ...result.referencers.map((r) => [
        r.model,
        `${fixed(prior.get(r.model)?.prior ?? null)}${prior.get(r.model)?.unprofiled ? ' (unprofiled)' : ''}`,
        `${(r.latencyMs / 1000).toFixed(1)}s`,
        String(r.usage.completionTokens),
        r.ok ? (r.trimmed ? 'ok (trimmed for the aggregator)' : 'ok') : `failed: ${r.error ?? ''}`,
      ]),
    ]),
  );
  const why = result.selectionFallback ? `no ranking (${result.selectionFallback}): first ${result.referencers.length} models` : `support set ${result.support.count} questions`;
  lines.push('', `aggregator ${result.aggregator}; ${why}; ${result.logprobsUsed ? 'perplexity used' : 'perplexity not used (log-probs missing)'}; ${(result.timings.totalMs / 1000).toFixed(1)}s`);
  lines.push(costLine(result), ...routingLines(result));
  for (const d of result.conversation.dropped) lines.push(`${d.model} (${d.stage}): the ${d.turns} oldest turn(s) did not fit its context window and were left out`);
  for (const c of result.cappedOutput) lines.push(`${c.model} (${c.stage}): output limited to ${c.maxTokens} tokens by its context window`);
  return lines.join('\n');
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
    const on = a.basis === 'answer' ? `on ${a.answer ?? ''}` : 'with near-identical replies';
    lines.push(`the referencers agreed ${on} (${a.agreeing} of ${a.of}): ${result.savedCalls} aggregation call(s) saved${result.directReference ? `; the answer is ${result.directReference}'s reply` : ''}`);
  }
  return lines;
}

/**
 * "cost $0.0123 · 1,234 prompt + 567 completion tokens in 11 calls", tokens only when no price is known, and how many
 * calls the cost leaves out when only some models have a price.
 */
function costLine(result: AskResult): string {
  const tokens = `${result.tokens.prompt.toLocaleString('en-US')} prompt + ${result.tokens.completion.toLocaleString('en-US')} completion tokens in ${result.calls.length} calls`;
  const unpriced = result.calls.filter((c) => c.costUsd === null).length;
  const notes = [
    ...(result.costUsd !== null && unpriced > 0 ? [`${unpriced} without a price, not counted`] : []),
    ...(result.calls.some((c) => c.estimated) ? ['some usage estimated'] : []),
  ];
  const cost = result.costUsd === null ? 'no prices known' : `cost ${formatUsd(result.costUsd)}`;
  return `${cost} · ${tokens}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
}

/** Refuses (exit 2) when the estimate is above the ceiling: `--max-cost`, else the config's maxCostPerQuestion. */
function checkCost(engine: Engine, question: string, history: readonly Turn[], params: Partial<SmcsParams> | undefined, ceiling: number | null): void {
  if (ceiling === null) return;
  const estimate = engine.estimateCost({ question, history, ...(params ? { params } : {}) });
  if (estimate.maxUsd === null || estimate.maxUsd <= ceiling) return;
  throw new UsageError(
    `this question may cost up to ${formatUsd(estimate.maxUsd)}, above the limit of ${formatUsd(ceiling)} (maxCostPerQuestion or --max-cost): ` +
      `pass --max-cost ${Math.ceil(estimate.maxUsd * 100) / 100} to send it anyway, or use a cheaper --preset (fast: K=3, n=1)`,
  );
}

export async function askCommand(question: string, options: AskOptions): Promise<void> {
  if (question.trim() === '') throw new UsageError('the question is empty');
  // --max-cost is this question's limit: for the estimate before sending and for the models chosen alike.
  const config = options.maxCost === undefined ? loadConfig(options) : { ...loadConfig(options), maxCostPerQuestion: options.maxCost };
  const hooks = cliHooks(options, options.verbose);
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  const history = options.thread === undefined ? [] : await readThread(options.thread);
  const engine = await createEngine(config, hooks, { signal: controller.signal });
  const progress = new ProgressLine(process.stderr.isTTY && !options.json);
  try {
    const params = options.preset ? PRESETS[options.preset] : undefined;
    checkCost(engine, question, history, params, config.maxCostPerQuestion);
    for await (const event of engine.ask(question, { signal: controller.signal, history, ...(params ? { params } : {}) })) {
      progress.update(event);
      if (event.type === 'error') {
        progress.end();
        throw new Error([event.message, ...event.causes.map((c) => `  ${c}`)].join('\n'));
      }
      if (event.type === 'done') {
        progress.end();
        const turns = [...history, { question, answer: event.result.answer }];
        if (options.thread !== undefined) await writeThread(options.thread, turns);
        const document = options.thread === undefined ? event.result : { ...event.result, thread: turns.length };
        // Answers are model output: in text, nothing in them may drive the terminal (JSON escapes control characters).
        process.stdout.write(options.json ? `${JSON.stringify(document, null, 2)}\n` : `${stripTerminalControls(formatResult(event.result))}\n`);
      }
    }
  } finally {
    process.off('SIGINT', onSigint);
    await engine.dispose();
  }
}
