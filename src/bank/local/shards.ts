/**
 * Reading and writing one shard. A shard is stored twice, each copy able to rebuild the other:
 * a vectra LocalIndex folder (vectors + metadata, usable with vectra directly) and a compact snapshot
 * (a Float32 vector file and a JSON records file) that the bank loads on open.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { LocalIndex as VectraLocalIndex } from 'vectra/lib/LocalIndex.js' with { 'resolution-mode': 'import' };
import { fsyncDir, fsyncFile, sha256, tempSibling, writeFileAtomic } from '../atomicFiles';
import type { FileRef, ShardRef } from './manifest';
import { fromVectraMetadata, toVectraMetadata, type StoredRecord } from '../storedRecord';

/** Folder (inside the bank folder) holding every shard's files. */
export const SHARDS_DIR = 'shards';
/** Most questions per shard: keeps each vectra index.json far below V8's string limit. */
export const SHARD_CAPACITY = 10_000;

/** The content of one shard in memory. */
export interface ShardData {
  records: StoredRecord[];
  /** count × dimension values, shard order. */
  vectors: Float32Array;
}

/** Name of shard number `index` written by commit `generation`. */
export function shardName(index: number, generation: number): string {
  return `s${String(index).padStart(4, '0')}.g${generation}`;
}

function shardPaths(name: string) {
  return {
    vectraDir: path.join(SHARDS_DIR, name),
    vectra: path.join(SHARDS_DIR, name, 'index.json'),
    vectors: path.join(SHARDS_DIR, `${name}.f32`),
    records: path.join(SHARDS_DIR, `${name}.records.json`),
  };
}

function bytesOf(vectors: Float32Array): Uint8Array {
  return new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength);
}

/**
 * vectra's LocalIndex alone, loaded when a shard is first written: the package's index also loads its web fetcher,
 * document index and tokenizer (cheerio, axios, turndown, gpt-tokenizer: ~0.4 CPU-seconds and half the CLI bundle),
 * none of which a bank uses, and opening a bank reads the snapshots without vectra. vectra is pinned (package.json).
 */
let localIndex: Promise<typeof VectraLocalIndex> | undefined;
const loadLocalIndex = (): Promise<typeof VectraLocalIndex> => (localIndex ??= import('vectra/lib/LocalIndex.js').then((m) => m.LocalIndex));

/**
 * Writes the vectra folder of a shard through vectra itself, into a temporary folder renamed into place. `replace`
 * (repairs) removes a folder already there; otherwise the rename fails where one is (a new generation's shard).
 */
async function writeVectraFolder(bankDir: string, name: string, data: ShardData, dimension: number, replace: boolean): Promise<FileRef> {
  const rel = shardPaths(name);
  const finalDir = path.join(bankDir, rel.vectraDir);
  const tempDir = tempSibling(finalDir);
  try {
    const LocalIndex = await loadLocalIndex();
    const index = new LocalIndex(tempDir);
    await index.createIndex({ version: 1 });
    if (data.records.length > 0) {
      await index.batchInsertItems(
        data.records.map((record, i) => ({
          id: record.id,
          metadata: toVectraMetadata(record),
          vector: Array.from(data.vectors.subarray(i * dimension, (i + 1) * dimension)),
        })),
      );
    }
    const indexFile = path.join(tempDir, 'index.json');
    await fsyncFile(indexFile);
    const bytes = await fs.readFile(indexFile);
    if (replace) await fs.rm(finalDir, { recursive: true, force: true });
    await fs.rename(tempDir, finalDir);
    await fsyncDir(path.dirname(finalDir));
    return { file: rel.vectra, bytes: bytes.length, sha256: sha256(bytes) };
  } catch (err) {
    await fs.rm(tempDir, { recursive: true, force: true });
    throw withVectraCode(err);
  }
}

/**
 * vectra rethrows a failed save as `new Error("Error saving index: " + err)`, dropping the system error's code; it is
 * put back (the code is the only part of that text we read) so a full disk is told as one.
 */
export function withVectraCode(err: unknown): unknown {
  const code = err instanceof Error && !('code' in err) ? /^Error saving index: Error: (E[A-Z]+):/.exec(err.message)?.[1] : undefined;
  return code === undefined ? err : Object.assign(err as Error, { code });
}

/** Writes the snapshot copy of a shard; a new shard's (`created` given) never replaces a file, and lists what it made. */
async function writeSnapshot(bankDir: string, name: string, data: ShardData, created?: string[]): Promise<Pick<ShardRef, 'vectors' | 'records'>> {
  const rel = shardPaths(name);
  const vectorBytes = bytesOf(data.vectors);
  const recordsText = JSON.stringify(data.records);
  for (const [file, bytes] of [[rel.vectors, vectorBytes], [rel.records, recordsText]] as const) {
    await writeFileAtomic(path.join(bankDir, file), bytes, { exclusive: created !== undefined });
    created?.push(path.join(bankDir, file));
  }
  return {
    vectors: { file: rel.vectors, bytes: vectorBytes.length, sha256: sha256(vectorBytes) },
    records: { file: rel.records, bytes: Buffer.byteLength(recordsText), sha256: sha256(recordsText) },
  };
}

/**
 * Writes a whole new shard (both copies) and returns its manifest entry. Never replaces a file: where one is already
 * there it fails (EEXIST / ENOTEMPTY), after adding each path it created to `created`.
 */
