/** The in-memory state of one bank generation, and loading it from disk with verification and repair. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { errorMessage } from '../../core/contracts/errors';
import { TEMP_PREFIX } from '../atomicFiles';
import { parseLabels, type LabelColumns, type TokenColumns } from './labels';
import { referencedFiles, type Manifest, type ShardRef } from './manifest';
import { loadFromVectra, loadSnapshot, readVerified, repairSnapshot, repairVectra, SHARDS_DIR, sizeProblem } from './shards';
import type { StoredRecord } from '../storedRecord';

/** One generation of the bank in memory. Replaced as a whole by each commit, never mutated in its valid range. */
export interface BankState {
  manifest: Manifest;
  size: number;
  /** Unit vectors, row-major; its capacity may exceed size × dimension. */
  vectors: Float32Array;
  records: StoredRecord[];
  idIndex: Map<string, number>;
  labels: LabelColumns;
  /** Tokens of the replies the labels came from (models without any have no column). */
  tokens: TokenColumns;
}

/** The outcome of loading a generation: its state, what was found damaged, and whether the manifest entries changed through repair. */
export interface LoadedGeneration {
  state: BankState;
  problems: string[];
  repaired: boolean;
}

/** Room for `rows` vectors, with slack so that small appends do not copy the whole matrix. */
export function allocateVectors(rows: number, dimension: number): Float32Array {
  return new Float32Array(Math.max(rows + (rows >> 2), 256) * dimension);
}

function indexIds(records: readonly StoredRecord[]): Map<string, number> {
  const idIndex = new Map<string, number>();
  records.forEach((record, i) => {
    if (idIndex.has(record.id)) throw new Error(`question id ${record.id} is stored twice`);
    idIndex.set(record.id, i);
  });
  return idIndex;
}

async function loadShard(
  dir: string,
  ref: ShardRef,
  target: Float32Array,
  dimension: number,
  writable: boolean,
  problems: string[],
): Promise<{ records: StoredRecord[]; ref: ShardRef }> {
  const vectraProblem = await sizeProblem(dir, ref.vectra);
  let records: StoredRecord[];
  try {
    records = await loadSnapshot(dir, ref, target);
  } catch (snapshotError) {
    const snapshotProblem = errorMessage(snapshotError);
    try {
      records = await loadFromVectra(dir, ref, target, dimension);
    } catch (vectraError) {
      throw new Error(`${snapshotProblem}; ${errorMessage(vectraError)}`);
    }
    problems.push(`${snapshotProblem}: rebuilt from ${ref.vectra.file}`);
    return { records, ref: writable ? await repairSnapshot(dir, ref, { records, vectors: target }) : ref };
  }
  if (vectraProblem === undefined) return { records, ref };
  problems.push(`${vectraProblem}: rebuilt from the snapshot ${ref.vectors.file}`);
  return { records, ref: writable ? await repairVectra(dir, ref, { records, vectors: target }, dimension) : ref };
}

/**
 * Loads the generation a manifest describes. Every snapshot file is checked (size and SHA-256) and every
 * vectra index by size; a damaged copy of a shard is rebuilt from the other (rewritten when `writable`).
 * Throws naming the files when a shard or the labels cannot be read from any copy.
 */
export async function loadGeneration(dir: string, manifest: Manifest, writable: boolean): Promise<LoadedGeneration> {
  const dimension = manifest.embedder.dimension;
  const vectors = allocateVectors(manifest.size, dimension);
  const records: StoredRecord[] = [];
  const problems: string[] = [];
  const shards: ShardRef[] = [];
  let offset = 0;
  for (const ref of manifest.shards) {
    const target = vectors.subarray(offset * dimension, (offset + ref.count) * dimension);
    const loaded = await loadShard(dir, ref, target, dimension, writable, problems);
    for (const record of loaded.records) records.push(record);
    shards.push(loaded.ref);
    offset += ref.count;
  }
  if (offset !== manifest.size) throw new Error(`manifest lists ${offset} questions in its shards but records size ${manifest.size}`);
  const idIndex = indexIds(records);
  const labelsText = (await readVerified(dir, manifest.labels)).toString('utf8');
  const { labels, tokens } = parseLabels(labelsText, idIndex, manifest.size);
  const repaired = writable && problems.length > 0;
  return {
    state: { manifest: repaired ? { ...manifest, shards } : manifest, size: manifest.size, vectors, records, idIndex, labels, tokens },
    problems,
    repaired,
  };
}

/**
 * Deletes files that no kept manifest references: shards and label files of older generations and
 * temporary files left by an interrupted write. Only the writer calls this.
 */
export async function collectGarbage(dir: string, keep: readonly Manifest[]): Promise<void> {
  const kept = new Set(keep.flatMap(referencedFiles).map((f) => path.normalize(f)));
  const keptShards = new Set(keep.flatMap((m) => m.shards.map((s) => s.name)));
  for (const entry of await fs.readdir(dir)) {
    const isOldLabels = /^labels\.g\d+\.json$/.test(entry) && !kept.has(entry);
    if (isOldLabels || entry.startsWith(TEMP_PREFIX)) await fs.rm(path.join(dir, entry), { recursive: true, force: true });
  }
  const shardsDir = path.join(dir, SHARDS_DIR);
  let entries: string[];
  try {
    entries = await fs.readdir(shardsDir);
  } catch {
    return;
  }
  for (const entry of entries) {
    const name = entry.replace(/\.(f32|records\.json)$/, '');
    if (entry.startsWith(TEMP_PREFIX) || !keptShards.has(name)) await fs.rm(path.join(shardsDir, entry), { recursive: true, force: true });
  }
}
