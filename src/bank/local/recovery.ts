/**
 * Data a damaged bank could not load, kept rather than deleted: when the current generation is unreadable and
 * the bank falls back to its last good copy, a writer moves the newer generation's files to
 * `<bank>/recovery/g<G>/` (same relative layout, with the damaged manifest and a `recovery.json` saying what
 * was lost). No later write touches that folder; `restoreSetAside` puts back what can be read, `discardSetAside`
 * deletes it.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isCode, sha256, TEMP_PREFIX, tempSibling, writeFileAtomic } from '../atomicFiles';
import { type Manifest, parseManifest, type ShardRef } from './manifest';
import type { BankChange, LabelUpdate, NewQuestion } from '../bank';
import { loadFromVectra, loadSnapshot, readVerified, recordsFromVectraItems, SHARDS_DIR, vectraItems } from './shards';
import type { LostGeneration, ReportedLoss } from '../recoveryReport';
import type { StoredRecord } from '../storedRecord';

/** Folder (inside the bank folder) holding the set-aside generations. */
export const RECOVERY_DIR = 'recovery';
const INFO_FILE = 'recovery.json';

const plural = (n: number, word: string): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** One sentence naming what was lost (generation, questions), what was loaded instead, why, and where the files are. */
export function describeLost(lost: LostGeneration, dir: string): string {
  const which = lost.generation === null ? 'a newer generation' : `generation ${lost.generation}`;
  const size = lost.questions === null ? 'an unknown number of questions' : plural(lost.questions, 'question');
  const missing = lost.missing === null ? '' : lost.missing > 0 ? `, ${plural(lost.missing, 'question')} of them and its labels` : ', its labels';
  const loaded = lost.loadedGeneration < 0 ? 'its current generation' : `generation ${lost.loadedGeneration} (${plural(lost.loadedQuestions, 'question')})`;
  const where = lost.folder
    ? lost.restoredAt
      ? `what could be restored was restored; not restorable: ${(lost.unrestorable ?? []).join(', ')} (kept in ${path.join(dir, lost.folder)})`
      : `its files are kept in ${path.join(dir, lost.folder)}`
    : 'its files are still in place';
  return `${which} (${size}${missing}) could not be loaded (${lost.reason}); the bank holds ${loaded} instead; ${where}`;
}

/** The generation named by a bank file name (`labels.g5.json`, `s0001.g5.f32`, `s0001.g5` …), or undefined. */
function generationOf(entry: string): number | undefined {
  const m = /^labels\.g(\d+)\.json$/.exec(entry) ?? /^s\d{4}\.g(\d+)(?:\.f32|\.records\.json)?$/.exec(entry);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch (err) {
    if (isCode(err, 'ENOENT', 'ENOTDIR')) return [];
    throw err;
  }
}

/** Bank files (relative paths) of generations newer than `loaded`. */
async function newerFiles(dir: string, loaded: number): Promise<string[]> {
  const newer = (entry: string) => (generationOf(entry) ?? -1) > loaded;
  const top = (await readdirOrEmpty(dir)).filter(newer);
  const shards = (await readdirOrEmpty(path.join(dir, SHARDS_DIR))).filter(newer).map((e) => path.join(SHARDS_DIR, e));
  return [...top, ...shards];
}

/** The manifest text's manifest, when it still parses (damage may lie in its files rather than in itself). */
function manifestOrNone(text: string | undefined): Manifest | undefined {
  if (text === undefined) return undefined;
  try {
    return parseManifest(text);
  } catch {
    return undefined;
  }
}

/** Ids held by a shard's files in `folder`, from its records snapshot or else its vectra index; undefined when neither reads. */
async function shardIds(folder: string, name: string): Promise<string[] | undefined> {
  for (const [file, pick] of [
    [path.join(SHARDS_DIR, `${name}.records.json`), (v: unknown) => v],
    [path.join(SHARDS_DIR, name, 'index.json'), (v: unknown) => (v as { items?: unknown }).items],
  ] as const) {
    try {
      const list = pick(JSON.parse(await fs.readFile(path.join(folder, file), 'utf8')));
      if (Array.isArray(list)) return list.map((r: { id?: unknown }) => String(r.id));
    } catch {
      // the other copy may still read
    }
  }
  return undefined;
}

/** Shard names among relative file paths. */
function shardNames(files: readonly string[]): string[] {
  const names = files.filter((f) => f.startsWith(`${SHARDS_DIR}${path.sep}`)).map((f) => path.basename(f).replace(/\.(f32|records\.json)$/, ''));
  return [...new Set(names)].sort();
}

