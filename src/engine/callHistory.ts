/**
 * This installation's past calls (core/cost/pastCalls), kept in `<storageDir>/past-calls.json`: the tokens of each
 * model's recent replies and aggregations, so the expected cost of an ask knows how long a model's replies run where
 * the bank records no tokens. Written atomically after each ask; an unreadable file is started afresh, said once.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../bank/atomicFiles';
import { meanOf, withCalls, type PastCallRecords, type PastCalls, type PastStage } from '../core/cost/pastCalls';
import type { CallRecord } from '../core/contracts/types';
import { errorMessage } from '../core/contracts/errors';

export const PAST_CALLS_FILE = 'past-calls.json';
const VERSION = 1;

/** The kept calls in memory, read once from disk; `record` adds an ask's calls and saves. */
export class CallHistory implements PastCalls {
  private records: PastCallRecords = Object.create(null) as PastCallRecords;
  private saving: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private readonly log: (level: 'info' | 'warn', message: string) => void,
  ) {}

  /** Reads the file under `storageDir` (none yet: no past calls). */
  static async open(storageDir: string, log: (level: 'info' | 'warn', message: string) => void): Promise<CallHistory> {
    const history = new CallHistory(path.join(storageDir, PAST_CALLS_FILE), log);
    try {
      history.records = parseRecords(await fs.readFile(history.file, 'utf8'));
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'ENOENT') log('warn', `past calls not read from ${history.file} (${errorMessage(err)}); expected costs start from the bank and typical lengths`);
    }
    return history;
  }

  mean(model: string, stage: PastStage): ReturnType<PastCalls['mean']> {
    return Object.hasOwn(this.records, model) ? meanOf(this.records[model]?.[stage]) : null;
  }

  /** Adds the calls of one ask and saves; a failed save is logged, never fails the ask. */
  record(calls: readonly CallRecord[]): Promise<void> {
    const next = withCalls(this.records, calls);
    if (next === this.records) return this.saving;
    this.records = next;
    const text = JSON.stringify({ version: VERSION, models: this.records });
    this.saving = this.saving
      .then(() => fs.mkdir(path.dirname(this.file), { recursive: true }))
      .then(() => writeFileAtomic(this.file, text))
      .catch((err: unknown) => this.log('warn', `past calls not saved to ${this.file}: ${errorMessage(err)}`));
    return this.saving;
  }
}

/** The records of the file's text; throws on anything else than this version's shape. */
function parseRecords(text: string): PastCallRecords {
  const doc = JSON.parse(text) as { version?: unknown; models?: unknown };
  if (doc.version !== VERSION || typeof doc.models !== 'object' || doc.models === null) throw new Error(`not a version ${VERSION} past-calls file`);
  const records = Object.create(null) as PastCallRecords;
  for (const [model, stages] of Object.entries(doc.models as Record<string, unknown>)) {
    if (typeof stages !== 'object' || stages === null) continue;
    const kept: Partial<Record<PastStage, { prompt: number; completion: number }[]>> = {};
    for (const stage of ['referencer', 'aggregation'] as const) {
      const list: unknown = (stages as Record<string, unknown>)[stage];
      if (!Array.isArray(list)) continue;
      kept[stage] = list.flatMap((t: unknown) => {
        const { prompt, completion } = (t ?? {}) as { prompt?: unknown; completion?: unknown };
        return typeof prompt === 'number' && typeof completion === 'number' && prompt >= 0 && completion > 0 ? [{ prompt, completion }] : [];
      });
    }
    records[model] = kept;
  }
  return records;
}
