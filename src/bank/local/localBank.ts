/**
 * The question bank: questions with unit embeddings and per-model correctness labels, stored in a folder
 * as vectra shards plus a compact snapshot (see README.md). One writer at a time; readers need no lock.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { at } from '../../core/util/arrays';
import { errorMessage } from '../../core/contracts/errors';
import type { SupportRequest, SupportSet } from '../../core/contracts/priorSource';
import { scanSupport } from '../../core/routing/rps';
import type { BankRecord, RecordedTokens } from '../../core/contracts/types';
import { isCode, sha256, TEMP_PREFIX, writeFileAtomic } from '../atomicFiles';
import { allocateVectors, collectGarbage, loadGeneration, type BankState } from './bankState';
import { BankCorruptError, BankError, bankIsAFile, EmbedderMismatchError, listWithMore } from '../errors';
import { growRows, filterRows, filterTokenRows, growTokenRows, serializeLabels, setTokensAt, tokensAt, TOKEN_STRIDE, UNLABELLED, type LabelColumns, type TokenColumns } from './labels';
import { FORMAT, FORMAT_VERSION, MANIFEST_FILE, parseManifest, PREVIOUS_MANIFEST_FILE, serializeManifest, type FileRef, type Manifest, type ShardRef } from './manifest';
import { cosineAll, topIndices } from './retrieval';
import { SHARD_CAPACITY, SHARDS_DIR, shardName, writeShard } from './shards';
import { describeLost, discardSetAside, inspectLost, RECOVERY_DIR, listSetAside, restoreSetAside, setAside, type RestoreReport } from './recovery';
import type { LostGeneration, RecoveryReport } from '../recoveryReport';
import { toStoredRecord, type StoredRecord } from '../storedRecord';
import { checkNewQuestion, describeId, labelUpdatesOf } from '../newQuestionChecks';
import type { Bank, BankChange, FailureMap, FailureUpdate, LabelUpdate, ModelCoverage, NewQuestion, OpenBankOptions, RecordOptions } from '../bank';
import type { EmbedderIdentity } from '../embedderIdentity';
import { applyFailureUpdate, readFailures, writeFailures } from './profileFailures';
import type { BankStats } from '../stats';
import { bankStats } from './localStats';
import { acquireWriterLock, type WriterLock } from './writerLock';
import { clearCreation, isCreationEntry, markCreation, removeInterruptedCreation } from './interruptedCreation';
import { own, setOwn } from '../../core/util/ownKeys';

export type { BankChange, LabelUpdate, ModelCoverage, NewQuestion, OpenBankOptions, RecordOptions } from '../bank';

export interface Neighbour {
  id: string;
  /** Position in bank order. */
  index: number;
  similarity: number;
}

const labelsFile = (generation: number) => `labels.g${generation}.json`;

async function readText(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if (isCode(err, 'ENOENT')) return undefined;
    throw err;
  }
}

function sameEmbedder(a: EmbedderIdentity, b: EmbedderIdentity): boolean {
  return a.id === b.id && a.dimension === b.dimension;
}

function checkIdentity(identity: EmbedderIdentity): void {
  if (typeof identity.id !== 'string' || identity.id.trim() === '') throw new BankError('embedder.id must be a non-empty string');
  if (!Number.isInteger(identity.dimension) || identity.dimension < 1) {
    throw new BankError(`embedder.dimension must be a positive whole number, got ${identity.dimension}`);
  }
}