/**
 * What the bank could not load when it fell back to `loaded`: the newer generation's number and size, read from
 * its (damaged) manifest when that still parses, else from its files. Undefined when nothing newer is on disk
 * and there was no current manifest at all.
 */
export async function inspectLost(
  dir: string,
  loaded: { manifest: Manifest; idIndex: ReadonlyMap<string, number> },
  damagedText: string | undefined,
  reason: string,
): Promise<LostGeneration | undefined> {
  const files = await newerFiles(dir, loaded.manifest.generation);
  if (files.length === 0 && damagedText === undefined) return undefined;
  const damaged = manifestOrNone(damagedText);
  const generations = files.map((f) => generationOf(path.basename(f)) ?? 0);
  const generation = damaged?.generation ?? (generations.length > 0 ? Math.max(...generations) : null);
  let missing: number | null = 0;
  for (const name of shardNames(files)) {
    const ids = await shardIds(dir, name);
    if (ids === undefined) missing = null;
    else if (missing !== null) missing += ids.filter((id) => !loaded.idIndex.has(id)).length;
  }
  const questions = damaged?.size ?? (missing === null ? null : loaded.manifest.size + missing);
  return {
    generation,
    questions,
    missing,
    loadedGeneration: loaded.manifest.generation,
    loadedQuestions: loaded.manifest.size,
    reason,
    date: new Date().toISOString(),
    ...(damagedText !== undefined ? { manifestSha256: sha256(damagedText) } : {}),
  };
}

async function readInfo(folder: string): Promise<LostGeneration | undefined> {
  try {
    return JSON.parse(await fs.readFile(path.join(folder, INFO_FILE), 'utf8')) as LostGeneration;
  } catch {
    return undefined;
  }
}

/** A folder name for the set-aside generation: `g<G>`, reused when it holds the same damage, else `g<G>-2`, `-3` … */
async function folderFor(dir: string, lost: LostGeneration): Promise<string> {
  const base = path.join(RECOVERY_DIR, lost.generation === null ? 'unknown' : `g${lost.generation}`);
  for (let k = 1; ; k++) {
    const candidate = k === 1 ? base : `${base}-${k}`;
    const info = await readInfo(path.join(dir, candidate));
    const exists = (await fs.stat(path.join(dir, candidate)).catch(() => undefined)) !== undefined;
    if (!exists || (info !== undefined && info.manifestSha256 === lost.manifestSha256 && info.generation === lost.generation)) return candidate;
  }
}

/** Removes what an interrupted set-aside left in `recovery/`: temporary folders that never got their description. */
async function removeTemporaries(recoveryDir: string): Promise<void> {
  for (const entry of await readdirOrEmpty(recoveryDir)) {
    if (entry.startsWith(TEMP_PREFIX)) await fs.rm(path.join(recoveryDir, entry), { recursive: true, force: true });
  }
}

/**
 * Moves the newer generation's files and the damaged manifest into `recovery/g<G>/` (the description first,
 * so an interrupted move is finished by the next writer). Only the writer calls this, before it rewrites the manifest.
 */
export async function setAside(dir: string, lost: LostGeneration, damagedText: string | undefined): Promise<LostGeneration> {
  await removeTemporaries(path.join(dir, RECOVERY_DIR));
  const folder = await folderFor(dir, lost);
  const target = path.join(dir, folder);
  const described = await readInfo(target);
  const kept: LostGeneration = { ...(described ?? lost), folder };
  if (described === undefined) {
    // The folder appears with its description or not at all: a kill before the rename leaves only a temporary folder.
    const temp = tempSibling(target);
    await fs.mkdir(path.join(temp, SHARDS_DIR), { recursive: true });
    await writeFileAtomic(path.join(temp, INFO_FILE), JSON.stringify(kept, null, 1));
    await fs.rename(temp, target);
  }
  if (damagedText !== undefined) await writeFileAtomic(path.join(target, 'manifest.json'), damagedText);
  for (const file of await newerFiles(dir, lost.loadedGeneration)) {
    await fs.rm(path.join(target, file), { recursive: true, force: true });
    await fs.rename(path.join(dir, file), path.join(target, file));
  }
  return kept;
}

