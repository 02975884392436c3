/**
 * `smcs profile`: runs models over the bank's questions, grades the replies and stores labels.
 * Prints the estimate (requests, tokens, cost) first and asks for confirmation on a terminal
 * unless `--yes`; shows a progress bar with ETA on stderr; ends with a summary per model, and exits 1 when requests
 * were made but no label could be stored. Samples as `ask` does, within `--max-tokens` (default `profileMaxTokens`).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { bankExists, importBankJsonl, openBank, removeInterruptedImport, type ModelStats } from '../../bank';
import { estimateProfile, profileModels, type ProfileEstimate, type ProfileProgress, type ProfileSummary } from '../../profile/profiler';
import { ConfigError } from '../../core/contracts/config';
import { createGateway } from '../../llm/gateway';
import { stripTerminalControls } from '../../core/util/terminalText';
import { cliHooks, loadConfig, printText, type GlobalOptions } from '../context';
import { printRecoveryWarning, recordedEmbedder } from './bank';
import { UsageError } from '../errors';
import { jsonDocument } from '../../presentation/jsonDocument';
import { bankAccess, bankDir, embedderFor } from '../../engine/engine';
import { formatCount, formatQuantity, formatUsd } from '../../presentation/format';

export interface ProfileCommandOptions extends GlobalOptions {
  models?: string;
  limit?: number;
  yes?: boolean;
  json?: boolean;
  starter?: boolean;
  concurrency?: number;
  maxTokens?: number;
  enableCodeGrader?: boolean;
}

const STARTER_FILE = 'starter-bank.jsonl';

/** The shipped starter bank: `media/` beside the bundle (dist/cli.js) or the source tree (src/cli/commands). */
export function starterBankPath(): string {
  const candidates = [path.resolve(__dirname, '..', 'media', STARTER_FILE), path.resolve(__dirname, '..', '..', '..', 'media', STARTER_FILE)];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`the starter bank is missing (looked for ${candidates.join(' and ')})`);
  return found;
}


function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** The estimate as shown before a run. */
export function formatEstimate(est: ProfileEstimate): string {
  const lines = [`profile: ${formatQuantity(est.requests, 'request')}, about ${formatCount(est.promptTokens)} prompt + ${formatCount(est.completionTokens)} completion tokens`];
  for (const m of est.perModel) lines.push(`  ${m.model.padEnd(38)}${formatCount(m.requests).padStart(7)} requests${m.costUsd !== undefined ? `  ~${formatUsd(m.costUsd)}` : ''}`);
  if (est.costUsd !== undefined) lines.push(`  estimated cost ${formatUsd(est.costUsd)} (at most ${formatUsd(est.maxCostUsd ?? est.costUsd)} if every reply used the token limit)`);
  if (est.unpricedModels.length > 0) lines.push(`  no pricing known for: ${est.unpricedModels.join(', ')}`);
  const { ungradable, code, badAnswer } = est.skipped;
  if (ungradable + code + badAnswer.length > 0) {
    lines.push(`  skipped questions: ${formatCount(ungradable)} without a grader, ${formatCount(code)} code (enable with --enable-code-grader), ${formatCount(badAnswer.length)} with an unusable answer`);
  }
  return lines.join('\n');
}

