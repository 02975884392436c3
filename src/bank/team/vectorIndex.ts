/**
 * The team bank's vector index: none while the bank is small (an exact scan is fast enough and exact), an IVFFlat
 * index (inner product; vectors are unit length) once it holds `INDEX_FROM` questions, built in the transaction that
 * grows the bank to it, so a bank is never half-indexed, and built again with more lists when the bank has outgrown
 * it (schema version 3 dropped the HNSW index of earlier versions). IVFFlat rather than HNSW: an HNSW graph leaves some questions with no links in, and a support set then misses
 * them however long the search runs (recall 0.946 at a million questions); an IVFFlat list holds every question, so a
 * search that probes the lists near the query finds all of them (docs/design-notes.md, "Team bank", has both
 * measurements).
 */
import type pg from 'pg';

/**
 * Questions from which the bank gets its index: below it the exact scan is fast enough, and it is exact. Measured with
 * `smcs bench --store postgres` (384 dims, 2 cores, quiet; docs/design-notes.md): retrieval + priors p50 exact
 * 117–122 ms at 100k, 185–305 ms at 300k, 595 ms at 1M, against 31 ms by the index at 1M. Below 400k a support set of
 * nBase 400 also reaches past a topic's questions into unrelated ones spread over every list, which the index misses
 * (support-set recall 0.43 at 100k, 0.75 at 300k; 0.9997 at 1M).
 */
export const INDEX_FROM = 400_000;

export const INDEX_NAME = 'questions_embedding_ivfflat';

/** pgvector's guidance for IVFFlat lists: rows / 1000 up to a million rows, √rows above. */
export function listsFor(size: number): number {
  return Math.max(1, Math.floor(size <= 1_000_000 ? size / 1000 : Math.sqrt(size)));
}

/**
 * Memory the index build may use, at least (it sorts the sample for k-means and the vectors into their lists in
 * memory). A server set higher (a DBA sizing it for a big bank) keeps its own setting; the raise lasts for this
 * transaction only.
 */
const BUILD_MEMORY_MB = 1024;

async function ensureBuildMemory(client: pg.ClientBase): Promise<void> {
  const current = await client.query<{ mb: string }>(`SELECT pg_size_bytes(current_setting('maintenance_work_mem')) / 1048576 AS mb`);
  if (Number(current.rows[0]?.mb ?? 0) < BUILD_MEMORY_MB) await client.query(`SET LOCAL maintenance_work_mem = '${BUILD_MEMORY_MB}MB'`);
}

/** The lists of the bank's IVFFlat index, or undefined when it has none. */
async function indexLists(client: pg.ClientBase): Promise<number | undefined> {
  const row = await client.query<{ options: string[] | null }>(
    `SELECT c.reloptions AS options FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'smcs' AND c.relname = $1`,
    [INDEX_NAME],
  );
  if (row.rows.length === 0) return undefined;
  const lists = row.rows[0]?.options?.find((o) => o.startsWith('lists='));
  return lists ? Number(lists.slice('lists='.length)) : 100; // pgvector's default
}

/**
 * Builds the index when the bank has reached `indexFrom` questions and has none, or builds it again when the bank
 * has grown to twice the questions its lists were made for (longer lists make every search scan more). The new index
 * is built beside the old one, which searches keep using until this transaction commits.
 */
export async function ensureVectorIndex(client: pg.ClientBase, size: number, indexFrom = INDEX_FROM): Promise<void> {
  if (size < indexFrom) return;
  const lists = listsFor(size);
  const current = await indexLists(client);
  if (current !== undefined && lists < current * 2) return;
  await ensureBuildMemory(client);
  await client.query(`CREATE INDEX ${INDEX_NAME}_next ON smcs.questions USING ivfflat (embedding vector_ip_ops) WITH (lists = ${lists})`);
  await client.query(`DROP INDEX IF EXISTS smcs.${INDEX_NAME}`);
  await client.query(`ALTER INDEX smcs.${INDEX_NAME}_next RENAME TO ${INDEX_NAME}`);
}