/** The local store: a bank in a folder (vectra shards plus a snapshot), held in memory while open. */
export class LocalBank implements Bank {
  readonly store = 'local' as const;
  private state: BankState;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    /** Absolute path of the bank folder. */
    readonly dir: string,
    private readonly lock: WriterLock | undefined,
    state: BankState,
    /** Set when the open found damage and recovered from it, or set-aside data from an earlier loss exists. */
    readonly recovery: RecoveryReport | undefined,
    /**
     * What this handle's open created (a bank in a folder that held none), so a failed first import can take it back,
     * and what an earlier creation that was stopped had left there (removed by this open).
     */
    private readonly created?: { folder: string | undefined; removed: string | undefined },
  ) {
    this.state = state;
  }

  /**
   * Opens (or with `create`, creates) the bank in `dir`. Refuses a bank built by another embedder
   * (EmbedderMismatchError), a bank locked by another writer (BankLockedError), and damage that no
   * copy can repair (BankCorruptError). Recovery from damage is reported in `recovery`.
   */
  static async open(dir: string, options: OpenBankOptions): Promise<LocalBank> {
    checkIdentity(options.embedder);
    const abs = path.resolve(dir);
    const write = options.write ?? false;
    if (options.create && !write) throw new BankError(`creating the bank at ${abs} needs write access (write: true)`);
    const info = await fs.stat(abs).catch(() => undefined);
    if (info && !info.isDirectory()) throw new BankError(bankIsAFile(abs));
    let createdFolder: string | undefined;
    if (write && options.create) {
      try {
        createdFolder = await fs.mkdir(abs, { recursive: true });
      } catch (err) {
        if (isCode(err, 'EEXIST', 'ENOTDIR')) throw new BankError(`cannot create the bank folder ${abs}: a file stands in its path`);
        throw err;
      }
    } else if (write && !info) throw new BankError(`no question bank at ${abs}`);
    const lock = write ? await acquireWriterLock(abs) : undefined;
    try {
      const removed = info ? await removeInterruptedCreation(abs, lock) : undefined;
      if (removed !== undefined && !options.create) throw new BankError(`no question bank at ${abs}: ${removed.message}`);
      return await LocalBank.load(abs, options, lock, createdFolder ?? removed?.folder, removed?.message);
    } catch (err) {
      await lock?.release();
      if (createdFolder !== undefined) await fs.rm(createdFolder, { recursive: true, force: true });
      throw err;
    }
  }

  private static async load(dir: string, options: OpenBankOptions, lock: WriterLock | undefined, createdFolder: string | undefined, removed: string | undefined): Promise<LocalBank> {
    const writable = lock !== undefined;
    for (let attempt = 0; ; attempt++) {
      const currentText = await readText(path.join(dir, MANIFEST_FILE));
      const previousText = await readText(path.join(dir, PREVIOUS_MANIFEST_FILE));
      if (currentText === undefined && previousText === undefined) {
        const data = await bankDataFiles(dir);
        if (data.length > 0) {
          // Starting an empty bank here would let the next write collect these files as garbage.
          throw new BankCorruptError(dir, [
            `manifest.json and manifest.prev.json are missing, but the folder holds the bank's data (${listWithMore(data, 3)}); nothing was changed: ` +
              'restore the manifests from a backup, or move the folder away to start a new bank',
          ]);
        }
        if (!options.create) throw new BankError(`no question bank at ${dir} (create one first, e.g. by importing questions)`);
        return LocalBank.createEmpty(dir, options.embedder, lock as WriterLock, createdFolder, removed);
      }
      const problems: string[] = [];
      const candidates: { text: string | undefined; file: string }[] = [
        { text: currentText, file: MANIFEST_FILE },
        { text: previousText, file: PREVIOUS_MANIFEST_FILE },
      ];
      for (const [i, candidate] of candidates.entries()) {
        if (candidate.text === undefined) {
          problems.push(`${candidate.file} is missing`);
          continue;
        }
        let manifest: Manifest;
        try {
          manifest = parseManifest(candidate.text);
        } catch (err) {
          problems.push(`${candidate.file}: ${errorMessage(err)}`);
          continue;
        }
        if (!sameEmbedder(manifest.embedder, options.embedder)) throw new EmbedderMismatchError(dir, manifest.embedder, options.embedder);
        try {
          const loaded = await loadGeneration(dir, manifest, writable);
          const usedPrevious = i > 0;
          let pending = usedPrevious ? await inspectLost(dir, loaded.state, currentText, problems.join('; ')) : undefined;
          problems.push(...loaded.problems);
          if (writable) {
            if (pending) {
              await setAside(dir, pending, currentText);
              pending = undefined;
            }
            if (usedPrevious || loaded.repaired) await writeFileAtomic(path.join(dir, MANIFEST_FILE), serializeManifest(loaded.state.manifest));
            await collectGarbage(dir, [loaded.state.manifest, ...(usedPrevious ? [] : LocalBank.parseOrNone(previousText))]);
          }
          const lost = [...(await listSetAside(dir)), ...(pending ? [pending] : [])].map((l) => ({ ...l, description: describeLost(l, dir) }));
          // a set-aside generation is a problem of every open until resolved (the reason of one still in place is listed already)
          for (const l of lost) if (l.folder !== undefined) problems.push(l.description);
          const recovery: RecoveryReport | undefined =
            usedPrevious || loaded.problems.length > 0 || lost.length > 0 ? { problems, usedPreviousGeneration: usedPrevious, repaired: writable, lost } : undefined;
          return new LocalBank(dir, lock, loaded.state, recovery);
        } catch (err) {
          if (err instanceof BankError) throw err;
          problems.push(errorMessage(err));
        }
      }
      const changedMeanwhile = !writable && (await readText(path.join(dir, MANIFEST_FILE))) !== currentText;
      if (!changedMeanwhile || attempt >= 3) throw new BankCorruptError(dir, problems);
    }
  }

  private static parseOrNone(text: string | undefined): Manifest[] {
    if (text === undefined) return [];
    try {
      return [parseManifest(text)];
    } catch {
      return [];
    }
  }

  private static async createEmpty(dir: string, embedder: EmbedderIdentity, lock: WriterLock, createdFolder: string | undefined, removed: string | undefined): Promise<LocalBank> {
    // Before the first manifest: a process stopped from here to its first commit leaves a creation the next open removes.
    await markCreation(dir, createdFolder);
    const labelsText = serializeLabels(new Map(), []);
    await writeFileAtomic(path.join(dir, labelsFile(0)), labelsText);
    const manifest: Manifest = {
      format: FORMAT,
      version: FORMAT_VERSION,
      generation: 0,
      embedder: { id: embedder.id, dimension: embedder.dimension },
      size: 0,
      shards: [],
      labels: { file: labelsFile(0), bytes: Buffer.byteLength(labelsText), sha256: sha256(labelsText) },
      committedAt: new Date().toISOString(),
    };
    await writeFileAtomic(path.join(dir, MANIFEST_FILE), serializeManifest(manifest));
    const state: BankState = { manifest, size: 0, vectors: allocateVectors(0, embedder.dimension), records: [], idIndex: new Map(), labels: new Map(), tokens: new Map() };
    return new LocalBank(dir, lock, state, undefined, { folder: createdFolder, removed });
  }

  /** Number of questions. */
  get size(): number {
    return this.state.size;
  }

  /** The bank folder (the `Bank` interface's name for it). */
  get location(): string {
    return this.dir;
  }

  async count(): Promise<number> {
    return this.state.size;
  }

  /** RPS's support set: a full scan of the similarities, then `supportSet` of core/routing/rps, exactly. */
  async supportSet(query: Float32Array, request: SupportRequest): Promise<SupportSet> {
    const state = this.state;
    const similarities = cosineAll(state.vectors, state.size, state.manifest.embedder.dimension, query);
    const { indices, support } = scanSupport(similarities, this.labelMatrix(request.models), request, (i) => at(state.records, i).id);
    // Beside each model's labels, the tokens of the replies they came from (models whose replies have none recorded: no column).
    const columns = new Map(support.columns);
    for (const [model, c] of columns) {
      const column = state.tokens.get(model);
      if (!column) continue;
      const part = (offset: number) => Float32Array.from(indices, (i) => column[i * TOKEN_STRIDE + offset] ?? Number.NaN);
      columns.set(model, { ...c, tokens: { prompt: part(0), completion: part(1), estimated: part(2) } });
    }
    return { ...support, columns };
  }

  async lookup(ids: readonly string[], options: RecordOptions = {}): Promise<Map<string, BankRecord>> {
    const found = new Map<string, BankRecord>();
    for (const id of ids) {
      const record = this.get(id, options);
      if (record) found.set(id, record);
    }
    return found;
  }

  async findByText(texts: readonly string[], options: RecordOptions = {}): Promise<Map<string, BankRecord>> {
    const wanted = new Set(texts);
    const found = new Map<string, BankRecord>();
    const state = this.state;
    if (wanted.size === 0) return found;
    for (let i = 0; i < state.size; i++) {
      const text = at(state.records, i).question;
      if (wanted.has(text) && !found.has(text)) found.set(text, this.recordFrom(state, i, options));
    }
    return found;
  }

  async *scan(options: RecordOptions = {}): AsyncIterable<BankRecord> {
    yield* this.records(options);
  }

  async coverage(): Promise<ModelCoverage[]> {
    return this.modelCoverage();
  }

  async statistics(): Promise<BankStats> {
    return bankStats(this);
  }

  profileFailures(): Promise<FailureMap> {
    return readFailures(this.dir);
  }

  /** Rewrites `profile-failures.json` (the writer's own file, beside the generations), after the writes queued before. */
  updateProfileFailures(update: FailureUpdate): Promise<void> {
    this.assertWritable('record profiling failures');
    const run = this.queue.then(async () => {
      const failures = await readFailures(this.dir);
      if (applyFailureUpdate(failures, update)) await writeFailures(this.dir, failures);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The embedder that built the bank. */
  get embedder(): EmbedderIdentity {
    return { ...this.state.manifest.embedder };
  }

  /** What an earlier creation of this bank that was stopped (kill -9, a crash) had left, removed by this open; said to the user. */
  get removedLeftovers(): string | undefined {
    return this.created?.removed;
  }

  /** True when this handle holds the writer lock. */
  get writable(): boolean {
    return this.lock !== undefined;
  }

  /** Cosine similarity of `query` to every question, in bank order (the RPS input). Full scan. */
  similarities(query: Float32Array): Float32Array {
    const { vectors, size, manifest } = this.state;
    return cosineAll(vectors, size, manifest.embedder.dimension, query);
  }

  /** The `topN` most similar questions, best first (ties keep bank order). */
  nearest(query: Float32Array, topN: number): Neighbour[] {
    const sims = this.similarities(query);
    return topIndices(sims, topN).map((index) => ({ id: at(this.state.records, index).id, index, similarity: at(sims, index) }));
  }

  /** Position of a question in bank order, or -1. */
  indexOf(id: string): number {
    return this.state.idIndex.get(id) ?? -1;
  }

  /** The stored unit embedding of the question at position `index` (a copy). */
  embeddingAt(index: number): Float32Array {
    this.checkIndex(index);
    const d = this.state.manifest.embedder.dimension;
    return this.state.vectors.slice(index * d, (index + 1) * d);
  }

  /** The question at position `index` with its labels (and embedding when asked). */
  recordAt(index: number, options: RecordOptions = {}): BankRecord {
    this.checkIndex(index);
    return this.recordFrom(this.state, index, options);
  }

  private recordFrom(state: BankState, index: number, options: RecordOptions): BankRecord {
    const record: BankRecord = { ...at(state.records, index) };
    const correct: Record<string, 0 | 1> = {};
    const tokens: NonNullable<BankRecord['tokens']> = {};
    let any = false;
    for (const [model, col] of state.labels) {
      const v = col[index];
      if (v !== UNLABELLED) {
        setOwn(correct, model, v as 0 | 1);
        any = true;
        const t = tokensAt(state.tokens.get(model), index);
        if (t) setOwn(tokens, model, t);
      }
    }
    if (any) record.correct = correct;
    if (Object.keys(tokens).length > 0) record.tokens = tokens;
    if (options.embedding) {
      const d = state.manifest.embedder.dimension;
      record.embedding = Array.from(state.vectors.subarray(index * d, (index + 1) * d));
    }
    return record;
  }

  /** The question with this id, or undefined. */
  get(id: string, options: RecordOptions = {}): BankRecord | undefined {
    const index = this.state.idIndex.get(id);
    return index === undefined ? undefined : this.recordAt(index, options);
  }

  /** Every question in bank order, as of the call (a commit meanwhile does not change what is listed). */
  *records(options: RecordOptions = {}): IterableIterator<BankRecord> {
    const state = this.state;
    for (let i = 0; i < state.size; i++) yield this.recordFrom(state, i, options);
  }

  /** Model keys with at least one label, in order of first appearance. */
  models(): string[] {
    return [...this.state.labels.keys()].filter((m) => (this.state.labels.get(m) as Int8Array).some((v) => v !== UNLABELLED));
  }

  /** Per model, one entry per question in bank order: 1 correct, 0 wrong, -1 unlabelled. Unknown models are all -1. */
  labelMatrix(models: readonly string[]): Map<string, Int8Array> {
    const out = new Map<string, Int8Array>();
    for (const model of models) {
      const col = this.state.labels.get(model);
      out.set(model, col ? col.slice(0, this.state.size) : new Int8Array(this.state.size).fill(UNLABELLED));
    }
    return out;
  }

  /** Label coverage of every labelled model. */
  modelCoverage(): ModelCoverage[] {
    return this.models().map((model) => {
      const col = this.state.labels.get(model) as Int8Array;
      let labelled = 0;
      let correct = 0;
      for (let i = 0; i < this.state.size; i++) {
        if (col[i] !== UNLABELLED) labelled++;
        if (col[i] === 1) correct++;
      }
      return { model, labelled, correct };
    });
  }

  /** Adds questions in one atomic write. Ids must be new; `correct` labels are stored too. */
  add(questions: readonly NewQuestion[]): Promise<void> {
    return this.commit({ add: questions });
  }

  /** Sets labels in one atomic write (a later entry for the same id and model wins). */
  setLabels(labels: readonly LabelUpdate[]): Promise<void> {
    return this.commit({ labels });
  }

  /** Removes questions (and their labels) in one atomic write. Every id must exist. */
  remove(ids: readonly string[]): Promise<void> {
    return this.commit({ remove: ids });
  }

  /**
   * Applies a change atomically: it is validated fully, new files are written beside the old ones,
   * and one manifest rename makes it current. Concurrent calls on this handle run one after another.
   */
  commit(change: BankChange): Promise<void> {
    if (this.closed) return Promise.reject(new BankError(`bank at ${this.dir} is closed`));
    const run = this.queue.then(() => this.applyChange(change));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Throws a BankError unless this handle can change the bank: it is open, holds the writer lock and has
   * not lost it. `purpose` ends the read-only message: "open it with write: true to <purpose>".
   */
  assertWritable(purpose: string): void {
    if (this.closed) throw new BankError(`bank at ${this.dir} is closed`);
    this.assertLockHeld(purpose);
  }

  /** The lock part of `assertWritable`: queued commits still run while `close` drains them. */
  private assertLockHeld(purpose: string): void {
    if (!this.lock) throw new BankError(`bank at ${this.dir} was opened read-only; open it with write: true to ${purpose}`);
    if (this.lock.compromised) throw new BankError(`bank at ${this.dir} lost its writer lock (${this.lock.compromised.message}); reopen it`);
  }

  /** Waits for pending writes, then releases the writer lock. The handle cannot be used afterwards. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    // A creation closed before any commit leaves an empty bank, as asked: no longer one that was stopped.
    if (this.created && this.state.manifest.generation === 0) await clearCreation(this.dir);
    await this.lock?.release();
  }

  /**
   * Closes the handle, and when its open created the bank and nothing was committed since, removes every
   * trace of it: the folder when the open made it, else the bank's own files (manifests, labels, shards,
   * lock), so a refused, failed or cancelled first import leaves the folder as it was. Otherwise just closes.
   */
  async discardIfNew(): Promise<void> {
    await this.close();
    if (!this.created || this.state.manifest.generation !== 0) return;
    if (this.created.folder !== undefined) {
      await fs.rm(this.created.folder, { recursive: true, force: true });
      return;
    }
    for (const entry of await fs.readdir(this.dir)) if (isCreationEntry(entry)) await fs.rm(path.join(this.dir, entry), { recursive: true, force: true });
  }

  /**
   * Puts back what the set-aside generations (see `recovery.lost`) hold that can still be read, one commit per
   * generation; a generation restored whole is deleted from `recovery/`, the rest stays there, marked. Needs the writer lock.
   */
  async restoreSetAside(): Promise<RestoreReport[]> {
    this.assertWritable('restore set-aside data');
    return restoreSetAside(this);
  }

  /** Deletes every set-aside generation and returns what was deleted. Needs the writer lock. */
  async discardSetAside(): Promise<LostGeneration[]> {
    this.assertWritable('discard set-aside data');
    return discardSetAside(this.dir);
  }

  private checkIndex(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.state.size) {
      throw new RangeError(`question index ${index} is outside the bank (size ${this.state.size})`);
    }
  }

  private async applyChange(change: BankChange): Promise<void> {
    this.assertLockHeld('change it');
    const old = this.state;
    const dimension = old.manifest.embedder.dimension;
    const plan = planChange(old, change.addOrMerge ? mergeKnownAdditions(old, change) : change, dimension);
    if (!plan) return;
    const generation = old.manifest.generation + 1;
    // Files this commit made, removed again if it fails before the manifest names them (a full disk keeps no debris).
    const created: string[] = [];
    let manifest: Manifest;
    try {
      manifest = await this.writeGeneration(plan, generation, created);
      this.assertLockHeld('change it');
      await this.lock?.verify();
      await writeFileAtomic(path.join(this.dir, PREVIOUS_MANIFEST_FILE), serializeManifest(old.manifest));
      await writeFileAtomic(path.join(this.dir, MANIFEST_FILE), serializeManifest(manifest));
    } catch (err) {
      await Promise.all(created.map((file) => fs.rm(file, { recursive: true, force: true })));
      if (isCode(err, 'EEXIST', 'ENOTEMPTY')) {
        throw new BankError(
          `bank at ${this.dir}: another writer committed generation ${generation} while this one was paused (it took over the writer lock); ` +
            'this change was not written, and the other is kept: reopen the bank and try again',
        );
      }
      if (isCode(err, 'ENOSPC', 'EDQUOT')) throw new BankError(`bank at ${this.dir}: the disk is full; this change was not written and the bank is as it was`);
      throw err;
    }
    this.state = { manifest, size: manifest.size, vectors: plan.vectors, records: plan.records, idIndex: plan.idIndex, labels: plan.labels, tokens: plan.tokens };
    if (this.created && old.manifest.generation === 0) await clearCreation(this.dir);
    await collectGarbage(this.dir, [manifest, old.manifest]);
  }

  /** Writes the new shards and labels of `generation` (never over a file already there); returns its manifest. */
  private async writeGeneration(plan: ChangePlan, generation: number, created: string[]): Promise<Manifest> {
    const old = this.state;
    const dimension = old.manifest.embedder.dimension;
    const shards: ShardRef[] = [];
    let start = 0;
    for (const [i, slice] of plan.shardSlices.entries()) {
      const reuse = slice.reuse;
      if (reuse) {
        shards.push(reuse);
      } else {
        const data = {
          records: plan.records.slice(slice.start, slice.end),
          vectors: plan.vectors.subarray(slice.start * dimension, slice.end * dimension),
        };
        shards.push(await writeShard(this.dir, shardName(i, generation), data, dimension, created));
      }
      start += slice.end - slice.start;
    }
    const labelsText = serializeLabels(plan.labels, plan.records.map((r) => r.id), plan.tokens);
    const labels: FileRef = { file: labelsFile(generation), bytes: Buffer.byteLength(labelsText), sha256: sha256(labelsText) };
    await writeFileAtomic(path.join(this.dir, labels.file), labelsText, { exclusive: true });
    created.push(path.join(this.dir, labels.file));
    return { ...old.manifest, generation, size: start, shards, labels, committedAt: new Date().toISOString() };
  }
}

/**
 * True when `dir` holds a bank: a manifest, its last good copy, or bank data without them (a damaged bank), or when
 * `dir` is a file (a mistake). Opening it then says which; only an empty or missing folder holds none, which invites
 * a fresh import.
 */
export async function hasBank(dir: string): Promise<boolean> {
  const info = await fs.stat(dir).catch(() => undefined);
  if (info === undefined) return false;
  if (!info.isDirectory()) return true;
  const manifests = await Promise.all([MANIFEST_FILE, PREVIOUS_MANIFEST_FILE].map((f) => fs.access(path.join(dir, f)).then(() => true, () => false)));
  return manifests.includes(true) || (await bankDataFiles(dir)).length > 0;
}

/** The bank data files in `dir` besides the manifests (labels, shards, set-aside generations): their names, sorted. */
async function bankDataFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir).catch(() => [] as string[]);
  const shards = await fs.readdir(path.join(dir, SHARDS_DIR)).catch(() => [] as string[]);
  const recovery = await fs.readdir(path.join(dir, RECOVERY_DIR)).catch(() => [] as string[]);
  return [
    ...entries.filter((e) => /^labels\.g\d+\.json$/.test(e)),
    ...shards.filter((e) => !e.startsWith(TEMP_PREFIX)).map((e) => `${SHARDS_DIR}/${e}`),
    ...recovery.filter((e) => !e.startsWith(TEMP_PREFIX)).map((e) => `${RECOVERY_DIR}/${e}`),
  ].sort();
}

