/**
 * The team store: a bank in PostgreSQL + pgvector that several people read and write at once. Reads see one
 * snapshot; every write is one transaction under the bank's advisory write lock (so writers from several machines
 * are serialised, nothing is lost or doubled, and an import is all-or-nothing); every label row records who, when
 * and from what.
 */
import os from 'node:os';
import type pg from 'pg';
import type { TeamBankLocation } from '../../core/contracts/bankLocation';
import type { SupportRequest } from '../../core/contracts/priorSource';
import type { SupportSet } from '../../core/contracts/priorSource';
import type { BankRecord, GraderKind, RecordedTokens, RecordSource } from '../../core/contracts/types';
import type { Bank, BankAccess, BankChange, FailureMap, FailureUpdate, LabelUpdate, ModelCoverage, OpenBankOptions, RecordOptions, WriteOrigin } from '../bank';
import { BankError, BankReadOnlyError, BankUnavailableError, EmbedderMismatchError, listWithMore } from '../errors';
import type { EmbedderIdentity } from '../embedderIdentity';
import type { RecoveryReport } from '../recoveryReport';
import type { BankStats, Contributor, ModelStats } from '../stats';
import { checkNewQuestion, describeId, labelUpdatesOf } from '../newQuestionChecks';
import { connectingUser, openPool, unavailable, type PasswordSource } from './connection';
import { copyQuestions, copyText, type QuestionRow } from './copyQuestions';
import { DERIVE_LABELS_SQL, GRADED_LABELS_SQL } from './labelRule';
import { checkSchema, WRITE_LOCK } from './schema';
import { TOKEN_COLUMNS, tokenFields, tokensFrom, type TokenRow } from './replyTokens';
import { querySupport } from './supportQuery';
import { ensureVectorIndex } from './vectorIndex';
import { own, setOwn } from '../../core/util/ownKeys';

export type TeamBankOptions = OpenBankOptions & BankAccess;

/** Knobs for measuring the store (`smcs bench`) and testing it; the product uses the defaults. */
export interface TeamBankTuning {
  /** `exact`: every support set by an exact scan, also where the vector index exists. */
  search?: 'auto' | 'exact';
  /** Questions from which a commit builds the vector index (default INDEX_FROM). */
  indexFrom?: number;
}

interface QuestionRowOut {
  seq: string;
  id: string;
  question: string;
  answer: string | null;
  grader: string | null;
  domain: string | null;
  fold: number | null;
  source: string | null;
  embedding?: string;
}

const RECORD_COLUMNS = 'seq, id, question, answer, grader, domain, fold, source';
/** Questions read per round trip while scanning. */
const SCAN_BATCH = 2000;

/** The open row's embedder, or undefined when the schema holds no bank yet. */
async function storedEmbedder(client: pg.ClientBase): Promise<EmbedderIdentity | undefined> {
  const row = await client.query<{ embedder_id: string; dimension: number }>('SELECT embedder_id, dimension FROM smcs.bank');
  const first = row.rows[0];
  return first ? { id: first.embedder_id, dimension: first.dimension } : undefined;
}

/** The embedder a team bank records, or why there is none (for commands that open a bank without embedding). */
export async function readTeamEmbedder(location: TeamBankLocation, password?: PasswordSource): Promise<{ embedder: EmbedderIdentity } | { problems: string[] }> {
  const pool = await openPool(location, password);
  try {
    const client = await pool.connect();
    try {
      await checkSchema(client, location.display);
      const embedder = await storedEmbedder(client);
      return embedder ? { embedder } : { problems: [`the team bank ${location.display} holds no bank yet (import questions into it first)`] };
    } finally {
      client.release();
    }
  } catch (err) {
    throw unavailable(err, location);
  } finally {
    await pool.end();
  }
}

/** True when the team bank's schema exists and records a bank. */
export async function teamBankExists(location: TeamBankLocation, password?: PasswordSource): Promise<boolean> {
  const recorded = await readTeamEmbedder(location, password).catch((err: unknown) => {
    if (err instanceof BankError && err.name === 'BankSchemaError') return { problems: [] };
    throw err;
  });
  return 'embedder' in recorded;
}

