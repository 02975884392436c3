/**
 * The panel's Bank section, host side: a pure builder (bank statistics → the plain-data summary the webview
 * shows) and a service that loads it lazily, once a panel asks, and reloads it when the bank or the settings
 * change. This module imports neither `vscode` nor the engine runtime: the loader is injected.
 */
import type { TeamUsageView } from '../../presentation/teamUsage';
import { FEW_LABELS, type BankChoice, type FirstModelsView, type BankModelSummary, type BankPanelState, type BankSummary } from '../../presentation/protocol';
import type { SmcsConfig } from '../../core/contracts/config';
import { errorMessage } from '../../core/contracts/errors';
import { accuracyLowerBound } from '../../core/routing/accuracy';
import { formatCount, formatQuantity } from '../../presentation/format';

/** The subset of the bank's `statistics()` result the summary reads (plus, for a team bank, where it is). */
export interface BankStatsInput {
  size: number;
  /** A team bank's `host:port/database`; absent for a folder. */
  teamLocation?: string;
  contributors?: readonly unknown[];
  embedder: { id: string };
  models: readonly {
    model: string;
    labelled: number;
    accuracy: number;
    byDomain: Readonly<Record<string, { labelled: number; accuracy: number }>>;
  }[];
}

/** The model keys the settings name explicitly (alias when given, else id), in settings order; discovered endpoints add none. */
export function configuredModelKeys(config: Pick<SmcsConfig, 'endpoints'>): string[] {
  const keys = config.endpoints.flatMap((e) => (e.models ?? []).map((m) => m.alias ?? m.id));
  return [...new Set(keys)];
}

/** Who answers while there is no bank: the first K models of the settings (core/routing/rps falls back to them), named when every endpoint lists its models. */
export function firstModelsView(config: Pick<SmcsConfig, 'endpoints' | 'k'>): FirstModelsView {
  const discovered = config.endpoints.some((e) => e.models === undefined);
  return { k: config.k, models: discovered ? [] : configuredModelKeys(config).slice(0, config.k), discovered };
}

const clampShare = (v: number): number => (Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0);

/**
 * Builds the panel summary from bank statistics: models with labels ranked by what their labels support — the
 * lower end of the Wilson interval (core/routing/accuracy, as `aggregator: auto` ranks them), models with few labels
 * after the others — their per-domain accuracy sorted by domain, the configured models that have no label yet, and
 * the settings' embedder when it differs from the one that built the bank.
 */
export function buildBankSummary(stats: BankStatsInput, configured: readonly string[], settingsEmbedder?: string): BankSummary {
  const wanted = new Set(configured);
  const models: BankModelSummary[] = stats.models
    .filter((m) => m.labelled > 0)
    .map((m) => ({
      model: m.model,
      labelled: m.labelled,
      accuracy: clampShare(m.accuracy),
      lowerBound: accuracyLowerBound(Math.round(clampShare(m.accuracy) * m.labelled), m.labelled),
      fewLabels: m.labelled < FEW_LABELS,
      byDomain: Object.entries(m.byDomain)
        .filter(([, d]) => d.labelled > 0)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([domain, d]) => ({ domain, labelled: d.labelled, accuracy: clampShare(d.accuracy) })),
      configured: wanted.has(m.model),
    }))
    .sort((a, b) => Number(a.fewLabels) - Number(b.fewLabels) || b.lowerBound - a.lowerBound || a.model.localeCompare(b.model));
  const profiled = new Set(models.map((m) => m.model));
  const summary: BankSummary = {
    size: stats.size,
    embedder: stats.embedder.id,
    models,
    unprofiled: configured.filter((m) => !profiled.has(m)),
  };
  if (settingsEmbedder !== undefined && settingsEmbedder !== stats.embedder.id) summary.settingsEmbedder = settingsEmbedder;
  if (stats.teamLocation !== undefined) summary.team = { location: stats.teamLocation, contributors: stats.contributors?.length ?? 0 };
  return summary;
}

/** The panel state for a loaded bank (`null` = no bank on disk). An empty bank shows like no bank. */
export function bankPanelState(stats: BankStatsInput | null, configured: readonly string[], settingsEmbedder?: string): BankPanelState {
  if (stats === null || stats.size === 0) return { status: 'none', unprofiled: [...configured] };
  return { status: 'ready', summary: buildBankSummary(stats, configured, settingsEmbedder) };
}