/** Every set-aside generation of the bank, oldest folder name first. */
export async function listSetAside(dir: string): Promise<LostGeneration[]> {
  const out: LostGeneration[] = [];
  for (const entry of (await readdirOrEmpty(path.join(dir, RECOVERY_DIR))).sort()) {
    if (entry.startsWith(TEMP_PREFIX)) continue;
    const folder = path.join(RECOVERY_DIR, entry);
    const info = await readInfo(path.join(dir, folder));
    out.push(
      info
        ? { ...info, folder }
        : { generation: null, questions: null, missing: null, loadedGeneration: -1, loadedQuestions: 0, reason: `${path.join(folder, INFO_FILE)} is missing or unreadable`, date: '', folder },
    );
  }
  return out;
}

/** The bank as the restore needs it (a LocalBank that holds the writer lock). */
export interface RestoreTarget {
  readonly dir: string;
  readonly embedder: { id: string; dimension: number };
  indexOf(id: string): number;
  commit(change: BankChange): Promise<void>;
}

/** What one restore put back, per set-aside folder. */
export interface RestoreReport {
  folder: string;
  generation: number | null;
  /** Questions added back. */
  questions: number;
  /** Labels set back. */
  labels: number;
  /** Parts that could not be read (kept in the folder). */
  unrestorable: string[];
}

interface Recovered {
  records: Map<string, { record: StoredRecord; vector: Float32Array }>;
  unrestorable: string[];
}

/** Shard entries for the set-aside shards: the damaged manifest's (verified by checksum) when it parses, else read as found. */
async function readShards(folder: string, manifest: Manifest | undefined, dimension: number): Promise<Recovered> {
  const out: Recovered = { records: new Map(), unrestorable: [] };
  const names = shardNames((await readdirOrEmpty(path.join(folder, SHARDS_DIR))).map((e) => path.join(SHARDS_DIR, e)));
  for (const name of names) {
    const ref = manifest?.shards.find((s) => s.name === name);
    const loaded = ref ? await loadRef(folder, ref, dimension) : await loadLoose(folder, name, dimension);
    if (!loaded) {
      out.unrestorable.push(`${SHARDS_DIR}/${name} (no readable copy)`);
      continue;
    }
    loaded.records.forEach((record, i) => {
      if (!out.records.has(record.id)) out.records.set(record.id, { record, vector: loaded.vectors.slice(i * dimension, (i + 1) * dimension) });
    });
  }
  return out;
}

async function loadRef(folder: string, ref: ShardRef, dimension: number): Promise<{ records: StoredRecord[]; vectors: Float32Array } | undefined> {
  const vectors = new Float32Array(ref.count * dimension);
  for (const load of [() => loadSnapshot(folder, ref, vectors), () => loadFromVectra(folder, ref, vectors, dimension)]) {
    try {
      return { records: await load(), vectors };
    } catch {
      // try the other copy
    }
  }
  return undefined;
}

/** A shard read without a manifest: its snapshot when the vector file has exactly count × dimension floats, else its vectra index. */
async function loadLoose(folder: string, name: string, dimension: number): Promise<{ records: StoredRecord[]; vectors: Float32Array } | undefined> {
  try {
    const records = JSON.parse(await fs.readFile(path.join(folder, SHARDS_DIR, `${name}.records.json`), 'utf8')) as StoredRecord[];
    const bytes = await fs.readFile(path.join(folder, SHARDS_DIR, `${name}.f32`));
    if (Array.isArray(records) && records.every((r) => typeof r.id === 'string' && typeof r.question === 'string') && bytes.length === records.length * dimension * 4) {
      const vectors = new Float32Array(records.length * dimension);
      new Uint8Array(vectors.buffer).set(bytes);
      return { records, vectors };
    }
  } catch {
    // fall through to the vectra copy
  }
  try {
    const file = path.join(SHARDS_DIR, name, 'index.json');
    const items = vectraItems(await fs.readFile(path.join(folder, file)));
    const vectors = new Float32Array(items.length * dimension);
    return { records: recordsFromVectraItems(items, vectors, dimension, file), vectors };
  } catch {
    return undefined;
  }
}