interface ShardSlice {
  start: number;
  end: number;
  /** The unchanged shard to keep, when its rows did not change. */
  reuse?: ShardRef;
}

interface ChangePlan {
  records: StoredRecord[];
  vectors: Float32Array;
  idIndex: Map<string, number>;
  labels: LabelColumns;
  tokens: TokenColumns;
  shardSlices: ShardSlice[];
}

function validationError(what: string, problems: string[]): BankError {
  return new BankError(`${what} refused, nothing was written: ${listWithMore(problems, 5)}`);
}

/** `addOrMerge`: the additions the bank holds already (and the change does not remove) become label updates, with their replies' tokens. */
function mergeKnownAdditions(old: BankState, change: BankChange): BankChange {
  const removed = new Set(change.remove ?? []);
  const known = (q: NewQuestion) => old.idIndex.has(q.id) && !removed.has(q.id);
  const add = change.add ?? [];
  const merged = add.filter(known).flatMap(labelUpdatesOf);
  return { ...change, add: add.filter((q) => !known(q)), labels: [...merged, ...(change.labels ?? [])] };
}

/** Validates a change against the current state and computes the next state; undefined when it changes nothing. */
function planChange(old: BankState, change: BankChange, dimension: number): ChangePlan | undefined {
  const removeIds = [...new Set(change.remove ?? [])];
  const additions = change.add ?? [];
  const labelUpdates = change.labels ?? [];
  if (removeIds.length + additions.length + labelUpdates.length === 0) return undefined;

  const problems: string[] = [];
  const keep = markRemovals(old, removeIds, problems);
  const removed = new Set(removeIds);
  const { added, addedVectors } = checkAdditions(old, additions, removed, dimension, problems);
  checkLabelUpdates(old, labelUpdates, removed, added, problems);
  if (problems.length > 0) throw validationError('bank change', problems);

  const keptCount = old.size - removeIds.length;
  const newSize = keptCount + additions.length;
  const { vectors, records, labels, tokens } = keptRows(old, keep, removeIds.length > 0, keptCount, newSize, dimension);
  additions.forEach((q, k) => {
    vectors.set(at(addedVectors, k), (keptCount + k) * dimension);
    records.push(toStoredRecord({ ...q, embedding: undefined }));
  });
  const idIndex = new Map(records.map((r, i) => [r.id, i]));
  applyLabels(old, { labels, tokens }, idIndex, newSize, additions, labelUpdates);

  return { records, vectors, idIndex, labels, tokens, shardSlices: sliceShards(old, keep, removeIds.length > 0, keptCount, newSize) };
}

