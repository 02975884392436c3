/**
 * The bank manifest: which embedder built the bank, which files hold the current generation,
 * and the size and SHA-256 of each so damage is detected on open.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { sha256 } from '../atomicFiles';
import { errorMessage } from '../../core/contracts/errors';
import type { EmbedderIdentity } from '../embedderIdentity';
import { BankError, bankIsAFile } from '../errors';

export const MANIFEST_FILE = 'manifest.json';
/** The previous manifest: the last good copy, whose files are kept until the next commit. */
export const PREVIOUS_MANIFEST_FILE = 'manifest.prev.json';
export const FORMAT = 'smcs-bank';
export const FORMAT_VERSION = 1;

export interface FileRef {
  /** Path relative to the bank folder. */
  file: string;
  bytes: number;
  sha256: string;
}

/** One shard: a vectra LocalIndex folder plus its compact snapshot (vectors and record metadata). */
export interface ShardRef {
  name: string;
  count: number;
  /** The vectra folder's index.json. */
  vectra: FileRef;
  /** Little-endian Float32 vectors, count × dimension, shard order. */
  vectors: FileRef;
  /** JSON array of the shard's records (no embeddings, no labels), shard order. */
  records: FileRef;
}

export interface Manifest {
  format: typeof FORMAT;
  version: typeof FORMAT_VERSION;
  /** Increases with every commit; names the files that commit wrote. */
  generation: number;
  embedder: EmbedderIdentity;
  size: number;
  shards: ShardRef[];
  labels: FileRef;
  /** ISO time of the commit. */
  committedAt: string;
}

interface ManifestEnvelope {
  manifest: Manifest;
  sha256: string;
}

/** Serialises a manifest with a checksum of its own content. */
export function serializeManifest(manifest: Manifest): string {
  const body = JSON.stringify(manifest);
  const envelope: ManifestEnvelope = { manifest, sha256: sha256(body) };
  return JSON.stringify(envelope, null, 1);
}

/** Parses and checks a manifest; throws a message naming what is wrong. */
export function parseManifest(text: string): Manifest {
  let envelope: unknown;
  try {
    envelope = JSON.parse(text);
  } catch (err) {
    throw new Error(`not valid JSON (${errorMessage(err)})`);
  }
  if (typeof envelope !== 'object' || envelope === null) throw new Error('not a manifest object');
  const { manifest, sha256: recorded } = envelope as Partial<ManifestEnvelope>;
  if (typeof manifest !== 'object' || manifest === null || typeof recorded !== 'string') throw new Error('missing manifest or checksum');
  if (sha256(JSON.stringify(manifest)) !== recorded) throw new Error('checksum mismatch');
  if (manifest.format !== FORMAT) throw new Error(`not an SMCS bank (format ${JSON.stringify(manifest.format)})`);
  if (manifest.version !== FORMAT_VERSION) throw new Error(`unsupported bank format version ${JSON.stringify(manifest.version)}`);
  return manifest;
}

/** Every file a manifest references, relative to the bank folder. */
export function referencedFiles(manifest: Manifest): string[] {
  const files = [manifest.labels.file];
  for (const shard of manifest.shards) files.push(shard.vectra.file, shard.vectors.file, shard.records.file);
  return files;
}

/**
 * The embedder a bank folder records, read from its manifest (or the last good copy) without opening the bank,
 * so read-only commands need no embedding model. `problems` names each file that could not be read.
 */
export async function readRecordedEmbedder(dir: string): Promise<{ embedder: EmbedderIdentity } | { problems: string[] }> {
  const read = await readRecordedManifest(dir);
  return 'manifest' in read ? { embedder: read.manifest.embedder } : read;
}

/** The number of questions a bank folder records (its manifest, or the last good copy), without opening it; 0 when there is no bank there. */
export async function readRecordedSize(dir: string): Promise<number> {
  const read = await readRecordedManifest(dir);
  return 'manifest' in read ? read.manifest.size : 0;
}

async function readRecordedManifest(dir: string): Promise<{ manifest: Manifest } | { problems: string[] }> {
  if ((await stat(dir).catch(() => undefined))?.isDirectory() === false) throw new BankError(bankIsAFile(path.resolve(dir)));
  const problems: string[] = [];
  for (const file of [MANIFEST_FILE, PREVIOUS_MANIFEST_FILE]) {
    try {
      return { manifest: parseManifest(await readFile(path.join(dir, file), 'utf8')) };
    } catch (err) {
      problems.push(`${file}: ${errorMessage(err)}`);
    }
  }
  return { problems };
}