/** A one-line progress bar: `[#####.....] 120/900  2 failed  1 cut  ETA 1m05s`. */
export function progressLine(p: ProfileProgress, width = 30): string {
  const filled = p.total === 0 ? width : Math.round((width * p.done) / p.total);
  const eta = p.etaMs === undefined ? '' : `  ETA ${formatDuration(p.etaMs)}`;
  const cut = p.truncated > 0 ? `  ${formatCount(p.truncated)} cut` : '';
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${formatCount(p.done)}/${formatCount(p.total)}${p.failed > 0 ? `  ${formatCount(p.failed)} failed` : ''}${cut}${eta}`;
}

/** What to do about replies cut at the token limit, or undefined when none was. */
function truncationAdvice(run: Pick<ProfileSummary, 'truncated' | 'maxTokens'>): string | undefined {
  if (run.truncated === 0) return undefined;
  const replies = run.truncated === 1 ? '1 reply was' : `${formatCount(run.truncated)} replies were`;
  return `${replies} cut at the token limit (${run.maxTokens} tokens) and stay unlabelled; raise --max-tokens (or profileMaxTokens in the config) and run again`;
}

/** Why a run that made requests stored no label, or undefined when it stored some (or made none, or was cancelled). */
function nothingStored(run: ProfileSummary): string | undefined {
  if (run.done === 0 || run.labelled > 0 || run.cancelled) return undefined;
  const lastError = run.models.find((m) => m.lastError !== undefined)?.lastError;
  const causes = [
    ...(run.failed > 0 ? [`${run.failed === run.done ? 'every request' : `${formatQuantity(run.failed, 'request')}`} failed${lastError ? ` (last error: ${lastError})` : ''}`] : []),
    ...(run.truncated > 0 ? [`${formatCount(run.truncated)} ${run.truncated === 1 ? 'reply was' : 'replies were'} cut at the token limit (${run.maxTokens} tokens)`] : []),
  ];
  return `profile: no label could be stored: ${causes.join('; ')}`;
}

/** The end-of-run summary: per model this run's numbers and the bank accuracy by domain. */
export function formatSummary(run: ProfileSummary, stats: ModelStats[]): string {
  const cut = run.truncated > 0 ? `, ${formatCount(run.truncated)} cut at the token limit` : '';
  const lines = [`${run.cancelled ? 'cancelled' : 'done'}: ${formatQuantity(run.labelled, 'label')} stored, ${formatCount(run.failed)} failed${cut}, in ${formatDuration(run.elapsedMs)}${run.costUsd !== undefined ? `, cost ${formatUsd(run.costUsd)}` : ''}`];
  for (const m of run.models) {
    const s = stats.find((x) => x.model === m.model);
    const acc = s ? `${(100 * s.accuracy).toFixed(1)}% of ${formatCount(s.labelled)}` : 'no labels';
    const modelCut = m.truncated > 0 ? `, ${formatCount(m.truncated)} cut at the token limit` : '';
    lines.push(`  ${m.model}: accuracy ${acc}; this run ${formatCount(m.labelled)} labelled, ${formatCount(m.unparseable)} unparseable${modelCut}, ${formatCount(m.failed)} failed${m.lastError ? ` (last error: ${m.lastError})` : ''}`);
    for (const [domain, d] of Object.entries(s?.byDomain ?? {})) lines.push(`      ${domain.padEnd(24)}${(100 * d.accuracy).toFixed(1).padStart(6)}%  (${formatCount(d.correct)}/${formatCount(d.labelled)})`);
  }
  if (run.failed > 0) lines.push('failed requests are recorded and retried by the next run');
  const advice = truncationAdvice(run);
  if (advice !== undefined) lines.push(advice);
  return lines.join('\n');
}

async function confirm(est: ProfileEstimate, options: ProfileCommandOptions): Promise<boolean> {
  if (options.yes) return true;
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new UsageError(`profiling would send ${formatQuantity(est.requests, 'request')}; no terminal to confirm on, so rerun with --yes to start`);
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(`Start ${formatQuantity(est.requests, 'request')}? [y/N] `);
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}

export async function profileCommand(options: ProfileCommandOptions): Promise<void> {
  const config = loadConfig(options);
  if (config.endpoints.length === 0) throw new ConfigError('endpoints', 'no endpoint is configured: profiling needs the models to ask');
  const hooks = cliHooks(options);
  const dir = bankDir(config, hooks.storageDir);
  const gateway = await createGateway(config.endpoints, { log: hooks.log });
  const known = gateway.models.map((m) => m.key);
  const models = options.models ? options.models.split(',').map((m) => m.trim()).filter((m) => m !== '') : known;
  const unknown = models.filter((m) => !known.includes(m));
  if (models.length === 0 || unknown.length > 0) throw new UsageError(`--models: ${unknown.length > 0 ? `unknown model ${unknown.join(', ')}` : 'no model given'}; configured models: ${known.join(', ')}`);
  const embedder = embedderFor(config, hooks, (id) => gateway.endpoint(id));
  const removed = await removeInterruptedImport(dir);
  if (removed !== undefined) process.stderr.write(`smcs: ${removed}\n`);
  const fresh = !(await bankExists(dir));
  if (fresh && !options.starter) throw new UsageError(`no question bank at ${dir}: import one (smcs bank import) or pass --starter to use the starter bank`);
  // an existing bank is opened with the embedder it records: profiling embeds nothing unless the starter bank is imported
  const signal = options.signal ?? new AbortController().signal;
  const identity = fresh ? { id: embedder.id, dimension: await embedder.dimension(signal) } : await recordedEmbedder(dir);
  const access = bankAccess(config, hooks);
  const bank = await openBank(dir, { embedder: identity, create: true, write: true, ...access });
  printRecoveryWarning(bank);
  const out = options.json ? process.stderr : process.stdout;
  try {
    if (options.starter) {
      const size = await bank.count();
      if (size === 0) {
        const result = await importBankJsonl(bank, starterBankPath(), embedder, { signal });
        process.stderr.write(`imported the starter bank: ${result.added} questions\n`);
      } else {
        process.stderr.write(`the bank already holds ${size} questions; --starter ignored\n`);
      }
    }
    const selection = { ...(options.limit !== undefined ? { limit: options.limit } : {}), codeGrader: { enabled: options.enableCodeGrader === true } };
    const maxTokens = options.maxTokens ?? config.profileMaxTokens;
    const estimate = await estimateProfile(bank, models, gateway, { ...selection, maxTokens });
    out.write(`${stripTerminalControls(formatEstimate(estimate))}\n`);
    if (options.enableCodeGrader) process.stderr.write("warning: the code grader runs model-written Python on this machine (time/memory limits, network blocked where possible)\n");
    if (estimate.requests > 0 && !(await confirm(estimate, options))) {
      process.stderr.write('profiling not started\n');
      return;
    }
    const tty = process.stderr.isTTY === true;
    let lastTenth = -1;
    const run = await profileModels({
      bank, gateway, models, ...selection, ...(access.user ? { user: access.user } : {}),
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      sampling: { temperature: config.temperature, presencePenalty: config.presencePenalty, profileMaxTokens: maxTokens },
      signal,
      onProgress: (p) => {
        if (tty) process.stderr.write(`\r\x1b[K${progressLine(p)}`);
        else if (Math.floor((10 * p.done) / p.total) > lastTenth) {
          lastTenth = Math.floor((10 * p.done) / p.total);
          process.stderr.write(`${progressLine(p)}\n`);
        }
      },
    });
    if (tty && run.total > 0) process.stderr.write('\n');
    const stats = (await bank.statistics()).models.filter((m) => models.includes(m.model));
    if (options.json) {
      process.stdout.write(`${jsonDocument({ bank: dir, estimate, run, models: stats })}\n`);
      const advice = truncationAdvice(run);
      if (advice !== undefined) process.stderr.write(`${advice}\n`);
    } else printText(formatSummary(run, stats));
    if (run.cancelled) throw new Error(`profiling interrupted after ${formatQuantity(run.labelled, 'label')} (all stored); rerun to resume`);
    const nothing = nothingStored(run);
    if (nothing !== undefined) throw new Error(nothing);
  } finally {
    await bank.close();
  }
}