/** Which old rows stay (1) or go (0); ids not in the bank are reported in `problems`. */
function markRemovals(old: BankState, removeIds: readonly string[], problems: string[]): Uint8Array {
  const keep = new Uint8Array(old.size).fill(1);
  for (const id of removeIds) {
    const i = old.idIndex.get(id);
    if (i === undefined) problems.push(`remove: no question with id ${describeId(id)}`);
    else keep[i] = 0;
  }
  return keep;
}

/** Checks the questions to add, reporting in `problems`; returns their ids (→ position in `add`) and unit vectors. */
function checkAdditions(old: BankState, additions: readonly NewQuestion[], removed: ReadonlySet<string>, dimension: number, problems: string[]) {
  const added = new Map<string, number>();
  const addedVectors: Float32Array[] = [];
  additions.forEach((q, k) => {
    const at = `add[${k}]`;
    if (typeof q.id !== 'string' || q.id === '') problems.push(`${at}.id must be a non-empty string`);
    else if (added.has(q.id)) problems.push(`${at}.id ${describeId(q.id)} repeats add[${added.get(q.id)}]`);
    else if (old.idIndex.has(q.id) && !removed.has(q.id)) problems.push(`${at}.id ${describeId(q.id)} is already in the bank`);
    else added.set(q.id, k);
    const vector = checkNewQuestion(q, at, dimension, problems);
    if (vector) addedVectors.push(vector);
  });
  return { added, addedVectors };
}