/** Skipped records per reason, most first: `43 not-a-record, 2 bad-options`. */
export function skipCounts(skipped: readonly { reason: string }[]): string {
  const counts = new Map<string, number>();
  for (const s of skipped) counts.set(s.reason, (counts.get(s.reason) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).map(([reason, count]) => `${formatCount(count)} ${reason}`).join(', ');
}

/** Identifies a set of losses, so the same one is announced once per session. */
export function lossKey(lost: readonly { folder?: string; generation: number | null; restoredAt?: string }[]): string {
  return lost.map((l) => `${l.folder ?? 'in place'}:${l.generation ?? '?'}:${l.restoredAt ?? ''}`).join('|');
}

/** The panel's warning about lost bank data: each loss's description and what to do. */
export function lossMessage(lost: readonly { description: string }[]): string {
  return `SMCS: the question bank could not load all its data: ${lost.map((l) => l.description).join('; and ')}. Recover puts back what can be read; Discard deletes it.`;
}

/** One line about a restored set-aside generation. */
export function restoreLine(r: { generation: number | null; questions: number; labels: number; unrestorable: readonly string[] }): string {
  const what = `restored generation ${r.generation ?? '?'}: ${formatQuantity(r.questions, 'question')} and ${formatQuantity(r.labels, 'label')}`;
  return r.unrestorable.length > 0 ? `${what}; could not restore ${r.unrestorable.join(', ')}` : what;
}

/** True for a team bank that could not be used because its password is missing or refused (SMCS: Set Team Bank Password fixes it). */
export function needsPassword(err: unknown): boolean {
  const e = err as { name?: unknown; remedy?: unknown };
  return e.name === 'BankUnavailableError' && e.remedy === 'password';
}

/** First line of an error message, for the panel's one-line chip. */
export function oneLine(err: unknown): string {
  const message = errorMessage(err);
  const [first = ''] = message.split(/\r?\n/);
  const line = first.trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

export interface BankSummaryServiceDeps {
  /** Reads the bank and builds its panel state (I/O; may take about a second for a large bank). */
  load: () => Promise<BankPanelState>;
  /** While a team bank is in use: it and the local bank beside it, shown whatever the team bank's state. */
  choice?: () => Promise<BankChoice | undefined>;
  /** The signed-in keys' spend on the endpoints marked `teamServer` (none: no line), read while the bank is. */
  teamUsage?: () => Promise<TeamUsageView[]>;
  /** Where load failures are written in full. */
  logError: (message: string) => void;
}

/**
 * Holds the panel's bank state. Nothing is read until a panel calls `ensure()`; afterwards `refresh()`
 * (bank changed, settings changed) reloads it. Bursts coalesce: refreshes that arrive while a load runs
 * are served by one more load after it, and each caller's promise resolves once a load that started after
 * its call has published.
 */
export class BankSummaryService {
  private state: BankPanelState | undefined;
  private running = false;
  private requested = 0;
  private waiters: { ticket: number; resolve: () => void }[] = [];
  private readonly listeners = new Set<(state: BankPanelState) => void>();

  constructor(private readonly deps: BankSummaryServiceDeps) {}

  /** The last state published, if any. */
  get current(): BankPanelState | undefined {
    return this.state;
  }

  /** Calls `listener` with every new state; returns an unsubscribe handle. */
  onDidChange(listener: (state: BankPanelState) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Starts the first load unless one happened or is under way. */
  ensure(): void {
    if (this.state === undefined && !this.running) void this.refresh();
  }

  /** Reloads only if the summary was ever requested (no panel has asked yet = nothing to keep fresh). */
  refreshIfLoaded(): Promise<void> {
    return this.state === undefined && !this.running ? Promise.resolve() : this.refresh();
  }

  /** Reloads the summary; resolves once a load that started after this call has published. */
  refresh(): Promise<void> {
    const ticket = ++this.requested;
    const done = new Promise<void>((resolve) => this.waiters.push({ ticket, resolve }));
    if (!this.running) {
      this.running = true;
      if (this.state === undefined) this.publish({ status: 'loading' });
      void this.loop();
    }
    return done;
  }

  private async loop(): Promise<void> {
    let loaded = 0;
    while (loaded < this.requested) {
      const target = this.requested;
      let next: BankPanelState;
      // Yield to the event loop first, so the message that triggered the load (and the panel's first paint) goes out before the bank is read.
      await new Promise((resolve) => setTimeout(resolve, 0));
      const teamUsage = this.deps.teamUsage?.().catch((err: unknown) => {
        this.deps.logError(`bank summary: team usage: ${errorMessage(err)}`);
        return [];
      });
      try {
        next = await this.deps.load();
      } catch (err) {
        this.deps.logError(`bank summary: ${errorMessage(err)}`);
        next = { status: 'error', message: oneLine(err), ...(needsPassword(err) ? { remedy: 'password' as const } : {}) };
      }
      const banks = await this.deps.choice?.().catch((err: unknown) => {
        this.deps.logError(`bank summary: the local bank: ${errorMessage(err)}`);
        return undefined;
      });
      if (banks) next = { ...next, banks };
      const usage = await teamUsage;
      if (usage && usage.length > 0) next = { ...next, teamUsage: usage };
      loaded = target;
      this.publish(next);
      const ready = this.waiters.filter((w) => w.ticket <= target);
      this.waiters = this.waiters.filter((w) => w.ticket > target);
      for (const w of ready) w.resolve();
    }
    this.running = false;
  }

  private publish(state: BankPanelState): void {
    this.state = state;
    for (const listener of [...this.listeners]) listener(state);
  }
}
