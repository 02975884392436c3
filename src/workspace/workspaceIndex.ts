/**
 * A workspace's chunks with their vectors and term counts, kept in a folder on disk and brought up to date
 * incrementally: a file is read, chunked and embedded again only when its size or modification time changed. The
 * folder holds `manifest.json` (files, chunks, the embedder), `vectors-<generation>.bin` (one int8 vector per chunk,
 * scaled per chunk) and `terms-<generation>.bin` (each chunk's term ids, then their counts); a save writes a new
 * generation and then swaps the manifest by rename, so a crash leaves the old index whole. A one-file update is
 * appended to `journal-<generation>.jsonl` (the file's chunks, vectors and terms in one line) instead, and replayed
 * on open — a torn last line is ignored — until a refresh or the 200th update writes the next generation.
 * Files a grammar covers are cut at the definitions tree-sitter finds (src/parse), and each chunk records the names it
 * uses; other files, and files whose grammar did not load, are cut by the line scanner.
 * An index that cannot be read (a truncated or garbled manifest, a vectors or terms file of the wrong size, a journal
 * line that is not an entry) is built again and `takeDamage()` says why; a save that fails (a full disk) removes what
 * it wrote, leaves the last saved generation whole and is tried again by the next refresh, while the index in memory
 * serves the ask.
 */
import { appendFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { chunkFile, type CodeChunk } from '../core/retrieval/chunking';
import { isMachineWritten } from '../core/retrieval/fileKinds';
import { fileFields, identifierTerm, nameTails, type FileFields, type RankableFile } from '../core/retrieval/ranking';
import { namesFileIn } from '../core/retrieval/mentions';
import type { FileNames } from '../core/retrieval/codeGraph';
import { screenText } from '../core/secrets/secretFiles';
import { termCounts, type TermCounts } from '../core/retrieval/terms';
import type { Embedder } from '../core/contracts/types';
import { textOf } from '../core/context/textBytes';
import { errorMessage } from '../core/contracts/errors';
import { SourceParser } from '../parse/sourceParser';
import { walkWorkspace, WorkspaceRules, type SecretFile, type FileSkipReason, type WorkspaceFile } from './walk';
import { GENERATION_FILE, journalFile, MANIFEST, manifestHeader, parseJournalLine, parseIndexManifest, termsFile, vectorsFile, type JournalLine, type IndexManifest, type StoredFile, type StoredLeft } from './indexFiles';

/**
 * 2: terms are stemmed and no longer hold the path (the ranking's path field does). 3: secret values are redacted
 * before chunks are embedded and counted, and more files are secret by name or content. 4: chunks are cut at the
 * definitions a parser finds and record the names they reference. 5: machine-written files (minified bundles under any
 * name) are not indexed, and an `.npmrc` without a token is.
 */
const FORMAT_VERSION = 5;
const MANIFEST_TEMP = `${MANIFEST}.tmp`;
/** One-file updates appended to a generation's journal before the next full save. */
const JOURNAL_LIMIT = 200;
/** Texts per embedder call. */
const EMBED_BATCH = 64;

export interface IndexedChunk {
  path: string;
  startLine: number;
  endLine: number;
  symbols: string[];
  /** The names it uses and does not define (none where the line scanner cut the file). */
  references: string[];
  tokens: number;
}

interface FileEntry {
  size: number;
  mtimeMs: number;
  chunks: IndexedChunk[];
  /** chunks × dimension, each row scaled by `scales[i]` (value ≈ int8 / scale). */
  vectors: Int8Array;
  scales: Float32Array;
  terms: TermCounts[];
  /** The path's and the defined names' terms (computed from the path and the chunks, not stored). */
  fields: FileFields;
}

export interface RefreshStats {
  files: number;
  chunks: number;
  /** Files read and embedded in this refresh. */
  indexed: number;
  removed: number;
  skipped: Partial<Record<FileSkipReason, number>>;
  /** Why the index could not be saved (it serves from memory, and the next refresh saves it again); absent when it was. */
  unsaved?: string;
}

export interface IndexOptions {
  root: string;
  embedder: Embedder;
  exclude?: readonly string[];
  /** Where a grammar that could not be loaded is reported (once); by default a process warning. */
  log?: (level: 'warn', message: string) => void;
  /** The parser of source files; by default one over the shipped grammars. */
  parser?: SourceParser;
}

/** An int8 row for a unit vector, and the scale that maps it back. */
function quantise(vector: Float32Array, into: Int8Array, offset: number): number {
  let max = 0;
  for (const x of vector) max = Math.max(max, Math.abs(x));
  const scale = max === 0 ? 1 : 127 / max;
  vector.forEach((x, i) => (into[offset + i] = Math.round(x * scale)));
  return scale;
}

/**
 * The indexed files by path, and what a question's names are looked up in, each built on its first lookup after a
 * change: the chunks defining each name — each name a chunk defines and every dotted tail of it (`Console.print` under
 * `Console.print` and `print`: core/retrieval/ranking#nameTails, the names its `defines` matches) — and the terms some
 * chunk holds. A pasted issue's decision looks up dozens of names; a scan of every chunk took ~3–4 ms a name in sympy's
 * 18,485.
 */
class FileTable extends Map<string, FileEntry> {
  private definers: Map<string, IndexedChunk[]> | undefined;
  private held: Set<number> | undefined;

  override set(path: string, entry: FileEntry): this {
    this.changed();
    return super.set(path, entry);
  }

  override delete(path: string): boolean {
    this.changed();
    return super.delete(path);
  }

  override clear(): void {
    this.changed();
    super.clear();
  }

  /** Whether some chunk holds the term. */
  holds(term: number): boolean {
    if (this.held === undefined) {
      this.held = new Set();
      for (const entry of this.values()) for (const terms of entry.terms) for (const id of terms.ids) this.held.add(id);
    }
    return this.held.has(term);
  }

  private changed(): void {
    this.definers = undefined;
    this.held = undefined;
  }

  /** The chunks that define `name`, in index order. */
  defining(name: string): readonly IndexedChunk[] {
    this.definers ??= this.byName();
    return this.definers.get(name) ?? [];
  }

  private byName(): Map<string, IndexedChunk[]> {
    const byName = new Map<string, IndexedChunk[]>();
    for (const entry of this.values()) {
      for (const chunk of entry.chunks) {
        const names = new Set(chunk.symbols.flatMap(nameTails));
        for (const name of names) {
          const list = byName.get(name);
          if (list === undefined) byName.set(name, [chunk]);
          else list.push(chunk);
        }
      }
    }
    return byName;
  }
}

export class WorkspaceIndex {
  private readonly files = new FileTable();
  private readonly left = new Map<string, StoredLeft>();
  /** The files the last walk left out by their names as secret. */
  private secretNames: SecretFile[] = [];
  private journalLines = 0;
  private generation = 0;
  /** What was wrong with the index on disk when it was opened, until told (see takeDamage). */
  private damage: string | undefined;
  /** The index in memory differs from what is saved in a way a refresh cannot see (a failed save, a damaged journal). */
  private dirty = false;
  private readonly parser: SourceParser;

  private constructor(
    readonly dir: string,
    private readonly options: IndexOptions,
    private readonly dimension: number,
  ) {
    const log = options.log;
    this.parser = options.parser ?? new SourceParser(log ? { warn: (message) => log('warn', message) } : {});
  }

  /** Opens the index in `dir` (created when missing; started again when it was built by another embedder or is unreadable). */
  static async open(dir: string, options: IndexOptions, signal?: AbortSignal): Promise<WorkspaceIndex> {
    const dimension = await options.embedder.dimension(signal);
    const index = new WorkspaceIndex(dir, options, dimension);
    await mkdir(dir, { recursive: true });
    await index.load();
    return index;
  }

  /**
   * What was wrong with the index on disk when it was opened ("manifest.json: files[2].chunks is not a list"), once:
   * the index was started again and the next refresh builds it. Undefined when it was whole (or absent).
   */
  takeDamage(): string | undefined {
    const damage = this.damage;
    this.damage = undefined;
    return damage;
  }

  private async load(): Promise<void> {
    let text: string;
    try {
      text = await readFile(path.join(this.dir, MANIFEST), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.startAgain(`${MANIFEST} cannot be read: ${errorMessage(err)}`);
      return;
    }
    let header: ReturnType<typeof manifestHeader>;
    try {
      header = manifestHeader(text);
    } catch (err) {
      return this.startAgain(`${MANIFEST} ${errorMessage(err)}`);
    }
    // Built by another format or embedder: started again, which is no damage. The first save writes the generation
    // after this one and removes this one's files.
    this.generation = header.generation;
    if (header.version !== FORMAT_VERSION || header.embedder !== this.options.embedder.id || header.dimension !== this.dimension) return;
    try {
      await this.loadGeneration(parseIndexManifest(text));
    } catch (err) {
      this.startAgain(errorMessage(err));
    }
  }

  /** Forgets what was loaded: the index is built again by the next refresh, after the newest generation on disk. */
  private startAgain(damage: string): void {
    this.files.clear();
    this.left.clear();
    this.damage = damage;
    this.dirty = true;
  }

  private async loadGeneration(manifest: IndexManifest): Promise<void> {
    const read = (file: string) =>
      readFile(path.join(this.dir, file)).catch((err: unknown) => {
        throw new Error(`${file} cannot be read: ${errorMessage(err)}`);
      });
    const bytes = await read(vectorsFile(manifest.generation));
    const termBytes = await read(termsFile(manifest.generation));
    const chunks = manifest.files.reduce((n, f) => n + f.chunks.length, 0);
    if (bytes.byteLength !== chunks * this.dimension) throw new Error(`${vectorsFile(manifest.generation)} holds ${bytes.byteLength} bytes where the manifest's ${chunks} chunks need ${chunks * this.dimension}`);
    const distinct = manifest.files.reduce((n, f) => n + f.chunks.reduce((m, c) => m + c.terms, 0), 0);
    if (termBytes.byteLength !== distinct * 6) throw new Error(`${termsFile(manifest.generation)} holds ${termBytes.byteLength} bytes where the manifest's ${distinct} terms need ${distinct * 6}`);
    const all = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // Copied so the ids are 4-byte aligned whatever the buffer's offset.
    const ids = new Uint32Array(termBytes.buffer.slice(termBytes.byteOffset, termBytes.byteOffset + distinct * 4));
    const counts = new Uint16Array(termBytes.buffer.slice(termBytes.byteOffset + distinct * 4, termBytes.byteOffset + distinct * 6));
    let row = 0;
    let term = 0;
    for (const f of manifest.files) {
      const n = f.chunks.length;
      const chunks = f.chunks.map((c) => ({ path: f.path, startLine: c.startLine, endLine: c.endLine, symbols: c.symbols, references: c.references, tokens: c.tokens }));
      this.files.set(f.path, {
        size: f.size,
        mtimeMs: f.mtimeMs,
        chunks,
        vectors: all.slice(row * this.dimension, (row + n) * this.dimension),
        scales: Float32Array.from(f.chunks.map((c) => c.scale)),
        terms: termsOf(f.chunks, ids, counts, term),
        fields: fileFields(f.path, chunks),
      });
      term += f.chunks.reduce((m, c) => m + c.terms, 0);
      row += n;
    }
    for (const l of manifest.left) this.left.set(l.path, l);
    await this.replayJournal();
  }

  /**
   * Replays this generation's journal. A torn last line (a crash while appending) ends it quietly; a line that is
   * not an entry ends it too and is reported: the files it and later lines held differ from the manifest's record of
   * them, so the next refresh reads them again.
   */
  private async replayJournal(): Promise<void> {
    let text: string;
    try {
      text = await readFile(path.join(this.dir, journalFile(this.generation)), 'utf8');
    } catch {
      return;
    }
    const lines = text.split('\n');
    for (const [i, raw] of lines.entries()) {
      if (raw.trim() === '') continue;
      let line: JournalLine;
      let entry: FileEntry | undefined;
      try {
        line = parseJournalLine(raw);
        entry = line.file ? entryOf(line.file, this.dimension) : undefined;
      } catch (err) {
        const torn = lines.slice(i + 1).every((l) => l.trim() === '');
        if (!torn) {
          this.damage = `${journalFile(this.generation)} line ${i + 1}: ${errorMessage(err)}`;
          this.dirty = true;
        }
        break;
      }
      this.files.delete(line.path);
      this.left.delete(line.path);
      if (line.left) this.left.set(line.path, line.left);
      if (entry) this.files.set(line.path, entry);
      this.journalLines++;
    }
  }

  get fileCount(): number {
    return this.files.size;
  }

  get chunkCount(): number {
    let n = 0;
    for (const f of this.files.values()) n += f.chunks.length;
    return n;
  }

  /** Walks the workspace and indexes what changed since the last refresh; saves when anything did. */
  async refresh(signal?: AbortSignal, onProgress?: (done: number, total: number) => void): Promise<RefreshStats> {
    const walk = await walkWorkspace(this.options.root, { ...(this.options.exclude ? { exclude: this.options.exclude } : {}), ...(signal ? { signal } : {}) });
    const skipped = { ...walk.skipped };
    this.secretNames = walk.secrets;
    const present = new Set(walk.files.map((f) => f.path));
    let removed = 0;
    for (const p of [...this.files.keys()]) if (!present.has(p)) { this.files.delete(p); removed++; }
    for (const p of [...this.left.keys()]) if (!present.has(p)) { this.left.delete(p); removed++; }
    const same = (a: { size: number; mtimeMs: number } | undefined, f: WorkspaceFile) => a !== undefined && a.size === f.size && a.mtimeMs === f.mtimeMs;
    const changed: WorkspaceFile[] = [];
    for (const f of walk.files) {
      const left = this.left.get(f.path);
      if (same(left, f) && left) skipped[left.reason] = (skipped[left.reason] ?? 0) + 1;
      else if (!same(this.files.get(f.path), f)) changed.push(f);
    }
    let done = 0;
    for (let i = 0; i < changed.length; i += EMBED_BATCH * 4) {
      const batch = changed.slice(i, i + EMBED_BATCH * 4);
      for (const reason of await this.indexFiles(batch, signal)) skipped[reason] = (skipped[reason] ?? 0) + 1;
      done += batch.length;
      onProgress?.(done, changed.length);
    }
    let unsaved: string | undefined;
    if (changed.length > 0 || removed > 0 || this.dirty) {
      try {
        await this.save();
      } catch (err) {
        unsaved = errorMessage(err);
      }
    }
    return { files: this.files.size, chunks: this.chunkCount, indexed: changed.length, removed, skipped, ...(unsaved !== undefined ? { unsaved } : {}) };
  }

  /** Indexes one file again (after a save), or drops it when it is gone or no longer indexable; saves. */
  async updateFile(relPath: string, signal?: AbortSignal): Promise<void> {
    const rel = relPath.split(path.sep).join('/');
    const rules = new WorkspaceRules(this.options.exclude);
    const folders = rel.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'));
    const excluded = rules.file(rel) ?? folders.map((f) => rules.folder(f)).find((r) => r !== undefined);
    const info = excluded === undefined ? await stat(path.join(this.options.root, rel)).catch(() => undefined) : undefined;
    this.files.delete(rel);
    this.left.delete(rel);
    if (info?.isFile()) await this.indexFiles([{ path: rel, size: info.size, mtimeMs: info.mtimeMs }], signal);
    if (this.journalLines >= JOURNAL_LIMIT || this.dirty) return this.save();
    const entry = this.files.get(rel);
    const left = this.left.get(rel);
    const line: JournalLine = { path: rel, ...(entry ? { file: storedLine(rel, entry) } : {}), ...(left ? { left } : {}) };
    try {
      await appendFile(path.join(this.dir, journalFile(this.generation)), `${JSON.stringify(line)}\n`);
    } catch (err) {
      // A line cut by a full disk ends the journal's replay there: the next save writes a whole generation instead.
      this.dirty = true;
      throw err;
    }
    this.journalLines++;
  }

  /** The files left out as secret, by name (as of the last refresh) or by content, in path order. */
  secretFiles(): SecretFile[] {
    const byContent = [...this.left.values()].filter((l) => l.reason === 'secret').map((l) => ({ path: l.path, kind: l.kind ?? 'credentials' }));
    return [...this.secretNames, ...byContent].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /**
   * Reads, parses, chunks and embeds files; returns why some were left out (binary, secret). A text of credentials is
   * left out whole; secret values in other files are redacted before anything is parsed, embedded (the embedder may be
   * an endpoint) or counted, keeping the lines where they were.
   */
  private async indexFiles(files: readonly WorkspaceFile[], signal?: AbortSignal): Promise<FileSkipReason[]> {
    const skipped: FileSkipReason[] = [];
    const pending: { file: WorkspaceFile; chunks: CodeChunk[] }[] = [];
    for (const file of files) {
      const text = textOf(await readFile(path.join(this.options.root, file.path)));
      const minified = text !== undefined && isMachineWritten(text);
      const screened = text === undefined || minified ? undefined : screenText(file.path, text);
      this.files.delete(file.path);
      if (screened === undefined || screened.leftOut !== undefined) {
        const reason: FileSkipReason = minified ? 'vendored or generated' : screened === undefined ? 'binary' : 'secret';
        skipped.push(reason);
        this.left.set(file.path, { path: file.path, size: file.size, mtimeMs: file.mtimeMs, reason, ...(screened?.leftOut !== undefined ? { kind: screened.leftOut } : {}) });
        continue;
      }
      this.left.delete(file.path);
      pending.push({ file, chunks: chunkFile(file.path, screened.text, undefined, await this.parser.parse(file.path, screened.text)) });
    }
    const texts = pending.flatMap(({ file, chunks }) => chunks.map((c) => `${file.path}\n${c.text}`));
    const vectors: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += EMBED_BATCH) {
      signal?.throwIfAborted();
      vectors.push(...(await this.options.embedder.embed(texts.slice(i, i + EMBED_BATCH), signal)));
    }
    let v = 0;
    for (const { file, chunks } of pending) {
      const rows = new Int8Array(chunks.length * this.dimension);
      const scales = new Float32Array(chunks.length);
      chunks.forEach((_, i) => (scales[i] = quantise(vectors[v++] as Float32Array, rows, i * this.dimension)));
      const indexed = chunks.map((c) => ({ path: file.path, startLine: c.startLine, endLine: c.endLine, symbols: c.symbols, references: c.references, tokens: c.tokens }));
      this.files.set(file.path, {
        size: file.size,
        mtimeMs: file.mtimeMs,
        chunks: indexed,
        vectors: rows,
        scales,
        terms: chunks.map((c) => termCounts(c.text)),
        fields: fileFields(file.path, indexed),
      });
    }
    return skipped;
  }

  /**
   * Writes a new generation of vectors and terms, then the manifest that names it (by rename), then removes every
   * other generation's files. A failure (a full disk) removes what it wrote and leaves the last saved generation as it
   * was; the index stays dirty, so the next refresh or update saves again.
   */
  private async save(): Promise<void> {
    const entries = [...this.files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const vectors = new Int8Array(entries.reduce((n, [, e]) => n + e.vectors.length, 0));
    const terms = entries.flatMap(([, e]) => e.terms);
    const distinct = terms.reduce((n, t) => n + t.ids.length, 0);
    const ids = new Uint32Array(distinct);
    const counts = new Uint16Array(distinct);
    let offset = 0;
    for (const [, e] of entries) {
      vectors.set(e.vectors, offset);
      offset += e.vectors.length;
    }
    offset = 0;
    for (const t of terms) {
      ids.set(t.ids, offset);
      counts.set(t.counts, offset);
      offset += t.ids.length;
    }
    // After every generation on disk, also those of an index that could not be read: nothing named is overwritten.
    const generation = Math.max(this.generation, ...(await this.generationsOnDisk()).map((g) => g.generation)) + 1;
    const manifest: IndexManifest = {
      version: FORMAT_VERSION,
      embedder: this.options.embedder.id,
      dimension: this.dimension,
      generation,
      files: entries.map(([p, e]) => ({
        path: p,
        size: e.size,
        mtimeMs: e.mtimeMs,
        chunks: storedChunks(e),
      })),
      left: [...this.left.values()],
    };
    const written = [vectorsFile(generation), termsFile(generation), MANIFEST_TEMP].map((f) => path.join(this.dir, f));
    this.dirty = true;
    try {
      await writeFile(path.join(this.dir, vectorsFile(generation)), vectors);
      await writeFile(path.join(this.dir, termsFile(generation)), Buffer.concat([Buffer.from(ids.buffer), Buffer.from(counts.buffer)]));
      await writeFile(path.join(this.dir, MANIFEST_TEMP), JSON.stringify(manifest));
      await rename(path.join(this.dir, MANIFEST_TEMP), path.join(this.dir, MANIFEST));
    } catch (err) {
      await Promise.all(written.map((f) => rm(f, { force: true }).catch(() => undefined)));
      throw err;
    }
    this.dirty = false;
    this.generation = generation;
    this.journalLines = 0;
    for (const old of await this.generationsOnDisk()) if (old.generation !== generation) await rm(path.join(this.dir, old.file), { force: true }).catch(() => undefined);
  }

  /** The generation files in the index folder (this one's, older ones, and leftovers of a save that failed). */
  private async generationsOnDisk(): Promise<{ file: string; generation: number }[]> {
    const found: { file: string; generation: number }[] = [];
    for (const file of await readdir(this.dir)) {
      const m = GENERATION_FILE.exec(file);
      if (m) found.push({ file, generation: Number(m[1] ?? m[2] ?? m[3]) });
    }
    return found;
  }

  /**
   * For every file (in index order), the names it defines and those it uses and does not define there: what a graph of
   * definitions and references between files is built from (aider's repository map ranks files so).
   */
  fileNames(): FileNames[] {
    return [...this.files].map(([p, entry]) => {
      const used = new Map<string, number>();
      for (const chunk of entry.chunks) for (const name of chunk.references) used.set(name, (used.get(name) ?? 0) + 1);
      return { path: p, defines: [...new Set(entry.chunks.flatMap((c) => c.symbols))], references: [...used].map(([name, chunks]) => ({ name, chunks })) };
    });
  }

  /** The chunks that define `name` (core/retrieval/ranking#defines), in index order. */
  defining(name: string): readonly IndexedChunk[] {
    return this.files.defining(name);
  }

  /** Whether some chunk's text uses the identifier `id` (its term, core/retrieval/ranking#identifierTerm). */
  uses(id: string): boolean {
    return this.files.holds(identifierTerm(id));
  }

  /** The folder the index is of. */
  get root(): string {
    return this.options.root;
  }

  /** Every indexed file's workspace-relative path. */
  paths(): string[] {
    return [...this.files.keys()];
  }

  /** Whether a file the question mentions (`cells.py`, `lib/parse.ts`) names indexed files (core/retrieval/mentions namesFileIn: not dozens of them). */
  hasFile(mention: string): boolean {
    return namesFileIn(this.files.keys(), mention);
  }

  /** Every file as the ranking reads it, with each chunk's similarity to a unit query vector (0 without one: the words alone). */
  rankable(query?: Float32Array): RankableFile<IndexedChunk>[] {
    const dim = this.dimension;
    const out: RankableFile<IndexedChunk>[] = [];
    for (const [p, entry] of this.files) {
      const { vectors, scales } = entry;
      const similarity = new Float32Array(entry.chunks.length);
      if (query === undefined) {
        out.push({ path: p, chunks: entry.chunks, terms: entry.terms, fields: entry.fields, similarity });
        continue;
      }
      for (let i = 0; i < entry.chunks.length; i++) {
        const base = i * dim;
        let dot = 0;
        for (let d = 0; d < dim; d++) dot += (vectors[base + d] as number) * (query[d] as number);
        similarity[i] = dot / (scales[i] as number);
      }
      out.push({ path: p, chunks: entry.chunks, terms: entry.terms, fields: entry.fields, similarity });
    }
    return out;
  }
}

const base64 = (array: ArrayBufferView): string => Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
const bytesOf = (text: string): ArrayBuffer => {
  const b = Buffer.from(text, 'base64');
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
};

/** A file's chunks as the manifest and the journal keep them. */
function storedChunks(e: FileEntry): StoredFile['chunks'] {
  return e.chunks.map((c, i) => ({ startLine: c.startLine, endLine: c.endLine, symbols: c.symbols, references: c.references, tokens: c.tokens, scale: e.scales[i] ?? 1, terms: e.terms[i]?.ids.length ?? 0, length: e.terms[i]?.length ?? 0 }));
}

/** A file's entry as a journal line. */
function storedLine(rel: string, e: FileEntry): NonNullable<JournalLine['file']> {
  const ids = new Uint32Array(e.terms.reduce((n, t) => n + t.ids.length, 0));
  const counts = new Uint16Array(ids.length);
  let offset = 0;
  for (const t of e.terms) {
    ids.set(t.ids, offset);
    counts.set(t.counts, offset);
    offset += t.ids.length;
  }
  return {
    path: rel,
    size: e.size,
    mtimeMs: e.mtimeMs,
    chunks: storedChunks(e),
    vectors: base64(e.vectors),
    ids: base64(ids),
    counts: base64(counts),
  };
}

/** A journal line's file as an entry; throws when its vectors or terms do not fit its chunks. */
function entryOf(f: NonNullable<JournalLine['file']>, dimension: number): FileEntry {
  const chunks = f.chunks.map((c) => ({ path: f.path, startLine: c.startLine, endLine: c.endLine, symbols: c.symbols, references: c.references, tokens: c.tokens }));
  const vectors = bytesOf(f.vectors);
  const terms = f.chunks.reduce((n, c) => n + c.terms, 0);
  if (vectors.byteLength !== chunks.length * dimension) throw new Error(`${f.path}: its vectors do not fit its ${chunks.length} chunks`);
  if (bytesOf(f.ids).byteLength !== terms * 4 || bytesOf(f.counts).byteLength !== terms * 2) throw new Error(`${f.path}: its terms do not fit its chunks`);
  return {
    size: f.size,
    mtimeMs: f.mtimeMs,
    chunks,
    fields: fileFields(f.path, chunks),
    vectors: new Int8Array(vectors),
    scales: Float32Array.from(f.chunks.map((c) => c.scale)),
    terms: termsOf(f.chunks, new Uint32Array(bytesOf(f.ids)), new Uint16Array(bytesOf(f.counts)), 0),
  };
}

/** The chunks' term counts, read from `ids` and `counts` from `start` on in chunk order. */
function termsOf(chunks: StoredFile['chunks'], ids: Uint32Array, counts: Uint16Array, start: number): TermCounts[] {
  let term = start;
  return chunks.map((c) => {
    const t = { ids: ids.slice(term, term + c.terms), counts: counts.slice(term, term + c.terms), length: c.length };
    term += c.terms;
    return t;
  });
}
