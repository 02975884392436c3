/**
 * The team bank's vector index: none while the bank is small (an exact scan is fast enough and exact), an HNSW index
 * (inner product; vectors are unit length) once it holds `INDEX_FROM` questions, built in the transaction that grows
 * the bank past it, so a bank is never half-indexed.
 */
import type pg from 'pg';

/**
 * Questions from which the bank gets its HNSW index: below it the exact scan is fast enough, and it is exact, which the
 * index is not. Measured with `smcs bench --store postgres` (384 dims, 2 cores, quiet; docs/design-notes.md):
 * retrieval + priors p50 exact 122 ms vs index 145 ms at 100k (index recall 0.93), 185 vs 82 ms at 300k (recall 0.89,
 * top-K agreement 0.975), 575 vs 128 ms at 1M (recall 0.946). The exact scan grows by about 0.6 ms per thousand
 * questions, so it stays near a quarter of a second up to 400k — small beside the model calls of an ask, and worth
 * the tenth of the support set the index would miss.
 */
export const INDEX_FROM = 400_000;

/** HNSW build parameters (pgvector's defaults are m 16, ef_construction 64). */
export const HNSW_BUILD = { m: 16, efConstruction: 64 };

export const INDEX_NAME = 'questions_embedding_hnsw';

/**
 * Memory the index build may use, at least: building in memory is many times faster than spilling. A server set
 * higher (a DBA sizing it for a big bank) keeps its own setting; the raise lasts for this transaction only.
 */
const BUILD_MEMORY_MB = 1024;

async function ensureBuildMemory(client: pg.ClientBase): Promise<void> {
  const current = await client.query<{ mb: string }>(`SELECT pg_size_bytes(current_setting('maintenance_work_mem')) / 1048576 AS mb`);
  if (Number(current.rows[0]?.mb ?? 0) < BUILD_MEMORY_MB) await client.query(`SET LOCAL maintenance_work_mem = '${BUILD_MEMORY_MB}MB'`);
}

/** Builds the HNSW index when the bank has reached `INDEX_FROM` questions and has none yet. */
export async function ensureVectorIndex(client: pg.ClientBase, size: number, indexFrom = INDEX_FROM): Promise<void> {
  if (size < indexFrom) return;
  const present = await client.query(`SELECT 1 FROM pg_indexes WHERE schemaname = 'smcs' AND indexname = $1`, [INDEX_NAME]);
  if ((present.rowCount ?? 0) > 0) return;
  await ensureBuildMemory(client);
  await client.query(
    `CREATE INDEX ${INDEX_NAME} ON smcs.questions USING hnsw (embedding vector_ip_ops) WITH (m = ${HNSW_BUILD.m}, ef_construction = ${HNSW_BUILD.efConstruction})`,
  );
}
