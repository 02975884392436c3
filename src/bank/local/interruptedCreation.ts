/**
 * A bank being created carries `creating.json` (who creates it, and the folder its open made) from before its first
 * manifest until its first commit or its close. A process killed meanwhile (kill -9, a crash, a power cut) leaves
 * that marker beside a bank with no questions, the writer lock and the shards it was writing. The next open of the
 * folder — any command — sees the marker, takes the writer lock (which only a live creator still holds: a dead one's is
 * taken over at once on this host, after 10 s from another), removes everything the creation left, and says what.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TEMP_PREFIX, writeFileAtomic } from '../atomicFiles';
import { MANIFEST_FILE, parseManifest, PREVIOUS_MANIFEST_FILE } from './manifest';
import { SHARDS_DIR } from './shards';
import { acquireWriterLock, HOLDER_FILE, LOCK_DIR, type WriterLock } from './writerLock';

export const CREATING_FILE = 'creating.json';

interface Creation {
  pid: number;
  host: string;
  since: string;
  /** The folder the creating open made (the bank folder or a parent), removed with the bank. */
  folder?: string;
}

/** What a removal found and removed, and the folder the interrupted creation had made (a new creation takes it over). */
export interface RemovedCreation {
  message: string;
  folder: string | undefined;
}

/** Marks `dir` as a bank being created by this process; `folder` is what its open made, if anything. */
export async function markCreation(dir: string, folder: string | undefined): Promise<void> {
  const creation: Creation = { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), ...(folder !== undefined ? { folder } : {}) };
  await writeFileAtomic(path.join(dir, CREATING_FILE), JSON.stringify(creation));
}

/** The creation is over (its first commit, or a close): the bank is a bank like any other. */
export async function clearCreation(dir: string): Promise<void> {
  await fs.rm(path.join(dir, CREATING_FILE), { force: true });
}

/** True for the entries a bank's creation writes in its folder (and nothing a user may keep there). */
export function isCreationEntry(entry: string): boolean {
  return [MANIFEST_FILE, PREVIOUS_MANIFEST_FILE, LOCK_DIR, HOLDER_FILE, SHARDS_DIR, CREATING_FILE].includes(entry) || /^labels\.g\d+\.json$/.test(entry) || entry.startsWith(TEMP_PREFIX);
}

async function readCreation(dir: string): Promise<Creation | undefined> {
  try {
    const raw = JSON.parse(await fs.readFile(path.join(dir, CREATING_FILE), 'utf8')) as Partial<Creation>;
    return { pid: Number(raw.pid), host: String(raw.host), since: String(raw.since), ...(typeof raw.folder === 'string' ? { folder: raw.folder } : {}) };
  } catch {
    // No marker, or one cut short before the rename that writes it whole: a marker is written atomically, so only
    // a missing one reads as none; an unreadable one still marks a creation.
    return (await fs.access(path.join(dir, CREATING_FILE)).then(() => true, () => false)) ? { pid: 0, host: '?', since: '?' } : undefined;
  }
}

/**
 * True when the bank in `dir` has committed nothing: no manifest, or manifests of generation 0 only. A creation stopped
 * right after its first commit (before it cleared its marker) holds questions and is a bank, not leftovers; so is one
 * whose manifest cannot be read (that is damage, for the bank's own recovery to judge).
 */
async function nothingCommitted(dir: string): Promise<boolean> {
  for (const file of [MANIFEST_FILE, PREVIOUS_MANIFEST_FILE]) {
    let text: string;
    try {
      text = await fs.readFile(path.join(dir, file), 'utf8');
    } catch {
      continue;
    }
    try {
      if (parseManifest(text).generation !== 0) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/** Bytes under `file` (a file, or a folder's files). */
async function sizeOf(file: string): Promise<number> {
  const info = await fs.stat(file).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.size;
  let total = 0;
  for (const entry of await fs.readdir(file)) total += await sizeOf(path.join(file, entry));
  return total;
}

const megabytes = (bytes: number): string => (bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${Math.ceil(bytes / 1024)} KB`);

/** What the interrupted creation left in `dir`, in words: "a bank with no questions, its writer lock, 9 shard files (127 MB)". */
async function leftovers(dir: string): Promise<string> {
  const entries = await fs.readdir(dir);
  const shards = (await fs.readdir(path.join(dir, SHARDS_DIR)).catch(() => [] as string[])).filter((e) => !e.startsWith(TEMP_PREFIX));
  const partial = (await fs.readdir(path.join(dir, SHARDS_DIR)).catch(() => [] as string[])).length - shards.length + entries.filter((e) => e.startsWith(TEMP_PREFIX)).length;
  const parts = [
    ...(entries.includes(MANIFEST_FILE) ? ['a bank with no questions'] : []),
    ...(entries.includes(LOCK_DIR) || entries.includes(HOLDER_FILE) ? ['its writer lock'] : []),
    ...(shards.length > 0 ? [`${shards.length} shard file${shards.length === 1 ? '' : 's'}`] : []),
    ...(partial > 0 ? [`${partial} half-written file${partial === 1 ? '' : 's'}`] : []),
  ];
  const bytes = await sizeOf(path.join(dir, SHARDS_DIR));
  return `${parts.length > 0 ? parts.join(', ') : 'its marker'}${bytes > 0 ? ` (${megabytes(bytes)})` : ''}`;
}

/** Removes `dir` and the folders above it up to `top` (the folder a creation made) while they are empty. */
async function removeEmptyFolders(dir: string, top: string): Promise<void> {
  const relative = path.relative(top, dir);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return;
  for (let folder = dir; ; folder = path.dirname(folder)) {
    if ((await fs.readdir(folder).catch(() => ['?'])).length > 0) return;
    await fs.rmdir(folder).catch(() => undefined);
    if (folder === top) return;
  }
}

/**
 * When `dir` holds a creation whose process is gone, removes everything it left and says what. `held` is the writer
 * lock when the caller holds it (a writer's open): it stays the caller's, and so does the folder, for its own bank.
 * Without it, the lock is taken for the removal and released, and the folders the creation made are removed when
 * empty; a live creator holds the lock, so nothing is touched then.
 */
export async function removeInterruptedCreation(dir: string, held?: WriterLock): Promise<RemovedCreation | undefined> {
  if ((await readCreation(dir)) === undefined) return undefined;
  let lock = held;
  if (lock === undefined) {
    try {
      lock = await acquireWriterLock(dir);
    } catch {
      // Held by the creator, still at work (or a read-only folder): nothing is removed.
      return undefined;
    }
  }
  let removed: RemovedCreation | undefined;
  try {
    const creation = await readCreation(dir);
    if (creation === undefined) return undefined;
    if (!(await nothingCommitted(dir))) {
      await clearCreation(dir);
      return undefined;
    }
    const what = await leftovers(dir);
    // The lock is ours now (taken over from the creator): the caller keeps it, or its release removes it.
    for (const entry of await fs.readdir(dir)) if (isCreationEntry(entry) && entry !== LOCK_DIR && entry !== HOLDER_FILE) await fs.rm(path.join(dir, entry), { recursive: true, force: true });
    const who = creation.pid > 0 ? ` (process ${creation.pid} on ${creation.host}, started ${creation.since})` : '';
    removed = { message: `an import into ${dir} was stopped before it stored any question${who}; what it left was removed: ${what}`, folder: creation.folder };
  } finally {
    if (held === undefined) await lock.release();
  }
  if (held === undefined && removed.folder !== undefined) await removeEmptyFolders(dir, removed.folder);
  return removed;
}