/** Checks the label updates (their question must remain or be added), reporting in `problems`. */
function checkLabelUpdates(old: BankState, labelUpdates: readonly LabelUpdate[], removed: ReadonlySet<string>, added: ReadonlyMap<string, number>, problems: string[]): void {
  labelUpdates.forEach((l, k) => {
    const at = `labels[${k}]`;
    const known = (old.idIndex.has(l.id) && !removed.has(l.id)) || added.has(l.id);
    if (!known) problems.push(`${at}.id: no question with id ${describeId(l.id)}`);
    if (typeof l.model !== 'string' || l.model === '') problems.push(`${at}.model must be a non-empty string`);
    if (l.correct !== 0 && l.correct !== 1) problems.push(`${at}.correct must be 0 or 1, got ${JSON.stringify(l.correct)}`);
  });
}

/** The next state's rows before additions, sized for `newSize`: copied out when rows are removed, else sharing the old ones. */
function keptRows(old: BankState, keep: Uint8Array, anyRemoved: boolean, keptCount: number, newSize: number, dimension: number) {
  let vectors: Float32Array;
  let records: StoredRecord[];
  let labels: LabelColumns;
  let tokens: TokenColumns;
  if (anyRemoved) {
    vectors = allocateVectors(newSize, dimension);
    records = [];
    for (let i = 0, j = 0; i < old.size; i++) {
      if (!keep[i]) continue;
      vectors.set(old.vectors.subarray(i * dimension, (i + 1) * dimension), j * dimension);
      records.push(at(old.records, i));
      j++;
    }
    labels = growRows(filterRows(old.labels, keep, keptCount), newSize);
    tokens = growTokenRows(filterTokenRows(old.tokens, keep, keptCount), newSize);
  } else {
    vectors = old.vectors.length >= newSize * dimension ? old.vectors : copyInto(allocateVectors(newSize, dimension), old.vectors, old.size * dimension);
    records = old.records.slice();
    labels = newSize > keptCount ? growRows(old.labels, newSize) : new Map(old.labels);
    tokens = newSize > keptCount ? growTokenRows(old.tokens, newSize) : new Map(old.tokens);
  }
  return { vectors, records, labels, tokens };
}