export async function writeShard(bankDir: string, name: string, data: ShardData, dimension: number, created: string[]): Promise<ShardRef> {
  await fs.mkdir(path.join(bankDir, SHARDS_DIR), { recursive: true });
  const rel = shardPaths(name);
  const vectra = await writeVectraFolder(bankDir, name, data, dimension, false);
  created.push(path.join(bankDir, rel.vectraDir));
  return { name, count: data.records.length, vectra, ...(await writeSnapshot(bankDir, name, data, created)) };
}

/** Problems with a file's size on disk (cheap: one stat); undefined when the size is as recorded. */
export async function sizeProblem(bankDir: string, ref: FileRef): Promise<string | undefined> {
  try {
    const stat = await fs.stat(path.join(bankDir, ref.file));
    return stat.size === ref.bytes ? undefined : `${ref.file} has ${stat.size} bytes, expected ${ref.bytes} (truncated or overwritten)`;
  } catch {
    return `${ref.file} is missing`;
  }
}

/** Reads a file and checks its size and checksum against the manifest; throws naming the file. */
export async function readVerified(bankDir: string, ref: FileRef): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(path.join(bankDir, ref.file));
  } catch {
    throw new Error(`${ref.file} is missing`);
  }
  if (bytes.length !== ref.bytes) throw new Error(`${ref.file} has ${bytes.length} bytes, expected ${ref.bytes} (truncated or overwritten)`);
  if (sha256(bytes) !== ref.sha256) throw new Error(`${ref.file} fails its checksum`);
  return bytes;
}

function parseRecords(bytes: Buffer, ref: ShardRef): StoredRecord[] {
  const records = JSON.parse(bytes.toString('utf8')) as StoredRecord[];
  if (!Array.isArray(records) || records.length !== ref.count) throw new Error(`${ref.records.file} does not hold ${ref.count} records`);
  return records;
}

/**
 * Loads a shard's snapshot, verifying size and checksum, with its vectors read straight into
 * `target` (which must have room for count × dimension values). Throws naming the damaged file.
 */
export async function loadSnapshot(bankDir: string, ref: ShardRef, target: Float32Array): Promise<StoredRecord[]> {
  if (target.byteLength !== ref.vectors.bytes) {
    throw new Error(`${ref.vectors.file} is recorded as ${ref.vectors.bytes} bytes, expected ${target.byteLength} for ${ref.count} vectors`);
  }
  const file = path.join(bankDir, ref.vectors.file);
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch {
    throw new Error(`${ref.vectors.file} is missing`);
  }
  try {
    const stat = await handle.stat();
    if (stat.size !== ref.vectors.bytes) {
      throw new Error(`${ref.vectors.file} has ${stat.size} bytes, expected ${ref.vectors.bytes} (truncated or overwritten)`);
    }
    const view = bytesOf(target);
    let read = 0;
    while (read < view.length) {
      const { bytesRead } = await handle.read(view, read, view.length - read, read);
      if (bytesRead === 0) throw new Error(`${ref.vectors.file} ended early`);
      read += bytesRead;
    }
    if (sha256(view) !== ref.vectors.sha256) throw new Error(`${ref.vectors.file} fails its checksum`);
  } finally {
    await handle.close();
  }
  return parseRecords(await readVerified(bankDir, ref.records), ref);
}

/** One item of a vectra `index.json`. */
interface VectraItem {
  id: string;
  metadata: Record<string, unknown>;
  vector: unknown;
}

/** The items of a vectra `index.json`. */
export function vectraItems(bytes: Buffer): VectraItem[] {
  const data = JSON.parse(bytes.toString('utf8')) as { items?: VectraItem[] };
  return data.items ?? [];
}

/** Copies item i's vector into `target` at i × dimension and returns the items' records; throws naming `file` and an item whose vector has another length. */
export function recordsFromVectraItems(items: readonly VectraItem[], target: Float32Array, dimension: number, file: string): StoredRecord[] {
  return items.map((item, i) => {
    if (!Array.isArray(item.vector) || item.vector.length !== dimension) throw new Error(`${file}: item ${item.id} has a vector of the wrong length`);
    target.set(item.vector, i * dimension);
    return fromVectraMetadata(item.id, item.metadata);
  });
}

/** Loads a shard from its vectra folder (verified against the manifest) into `target`. Throws naming the damaged file. */
export async function loadFromVectra(bankDir: string, ref: ShardRef, target: Float32Array, dimension: number): Promise<StoredRecord[]> {
  const items = vectraItems(await readVerified(bankDir, ref.vectra));
  if (items.length !== ref.count) throw new Error(`${ref.vectra.file} holds ${items.length} items, expected ${ref.count}`);
  return recordsFromVectraItems(items, target, dimension, ref.vectra.file);
}

/** Rewrites a shard's snapshot files from data rebuilt out of its vectra folder; returns the refreshed manifest entry. */
export async function repairSnapshot(bankDir: string, ref: ShardRef, data: ShardData): Promise<ShardRef> {
  return { ...ref, ...(await writeSnapshot(bankDir, ref.name, data)) };
}

/** Rewrites a shard's vectra folder from its snapshot; returns the refreshed manifest entry. */
export async function repairVectra(bankDir: string, ref: ShardRef, data: ShardData, dimension: number): Promise<ShardRef> {
  return { ...ref, vectra: await writeVectraFolder(bankDir, ref.name, data, dimension, true) };
}
