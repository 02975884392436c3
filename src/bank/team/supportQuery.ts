/**
 * RPS's support set from a team bank (paper §3.1): every question with similarity ≥ γ·s_(Nbase), found by the
 * database. Below the index threshold the table has no vector index and the query is an exact scan; above it the
 * IVFFlat index answers: it scans the lists nearest the query, exactly, and a relaxed-order iterative scan adds lists
 * until it has the neighbours asked for. The rows are sorted here and asked for again, twice as many, while the last
 * is still above the threshold, so the set is the one an exact scan gives unless a support question lies in a list
 * farther from the query than all those scanned (support-set recall measured by `smcs bench --store postgres`).
 */
import type pg from 'pg';
import { at } from '../../core/util/arrays';
import type { SupportRequest } from '../../core/contracts/priorSource';
import type { ModelColumns, SupportSet } from '../../core/contracts/priorSource';
import { l2Norm } from '../../core/util/vectorMath';
import { tokensFrom, type TokenRow } from './replyTokens';

/** Index search settings (docs/design-notes.md, "Team bank", has the measurements behind them). */
export const INDEX_SEARCH = {
  /**
   * Lists scanned first (of about one per thousand questions). At a million questions × 384 one list already gave
   * recall 0.9996 (the lists follow the topics); ten make a support set that spans several topics safe, at about 12 ms.
   */
  probes: 10,
  /** Most lists an iterative scan reaches before it stops. */
  maxProbes: 200,
  /** Neighbours asked for first, in multiples of nBase (at least 256); the query asks again for more while needed. */
  overfetch: 2,
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

/** The `limit` nearest questions (inner product of unit vectors = cosine); an index's relaxed-order scan may return them out of order. */
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
  // One round trip for the settings (this runs on every ask).
  await client.query(
    `${exact ? 'SET LOCAL enable_indexscan = off; ' : ''}SET LOCAL ivfflat.probes = ${INDEX_SEARCH.probes}; SET LOCAL ivfflat.iterative_scan = relaxed_order; SET LOCAL ivfflat.max_probes = ${INDEX_SEARCH.maxProbes}`,
  );
  const nBase = Math.max(1, request.nBase);
  let limit = Math.min(size, Math.max(INDEX_SEARCH.overfetch * nBase, 256));
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
  const tokenColumns = new Map<string, { prompt: Float32Array; completion: Float32Array; estimated: Uint8Array }>();
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
      part = { prompt: new Float32Array(seqs.length).fill(Number.NaN), completion: new Float32Array(seqs.length).fill(Number.NaN), estimated: new Uint8Array(seqs.length) };
      tokenColumns.set(row.name, part);
      column.tokens = part;
    }
    part.prompt[i] = tokens.prompt;
    part.completion[i] = tokens.completion;
    part.estimated[i] = tokens.estimated ? 1 : 0;
  }
  return columns;
}