/**
 * Sets the added questions' labels, then the label updates, each with the tokens of the reply it came from (a label
 * set without them has none: the tokens of an earlier reply do not belong to it); an old column is copied before
 * its first change.
 */
function applyLabels(
  old: BankState,
  next: { labels: LabelColumns; tokens: TokenColumns },
  idIndex: ReadonlyMap<string, number>,
  newSize: number,
  additions: readonly NewQuestion[],
  labelUpdates: readonly LabelUpdate[],
): void {
  const { labels, tokens } = next;
  const touched = new Set<string>();
  const touchedTokens = new Set<string>();
  const setLabel = (id: string, model: string, value: 0 | 1, replyTokens: RecordedTokens | undefined) => {
    let col = labels.get(model);
    if (!col) {
      col = new Int8Array(newSize).fill(UNLABELLED);
      labels.set(model, col);
    } else if (!touched.has(model) && col === old.labels.get(model)) {
      col = col.slice();
      labels.set(model, col);
    }
    touched.add(model);
    const row = idIndex.get(id) as number;
    col[row] = value;
    let tokenCol = tokens.get(model);
    if (!tokenCol && !replyTokens) return;
    if (!tokenCol) {
      tokenCol = new Float32Array(newSize * TOKEN_STRIDE).fill(Number.NaN);
      tokens.set(model, tokenCol);
    } else if (!touchedTokens.has(model) && tokenCol === old.tokens.get(model)) {
      tokenCol = tokenCol.slice();
      tokens.set(model, tokenCol);
    }
    touchedTokens.add(model);
    setTokensAt(tokenCol, row, replyTokens);
  };
  for (const q of additions) for (const [model, value] of Object.entries(q.correct ?? {})) setLabel(q.id, model, value, own(q.tokens, model));
  for (const l of labelUpdates) setLabel(l.id, l.model, l.correct, l.tokens);
}