/** The labels of the set-aside generation as updates for the questions the bank will hold; undefined when its file does not read. */
async function readLabelUpdates(folder: string, manifest: Manifest | undefined, generation: number | null, known: (id: string) => boolean): Promise<LabelUpdate[] | undefined> {
  try {
    const file = manifest?.labels.file ?? `labels.g${generation ?? ''}.json`;
    const text = manifest ? (await readVerified(folder, manifest.labels)).toString('utf8') : await fs.readFile(path.join(folder, file), 'utf8');
    const data = JSON.parse(text) as { models?: unknown; rows?: unknown };
    if (!Array.isArray(data.models) || typeof data.rows !== 'object' || data.rows === null) return undefined;
    const models = data.models.map(String);
    const updates: LabelUpdate[] = [];
    for (const [id, row] of Object.entries(data.rows as Record<string, unknown>)) {
      if (typeof row !== 'string' || !known(id)) continue;
      models.forEach((model, m) => {
        if (row[m] === '1' || row[m] === '0') updates.push({ id, model, correct: row[m] === '1' ? 1 : 0 });
      });
    }
    return updates;
  } catch {
    return undefined;
  }
}

/**
 * Puts back what the set-aside generations hold, in one commit per folder: their questions the bank lacks
 * (with their stored vectors) and their labels (a set-aside label wins over the bank's for the same question
 * and model). A folder whose every part was read is deleted; otherwise it is kept, marked restored, with the
 * parts that could not be read. Folders already restored are left as they are.
 */
export async function restoreSetAside(bank: RestoreTarget): Promise<RestoreReport[]> {
  const reports: RestoreReport[] = [];
  for (const lost of await listSetAside(bank.dir)) {
    if (lost.restoredAt || lost.folder === undefined) continue;
    const folder = path.join(bank.dir, lost.folder);
    const manifestText = await fs.readFile(path.join(folder, 'manifest.json'), 'utf8').catch(() => undefined);
    const manifest = manifestOrNone(manifestText);
    const { dimension } = bank.embedder;
    const recovered = await readShards(folder, manifest && manifest.embedder.dimension === dimension ? manifest : undefined, dimension);
    const add: NewQuestion[] = [];
    for (const { record, vector } of recovered.records.values()) if (bank.indexOf(record.id) < 0) add.push({ ...record, embedding: vector });
    const adding = new Set(add.map((q) => q.id));
    const labels = await readLabelUpdates(folder, manifest, lost.generation, (id) => adding.has(id) || bank.indexOf(id) >= 0);
    const unrestorable = [...recovered.unrestorable, ...(labels === undefined ? [`labels of generation ${lost.generation ?? '?'} (unreadable)`] : [])];
    await bank.commit({ add, labels: labels ?? [] });
    if (unrestorable.length === 0) {
      await fs.rm(folder, { recursive: true, force: true });
    } else {
      const kept: LostGeneration = { ...lost, restoredAt: new Date().toISOString(), unrestorable };
      await writeFileAtomic(path.join(folder, INFO_FILE), JSON.stringify(kept, null, 1));
    }
    reports.push({ folder: lost.folder, generation: lost.generation, questions: add.length, labels: labels?.length ?? 0, unrestorable });
  }
  await removeIfEmpty(path.join(bank.dir, RECOVERY_DIR));
  return reports;
}

/** Deletes every set-aside generation; returns what was deleted. */
export async function discardSetAside(dir: string): Promise<LostGeneration[]> {
  const lost = await listSetAside(dir);
  for (const l of lost) if (l.folder !== undefined) await fs.rm(path.join(dir, l.folder), { recursive: true, force: true });
  await removeIfEmpty(path.join(dir, RECOVERY_DIR));
  return lost;
}

async function removeIfEmpty(folder: string): Promise<void> {
  try {
    await fs.rmdir(folder);
  } catch (err) {
    if (!isCode(err, 'ENOENT', 'ENOTEMPTY', 'EEXIST')) throw err;
  }
}

/**
 * The one warning line the CLI prints on stderr (every bank command and `smcs profile`) while a bank has lost
 * data that is neither restored nor discarded; undefined when there is none.
 */
export function recoveryWarning(bank: { location: string; recovery: { lost: readonly ReportedLoss[] } | undefined }): string | undefined {
  const lost = bank.recovery?.lost ?? [];
  if (lost.length === 0) return undefined;
  const what = lost.map((l) => l.description).join('; and ');
  // What a recover already restored cannot be restored again: then only discarding resolves it.
  const next = lost.every((l) => l.restoredAt)
    ? 'Run "smcs bank recover --discard" to delete what could not be restored.'
    : 'Run "smcs bank recover" to restore what can be restored, or "smcs bank recover --discard" to delete it.';
  return `warning: bank at ${bank.location}: ${what}. ${next}`;
}