function toRecord(row: QuestionRowOut, labels: QuestionLabels | undefined, options: RecordOptions): BankRecord {
  const record: BankRecord = { id: row.id, question: row.question };
  if (row.answer !== null) record.answer = row.answer;
  if (row.grader !== null) record.grader = row.grader as GraderKind;
  if (row.domain !== null) record.domain = row.domain;
  if (row.fold !== null) record.fold = row.fold;
  if (row.source !== null) record.source = row.source as RecordSource;
  if (labels) record.correct = labels.correct;
  if (labels?.tokens) record.tokens = labels.tokens;
  // pgvector prints the shortest decimal of each float4: read back as float4, the vector is the one stored, bit for bit.
  if (options.embedding && row.embedding !== undefined) record.embedding = Array.from(Float32Array.from(JSON.parse(row.embedding) as number[]));
  return record;
}

export class TeamBank implements Bank {
  readonly store = 'postgres' as const;
  readonly recovery: RecoveryReport | undefined = undefined;
  private closed = false;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly where: TeamBankLocation,
    private readonly pool: pg.Pool,
    readonly embedder: EmbedderIdentity,
    readonly writable: boolean,
    /** The database role this handle connects as. */
    readonly role: string,
    private readonly user: string,
    /** Set when this handle's open recorded the bank (an empty schema), so a failed first import can take it back. */
    private readonly created: boolean,
    private readonly tuning: TeamBankTuning,
  ) {}

  /** `host:port/database` (the URL never holds a password). */
  get location(): string {
    return this.where.display;
  }

  /**
   * Opens the team bank: refuses a missing or old schema (BankSchemaError, naming `smcs bank migrate-schema`), another
   * embedder (EmbedderMismatchError), and with `write`, a role that cannot write (BankReadOnlyError). With `create`
   * and `write`, an empty schema records the caller's embedder.
   */
  static async open(location: TeamBankLocation, options: TeamBankOptions, tuning: TeamBankTuning = {}): Promise<TeamBank> {
    const write = options.write ?? false;
    if (options.create && !write) throw new BankError(`creating the team bank ${location.display} needs write access (write: true)`);
    const pool = await openPool(location, options.password);
    try {
      const client = await pool.connect();
      try {
        await checkSchema(client, location.display);
        const role = (await client.query<{ role: string }>('SELECT current_user AS role')).rows[0]?.role ?? connectingUser(location);
        if (write) {
          const rights = await client.query<{ ok: boolean }>(
            `SELECT has_table_privilege('smcs.questions', 'INSERT') AND has_table_privilege('smcs.label_rows', 'INSERT') AND has_table_privilege('smcs.labels', 'UPDATE') AS ok`,
          );
          if (!rights.rows[0]?.ok) throw new BankReadOnlyError(location.display, role, 'be opened for writing');
        }
        let embedder = await storedEmbedder(client);
        let created = false;
        if (!embedder) {
          if (!options.create) throw new BankError(`no question bank at ${location.display} (the schema is there, but nothing was imported yet)`);
          ({ embedder, created } = await recordEmbedder(client, options.embedder, options.user ?? connectingUser(location)));
        }
        if (embedder.id !== options.embedder.id || embedder.dimension !== options.embedder.dimension) throw new EmbedderMismatchError(location.display, embedder, options.embedder);
        return new TeamBank(location, pool, { ...embedder }, write, role, options.user ?? os.userInfo().username, created, tuning);
      } finally {
        client.release();
      }
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw unavailable(err, location);
    }
  }

  /** Runs `work` on one connection; a broken connection becomes a BankUnavailableError naming the bank. */
  private async withClient<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    if (this.closed) throw new BankError(`team bank ${this.location} is closed`);
    let client: pg.PoolClient | undefined;
    let failure: Error | undefined;
    try {
      client = await checkout(this.pool);
      return await work(client);
    } catch (err) {
      failure = unavailable(err, this.where);
      throw failure;
    } finally {
      // A client whose connection broke is discarded, not handed to the next caller.
      client?.release(failure instanceof BankUnavailableError ? failure : undefined);
    }
  }

  /** Runs `work` in a read-only transaction that sees one snapshot of the bank. */
  private snapshot<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.withClient(async (client) => {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      try {
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  async count(): Promise<number> {
    return this.withClient(async (client) => sizeOf(client));
  }

  supportSet(query: Float32Array, request: SupportRequest): Promise<SupportSet> {
    if (query.length !== this.embedder.dimension) return Promise.reject(new Error(`query has dimension ${query.length}, the bank has ${this.embedder.dimension}`));
    return this.snapshot(async (client) => querySupport(client, await sizeOf(client), query, request, this.tuning.search === 'exact'));
  }

  lookup(ids: readonly string[], options: RecordOptions = {}): Promise<Map<string, BankRecord>> {
    return this.snapshot(async (client) => {
      const rows = await client.query<QuestionRowOut>({
        text: `SELECT ${RECORD_COLUMNS}${options.embedding ? ', embedding::text AS embedding' : ''} FROM smcs.questions WHERE id = ANY($1::text[]) ORDER BY seq`,
        values: [ids],
      });
      const labels = await labelsOf(client, rows.rows.map((r) => r.seq));
      return new Map(rows.rows.map((r) => [r.id, toRecord(r, labels.get(r.seq), options)]));
    });
  }

  findByText(texts: readonly string[], options: RecordOptions = {}): Promise<Map<string, BankRecord>> {
    if (texts.length === 0) return Promise.resolve(new Map<string, BankRecord>());
    return this.snapshot(async (client) => {
      const rows = await client.query<QuestionRowOut>({
        text: `SELECT DISTINCT ON (question) ${RECORD_COLUMNS}${options.embedding ? ', embedding::text AS embedding' : ''} FROM smcs.questions WHERE question = ANY($1::text[]) ORDER BY question, seq`,
        values: [[...new Set(texts)]],
      });
      const labels = await labelsOf(client, rows.rows.map((r) => r.seq));
      return new Map(rows.rows.map((r) => [r.question, toRecord(r, labels.get(r.seq), options)]));
    });
  }

  /** Every question in bank order, read in batches within one snapshot (a commit meanwhile does not change what is listed). */
  async *scan(options: RecordOptions = {}): AsyncIterable<BankRecord> {
    if (this.closed) throw new BankError(`team bank ${this.location} is closed`);
    const client = await checkout(this.pool).catch((err: unknown) => Promise.reject(unavailable(err, this.where)));
    let done = false;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      let after = '0';
      for (;;) {
        const rows = await client
          .query<QuestionRowOut>({
            text: `SELECT ${RECORD_COLUMNS}${options.embedding ? ', embedding::text AS embedding' : ''} FROM smcs.questions WHERE seq > $1 ORDER BY seq LIMIT ${SCAN_BATCH}`,
            values: [after],
          })
          .catch((err: unknown) => Promise.reject(unavailable(err, this.where)));
        if (rows.rows.length === 0) break;
        const labels = await labelsOf(client, rows.rows.map((r) => r.seq)).catch((err: unknown) => Promise.reject(unavailable(err, this.where)));
        for (const row of rows.rows) yield toRecord(row, labels.get(row.seq), options);
        after = rows.rows[rows.rows.length - 1]?.seq ?? after;
      }
      await client.query('COMMIT');
      done = true;
    } finally {
      if (!done) await client.query('ROLLBACK').catch(() => undefined);
      client.release(!done);
    }
  }

  coverage(): Promise<ModelCoverage[]> {
    return this.withClient(async (client) => {
      const rows = await client.query<{ name: string; labelled: string; correct: string }>(
        `SELECT m.name, count(*) AS labelled, sum(l.correct) AS correct FROM smcs.labels l JOIN smcs.models m USING (model_id) GROUP BY m.model_id, m.name ORDER BY m.model_id`,
      );
      return rows.rows.map((r) => ({ model: r.name, labelled: Number(r.labelled), correct: Number(r.correct) }));
    });
  }

  statistics(): Promise<BankStats> {
    return this.snapshot(async (client) => {
      const size = await sizeOf(client);
      const perDomain = await client.query<{ name: string; domain: string; labelled: string; correct: string }>(
        `SELECT m.name, coalesce(q.domain, '(none)') AS domain, count(*) AS labelled, sum(l.correct) AS correct
         FROM smcs.labels l JOIN smcs.models m USING (model_id) JOIN smcs.questions q ON q.seq = l.question_seq
         GROUP BY m.model_id, m.name, 2 ORDER BY m.model_id, 2`,
      );
      const models = new Map<string, ModelStats>();
      for (const r of perDomain.rows) {
        const labelled = Number(r.labelled);
        const correct = Number(r.correct);
        const entry = models.get(r.name) ?? { model: r.name, labelled: 0, correct: 0, accuracy: 0, byDomain: {} };
        entry.labelled += labelled;
        entry.correct += correct;
        entry.accuracy = entry.correct / entry.labelled;
        setOwn(entry.byDomain, r.domain, { labelled, correct, accuracy: correct / labelled });
        models.set(r.name, entry);
      }
      const counts = await client.query<{ domain: string; source: string; n: string }>(
        `SELECT coalesce(domain, '(none)') AS domain, coalesce(source, '(none)') AS source, count(*) AS n FROM smcs.questions GROUP BY 1, 2`,
      );
      const domains: Record<string, number> = {};
      const sources: Record<string, number> = {};
      for (const r of counts.rows) {
        setOwn(domains, r.domain, (own(domains, r.domain) ?? 0) + Number(r.n));
        setOwn(sources, r.source, (own(sources, r.source) ?? 0) + Number(r.n));
      }
      return { size, embedder: { ...this.embedder }, models: [...models.values()], domains, sources, contributors: await contributorsOf(client) };
    });
  }

  assertWritable(purpose: string): void {
    if (this.closed) throw new BankError(`team bank ${this.location} is closed`);
    if (!this.writable) throw new BankError(`team bank ${this.location} was opened read-only; open it with write: true to ${purpose}`);
  }

  /** One transaction under the bank's write lock; concurrent calls on this handle run one after another. */
  commit(change: BankChange): Promise<void> {
    const run = this.queue.then(() => this.applyChange(change));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async applyChange(change: BankChange): Promise<void> {
    this.assertWritable('change it');
    const origin: Required<WriteOrigin> = { user: change.origin?.user ?? this.user, via: change.origin?.via ?? 'import' };
    const removeIds = [...new Set(change.remove ?? [])];
    const additions = change.add ?? [];
    if (removeIds.length + additions.length + (change.labels?.length ?? 0) === 0) return;
    const { rows, problems } = checkAdditions(additions, this.embedder.dimension);
    await this.withClient(async (client) => {
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK]);
        const at = (await client.query<{ at: Date }>('SELECT clock_timestamp() AS at')).rows[0]?.at;
        const known = await knownIds(client, [...removeIds, ...additions.map((q) => q.id), ...(change.labels ?? []).map((l) => l.id)]);
        const fresh = change.addOrMerge ? rows.filter((r) => !known.has(r.id) || removeIds.includes(r.id)) : rows;
        checkAgainstBank(known, removeIds, fresh, additions, change, problems);
        if (problems.length > 0) throw new BankError(`bank change refused, nothing was written: ${listWithMore(problems, 5)}`);
        if (removeIds.length > 0) {
          const gone = await client.query<{ seq: string }>('DELETE FROM smcs.questions WHERE id = ANY($1::text[]) RETURNING seq', [removeIds]);
          const seqs = gone.rows.map((r) => r.seq);
          await client.query('DELETE FROM smcs.label_rows WHERE question_seq = ANY($1::bigint[])', [seqs]);
          await client.query('DELETE FROM smcs.labels WHERE question_seq = ANY($1::bigint[])', [seqs]);
        }
        const freshIds = new Set(fresh.map((r) => r.id));
        const newLabels = additions.filter((q) => freshIds.has(q.id)).flatMap(labelUpdatesOf);
        const otherLabels = [...additions.filter((q) => !freshIds.has(q.id)).flatMap(labelUpdatesOf), ...(change.labels ?? [])];
        // Numbered in order of first appearance, as the local store orders its label columns (exports list models alike).
        await addModels(client, [...newLabels, ...otherLabels].map((l) => l.model));
        if (fresh.length > 0) {
          const before = await client.query<{ seq: string }>('SELECT coalesce(max(seq), 0) AS seq FROM smcs.questions');
          await copyQuestions(client, fresh, origin.user, origin.via);
          if (newLabels.length > 0) await copyNewLabels(client, before.rows[0]?.seq ?? '0', newLabels, origin, at as Date);
        }
        if (otherLabels.length > 0) await writeLabels(client, otherLabels, origin, at as Date);
        const size = await client.query<{ size: string }>('UPDATE smcs.bank SET size = size + $1 RETURNING size', [fresh.length - removeIds.length]);
        await ensureVectorIndex(client, Number(size.rows[0]?.size ?? 0), this.tuning.indexFrom);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        if ((err as { code?: unknown }).code === '42501') throw new BankReadOnlyError(this.location, this.role, 'change it');
        throw err;
      }
    });
  }

  /** Builds the vector index now for the bank's size, whatever the threshold (a bulk load with `indexFrom` deferred builds it after). */
  buildIndex(): Promise<void> {
    return this.withClient(async (client) => {
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK]);
        await ensureVectorIndex(client, await sizeOf(client), 0);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  /** Bytes the bank takes on disk (its tables with their indexes and TOAST). */
  diskBytes(): Promise<number> {
    return this.withClient(async (client) => {
      const row = await client.query<{ bytes: string }>(
        `SELECT sum(pg_total_relation_size(c.oid)) AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'smcs' AND c.relkind = 'r'`,
      );
      return Number(row.rows[0]?.bytes ?? 0);
    });
  }

  profileFailures(): Promise<FailureMap> {
    return this.withClient(async (client) => {
      const rows = await client.query<{ model: string; question_id: string; count: number; last_error: string; at: Date }>('SELECT model, question_id, count, last_error, at FROM smcs.profile_failures');
      const map: FailureMap = {};
      for (const r of rows.rows) {
        let byId = own(map, r.model);
        if (byId === undefined) setOwn(map, r.model, (byId = {}));
        setOwn(byId, r.question_id, { count: r.count, lastError: r.last_error, at: r.at.toISOString() });
      }
      return map;
    });
  }

  updateProfileFailures(update: FailureUpdate): Promise<void> {
    this.assertWritable('record profiling failures');
    return this.withClient(async (client) => {
      await client.query('BEGIN');
      try {
        if (update.answered.length > 0) {
          await client.query('DELETE FROM smcs.profile_failures f USING unnest($1::text[], $2::text[]) AS a(model, id) WHERE f.model = a.model AND f.question_id = a.id', [
            update.answered.map((a) => a.model),
            update.answered.map((a) => a.id),
          ]);
        }
        for (const f of update.failed) {
          await client.query(
            `INSERT INTO smcs.profile_failures (model, question_id, count, last_error, at) VALUES ($1, $2, 1, $3, now())
             ON CONFLICT (model, question_id) DO UPDATE SET count = smcs.profile_failures.count + 1, last_error = EXCLUDED.last_error, at = EXCLUDED.at`,
            [f.model, f.id, f.lastError],
          );
        }
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.queue;
    this.closed = true;
    await this.pool.end().catch(() => undefined);
  }

  /** Closes; when this handle recorded the bank and it is still empty, the record is taken back (the schema stays). */
  async discardIfNew(): Promise<void> {
    await this.queue;
    if (this.created) {
      await this.withClient((client) => client.query('DELETE FROM smcs.bank WHERE size = 0 AND NOT EXISTS (SELECT 1 FROM smcs.questions)')).catch(() => undefined);
    }
    await this.close();
  }
}

/** A pooled client whose connection errors reject its queries instead of surfacing as an uncaught 'error' event. */
async function checkout(pool: pg.Pool): Promise<pg.PoolClient> {
  const client = await pool.connect();
  if (client.listenerCount('error') === 0) client.on('error', () => undefined);
  return client;
}

async function sizeOf(client: pg.ClientBase): Promise<number> {
  const row = await client.query<{ size: string }>('SELECT size FROM smcs.bank');
  return Number(row.rows[0]?.size ?? 0);
}

/** Records the embedder of a new bank and types its vector column (an empty table), under the write lock; returns what is recorded and whether this call did it. */
async function recordEmbedder(client: pg.ClientBase, embedder: EmbedderIdentity, user: string): Promise<{ embedder: EmbedderIdentity; created: boolean }> {
  if (!Number.isInteger(embedder.dimension) || embedder.dimension < 1 || embedder.dimension > 16000) throw new BankError(`embedder.dimension must be a whole number from 1 to 16000, got ${embedder.dimension}`);
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK]);
    const raced = await storedEmbedder(client);
    if (raced) {
      await client.query('COMMIT');
      return { embedder: raced, created: false };
    }
    await client.query('INSERT INTO smcs.bank (embedder_id, dimension, created_by) VALUES ($1, $2, $3)', [embedder.id, embedder.dimension, user]);
    await client.query(`ALTER TABLE smcs.questions ALTER COLUMN embedding TYPE vector(${embedder.dimension})`);
    await client.query('COMMIT');
    return { embedder, created: true };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** A question's derived labels by model, and the reply tokens of those that have them. */
interface QuestionLabels {
  correct: Record<string, 0 | 1>;
  tokens?: Record<string, RecordedTokens>;
}

/** The derived labels of the questions `seqs`, by seq. */
async function labelsOf(client: pg.ClientBase, seqs: readonly string[]): Promise<Map<string, QuestionLabels>> {
  const out = new Map<string, QuestionLabels>();
  if (seqs.length === 0) return out;
  const rows = await client.query<{ question_seq: string; name: string; correct: 0 | 1 } & TokenRow>({
    text: `SELECT l.question_seq, m.name, l.correct, l.prompt_tokens, l.completion_tokens, l.tokens_estimated FROM smcs.labels l JOIN smcs.models m USING (model_id) WHERE l.question_seq = ANY($1::bigint[]) ORDER BY l.question_seq, m.model_id`,
    values: [seqs],
  });
  for (const r of rows.rows) {
    const labels = out.get(r.question_seq) ?? { correct: {} };
    setOwn(labels.correct, r.name, r.correct);
    const tokens = tokensFrom(r);
    if (tokens) labels.tokens = { ...labels.tokens, [r.name]: tokens };
    out.set(r.question_seq, labels);
  }
  return out;
}

async function contributorsOf(client: pg.ClientBase): Promise<Contributor[]> {
  const rows = await client.query<{ user_name: string; labels: string; questions: string; last_at: Date }>(
    `SELECT user_name, sum(labels) AS labels, sum(questions) AS questions, max(last_at) AS last_at FROM (
       SELECT user_name, count(*) AS labels, 0 AS questions, max(at) AS last_at FROM smcs.label_rows GROUP BY user_name
       UNION ALL
       SELECT added_by, 0, count(*), max(added_at) FROM smcs.questions GROUP BY added_by
     ) c GROUP BY user_name ORDER BY user_name`,
  );
  return rows.rows.map((r) => ({ user: r.user_name, labels: Number(r.labels), questions: Number(r.questions), lastAt: r.last_at.toISOString() }));
}

/** The ids of `ids` that the bank holds. */
async function knownIds(client: pg.ClientBase, ids: readonly string[]): Promise<Set<string>> {
  const rows = await client.query<{ id: string }>({ text: 'SELECT id FROM smcs.questions WHERE id = ANY($1::text[])', values: [[...new Set(ids)]] });
  return new Set(rows.rows.map((r) => r.id));
}

/** The additions as rows to copy, with what is wrong with them on their own (the checks of the local store). */
function checkAdditions(additions: BankChange['add'] & object, dimension: number): { rows: QuestionRow[]; problems: string[] } {
  const problems: string[] = [];
  const rows: QuestionRow[] = [];
  const seen = new Map<string, number>();
  additions.forEach((q, k) => {
    const at = `add[${k}]`;
    if (typeof q.id !== 'string' || q.id === '') problems.push(`${at}.id must be a non-empty string`);
    else if (seen.has(q.id)) problems.push(`${at}.id ${describeId(q.id)} repeats add[${seen.get(q.id)}]`);
    else seen.set(q.id, k);
    const embedding = checkNewQuestion(q, at, dimension, problems);
    if (!embedding) return;
    const { embedding: _embedding, correct: _correct, ...fields } = q;
    rows.push({ ...fields, embedding });
  });
  return { rows, problems };
}

/** Adds what the bank's current content makes wrong with the change: removals of unknown ids, additions of known ones, labels of unknown questions. */
function checkAgainstBank(
  known: ReadonlySet<string>,
  removeIds: readonly string[],
  fresh: readonly QuestionRow[],
  additions: NonNullable<BankChange['add']>,
  change: BankChange,
  problems: string[],
): void {
  const removed = new Set(removeIds);
  for (const id of removeIds) if (!known.has(id)) problems.push(`remove: no question with id ${describeId(id)}`);
  const freshIds = new Set(fresh.map((r) => r.id));
  if (!change.addOrMerge) {
    additions.forEach((q, k) => {
      if (known.has(q.id) && !removed.has(q.id)) problems.push(`add[${k}].id ${describeId(q.id)} is already in the bank`);
    });
  }
  (change.labels ?? []).forEach((l, k) => {
    const at = `labels[${k}]`;
    const present = (known.has(l.id) && !removed.has(l.id)) || freshIds.has(l.id) || additions.some((q) => q.id === l.id);
    if (!present) problems.push(`${at}.id: no question with id ${describeId(l.id)}`);
    if (typeof l.model !== 'string' || l.model === '') problems.push(`${at}.model must be a non-empty string`);
    if (l.correct !== 0 && l.correct !== 1) problems.push(`${at}.correct must be 0 or 1, got ${JSON.stringify(l.correct)}`);
  });
}

/** Numbers the models the bank does not know yet, in the order given. */
async function addModels(client: pg.ClientBase, names: readonly string[]): Promise<void> {
  const models = [...new Set(names)];
  if (models.length === 0) return;
  await client.query('INSERT INTO smcs.models (name) SELECT name FROM unnest($1::text[]) WITH ORDINALITY AS m(name, n) ORDER BY n ON CONFLICT (name) DO NOTHING', [models]);
}

/**
 * The labels of questions this commit added (after seq `before`): nothing can be there yet, so their rows and derived
 * labels go in by COPY, without the conflict handling and joins of `writeLabels` (an import's bulk).
 */
async function copyNewLabels(client: pg.ClientBase, before: string, labels: readonly LabelUpdate[], origin: Required<WriteOrigin>, at: Date): Promise<void> {
  const seqs = await client.query<{ seq: string; id: string }>('SELECT seq, id FROM smcs.questions WHERE seq > $1', [before]);
  const seqOf = new Map(seqs.rows.map((r) => [r.id, r.seq]));
  const models = await client.query<{ model_id: number; name: string }>('SELECT model_id, name FROM smcs.models');
  const modelOf = new Map(models.rows.map((r) => [r.name, String(r.model_id)]));
  const rows = labels.map((l) => [seqOf.get(l.id) as string, modelOf.get(l.model) as string, String(l.correct), ...tokenFields(l.tokens)]);
  const when = at.toISOString();
  await copyText(client, `smcs.label_rows (question_seq, model_id, correct, ${TOKEN_COLUMNS}, user_name, via, at)`, rows.map((row) => [...row, origin.user, origin.via, when]));
  await copyText(client, `smcs.labels (question_seq, model_id, correct, ${TOKEN_COLUMNS})`, rows);
}

/**
 * Stores label rows (one per question, model, person and source: a later value of the same replaces it, an equal
 * one changes nothing) and re-derives the labels RPS uses for the pairs touched. A later entry for the same question
 * and model in `labels` wins.
 */
async function writeLabels(client: pg.ClientBase, labels: readonly LabelUpdate[], origin: Required<WriteOrigin>, at: Date): Promise<void> {
  const last = new Map<string, LabelUpdate>();
  for (const l of labels) last.set(`${l.id}\u0000${l.model}`, l);
  const entries = [...last.values()];
  const values = 'correct smallint, prompt_tokens real, completion_tokens real, tokens_estimated boolean';
  await client.query(`CREATE TEMPORARY TABLE incoming (id text, model text, ${values}) ON COMMIT DROP`);
  await copyText(client, `incoming (id, model, correct, ${TOKEN_COLUMNS})`, entries.map((l) => [l.id, l.model, String(l.correct), ...tokenFields(l.tokens)]));
  await client.query(`CREATE TEMPORARY TABLE touched (question_seq bigint, model_id int, ${values}) ON COMMIT DROP`);
  await client.query(
    `INSERT INTO touched SELECT q.seq, m.model_id, e.correct, e.prompt_tokens, e.completion_tokens, e.tokens_estimated
     FROM incoming e JOIN smcs.questions q ON q.id = e.id JOIN smcs.models m ON m.name = e.model`,
  );
  await client.query('ANALYZE touched');
  // A person's row for this source takes the new value and time (a re-import adds no row).
  await client.query(
    `INSERT INTO smcs.label_rows (question_seq, model_id, user_name, via, correct, ${TOKEN_COLUMNS}, at)
     SELECT question_seq, model_id, $1, $2, correct, ${TOKEN_COLUMNS}, $3 FROM touched
     ON CONFLICT (question_seq, model_id, user_name, via) DO UPDATE SET (correct, ${TOKEN_COLUMNS}, at) =
       (EXCLUDED.correct, EXCLUDED.prompt_tokens, EXCLUDED.completion_tokens, EXCLUDED.tokens_estimated, EXCLUDED.at)`,
    [origin.user, origin.via, at],
  );
  await client.query(origin.via === 'choice' ? DERIVE_LABELS_SQL : GRADED_LABELS_SQL);
}