function copyInto(target: Float32Array, source: Float32Array, length: number): Float32Array {
  target.set(source.subarray(0, length));
  return target;
}

/**
 * Shard layout of the next generation: old shards keep their rows (a shard that lost rows is rewritten,
 * an emptied one dropped); added rows fill the last shard up to SHARD_CAPACITY, then new shards.
 */
function sliceShards(old: BankState, keep: Uint8Array, anyRemoved: boolean, keptCount: number, newSize: number): ShardSlice[] {
  const slices: ShardSlice[] = [];
  let oldStart = 0;
  let newStart = 0;
  for (const ref of old.manifest.shards) {
    let kept = ref.count;
    if (anyRemoved) {
      kept = 0;
      for (const k of keep.subarray(oldStart, oldStart + ref.count)) kept += k;
    }
    if (kept > 0) slices.push({ start: newStart, end: newStart + kept, reuse: kept === ref.count ? ref : undefined });
    oldStart += ref.count;
    newStart += kept;
  }
  const last = slices[slices.length - 1];
  let next = keptCount;
  if (last && next < newSize && last.end - last.start < SHARD_CAPACITY) {
    last.end = Math.min(newSize, last.start + SHARD_CAPACITY);
    last.reuse = undefined;
    next = last.end;
  }
  while (next < newSize) {
    const end = Math.min(newSize, next + SHARD_CAPACITY);
    slices.push({ start: next, end });
    next = end;
  }
  return slices;
}
