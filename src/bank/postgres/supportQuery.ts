/**
 * RPS's support set from a team bank (DESIGN §2): every question with similarity ≥ γ·s_(Nbase), found by the
 * database. Below the index threshold the table has no vector index and the query is an exact scan; above it an HNSW
 * index answers with relaxed-order iterative scans asked for many more neighbours than the support set needs, sorted
 * here and widened until the last falls below the threshold: nearly the set an exact scan gives (support-set recall
 * measured by `smcs bench --store postgres`; HNSW cannot reach every question, see `overfetch`).
 */
import type pg from 'pg';
import { at } from '../../core/arrays';
import type { SupportRequest } from '../../core/pipeline';
import type { ModelColumns, SupportSet } from '../../core/rps';
import { l2Norm } from '../../core/vectorMath';
import { tokensFrom, type TokenRow } from './replyTokens';

/** HNSW search settings (docs/design-notes.md, "Team bank", has the measurements behind them). */
export const HNSW_SEARCH = {
  /** Candidate list of each search (pgvector's maximum is 1000). */
  efSearch: 1000,
  /** Most tuples an iterative scan visits before it stops. */
  maxScanTuples: 200_000,
  /**
   * Neighbours asked for first, in multiples of nBase. HNSW misses some questions of a support set however long it
   * searches: in a million clustered questions × 384 one in ten cannot be found even with its own vector as the query
   * at ef_search 1000 (the graph's pruning leaves them without links in), and asking for more only finds a few of them
   * by another way in. Measured there (support sets of ~516, quiet machine): 2 → recall 0.917 at p50 42 ms, 5 → 0.931
   * at 55 ms, 10 → 0.944 at 90 ms. The scan runs in relaxed order and the rows are sorted here: a strict-order scan
   * drops each neighbour it finds after a farther one was returned (pgvector's hnswscan.c).
   */
  overfetch: 10,
};

/** The query as pgvector text: unit length, rounded to float32 like the stored vectors. */
export function vectorLiteral(query: ArrayLike<number>): string {
  const norm = l2Norm(query);
  if (!Number.isFinite(norm) || norm === 0) throw new Error('query vector must be finite and non-zero');
  const unit = Float32Array.from(query, (x) => x / norm);
  return `[${Array.from(unit).join(',')}]`;
}

interface Neighbour {
  seq: string;
  id: string;
  similarity: number;
}

/** The `limit` nearest questions (inner product of unit vectors = cosine); an index's relaxed-order scan may return them slightly out of order. */
async function nearest(client: pg.ClientBase, query: string, limit: number): Promise<Neighbour[]> {
  const result = await client.query<{ seq: string; id: string; d: number }>({
    text: 'SELECT seq, id, embedding <#> $1 AS d FROM smcs.questions ORDER BY embedding <#> $1 LIMIT $2',
    values: [query, limit],
  });
  return result.rows.map((r) => ({ seq: r.seq, id: r.id, similarity: -r.d }));
}

/**
 * The support set within the caller's (read-only, repeatable-read) transaction. `size` is the bank's question count;
 * `exact` scans every vector even where the index exists (the reference the index is measured against).
 */
export async function querySupport(client: pg.ClientBase, size: number, queryVector: ArrayLike<number>, request: SupportRequest, exact = false): Promise<SupportSet> {
  if (size === 0) return { bankSize: 0, ids: [], similarities: [], columns: new Map() };
  const query = vectorLiteral(queryVector);
  if (exact) await client.query('SET LOCAL enable_indexscan = off');
  await client.query(`SET LOCAL hnsw.ef_search = ${HNSW_SEARCH.efSearch}`);
  await client.query('SET LOCAL hnsw.iterative_scan = relaxed_order');
  await client.query(`SET LOCAL hnsw.max_scan_tuples = ${HNSW_SEARCH.maxScanTuples}`);
  const nBase = Math.max(1, request.nBase);
  let limit = Math.min(size, Math.max(HNSW_SEARCH.overfetch * nBase, 256));
  let rows: Neighbour[];
  let support: Neighbour[];
  for (;;) {
    rows = (await nearest(client, query, limit)).sort((a, b) => b.similarity - a.similarity); // best first
    const sBase = at(rows, Math.min(nBase, rows.length) - 1).similarity;
    if (sBase <= 0) {
      support = rows.slice(0, Math.min(nBase, rows.length));
      break;
    }
    const threshold = request.gamma * sBase;
    const last = at(rows, rows.length - 1);
    // The neighbours may continue above the threshold past the limit: ask for more.
    if (rows.length === limit && limit < size && last.similarity >= threshold) {
      limit = Math.min(size, limit * 2);
      continue;
    }
    support = rows.filter((r) => r.similarity >= threshold);
    break;
  }
  // Bank order, as the local store gives it (priors sum in this order).
  support.sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1));
  const columns = await supportColumns(client, support.map((r) => r.seq), request.models);
  return { bankSize: size, ids: support.map((r) => r.id), similarities: support.map((r) => r.similarity), columns };
}

/**
 * The requested models' derived labels on the support questions, aligned with `seqs` (−1 where unlabelled), with the
 * tokens of the replies they came from where a support question has any for the model (NaN where none), as the local
 * store gives them.
 */
async function supportColumns(client: pg.ClientBase, seqs: readonly string[], models: readonly string[]): Promise<Map<string, ModelColumns>> {
  const position = new Map(seqs.map((s, i) => [s, i]));
  const result = await client.query<{ question_seq: string; name: string; correct: number } & TokenRow>({
    text: `SELECT l.question_seq, m.name, l.correct, l.prompt_tokens, l.completion_tokens, l.tokens_estimated
           FROM smcs.labels l JOIN smcs.models m USING (model_id)
           WHERE l.question_seq = ANY($1::bigint[]) AND m.name = ANY($2::text[])`,
    values: [seqs, models],
  });
  const columns = new Map<string, ModelColumns>();
  const tokenColumns = new Map<string, { prompt: Float32Array; completion: Float32Array }>();
  for (const row of result.rows) {
    let column = columns.get(row.name);
    if (!column) {
      column = { correct: new Int8Array(seqs.length).fill(-1) };
      columns.set(row.name, column);
    }
    const i = position.get(row.question_seq) as number;
    (column.correct as Int8Array)[i] = row.correct;
    const tokens = tokensFrom(row);
    if (!tokens) continue;
    let part = tokenColumns.get(row.name);
    if (!part) {
      part = { prompt: new Float32Array(seqs.length).fill(Number.NaN), completion: new Float32Array(seqs.length).fill(Number.NaN) };
      tokenColumns.set(row.name, part);
      column.tokens = part;
    }
    part.prompt[i] = tokens.prompt;
    part.completion[i] = tokens.completion;
  }
  return columns;
}
