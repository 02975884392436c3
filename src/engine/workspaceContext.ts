/**
 * The context an ask gathers before it is fitted: the attachments and, with a workspace, what its index finds for the
 * question. One engine keeps one of these (its indexes stay open between asks); `smcs eval context` drives the same
 * gathering without models, so what it measures is what an ask sends.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { errorMessage } from '../core/contracts/errors';
import { untilAborted } from '../core/util/abort';
import type { Embedder } from '../core/contracts/types';
import { withoutCovered, type ContextItem } from '../core/context/contextItem';
import { askEvidence, decisionLine, searchDecision, type AskEvidence, type SearchDecision } from '../core/retrieval/contextDecision';
import { DEFAULT_STAGES } from '../core/retrieval/ranking';
import { askedSecrets } from '../core/retrieval/askedSecrets';
import { mayConcernAWorkspace, type WorkspaceLookup } from '../core/retrieval/searchEvidence';
import { calibrate, evidenceLookup } from '../workspace/evidenceLookup';
import { hashMentionsIn } from '../core/retrieval/hashMentions';
import { openFileShare, type OpenFile } from '../core/retrieval/openFileShare';
import { secretReason, withheldNote } from '../core/secrets/secretFiles';
import { definitionChunks, retrieveChunks } from '../workspace/retrieveChunks';
import { secretKeys } from '../workspace/secretKeys';
import { mentionsIn } from '../core/retrieval/mentions';
import type { SecretFile } from '../workspace/walk';
import { WorkspaceIndex, type RefreshStats } from '../workspace/workspaceIndex';
import { parseFile } from '../workspace/parsedFile';
import { definitionsToFind } from '../core/retrieval/selectionCalls';
import type { ParsedSource } from '../core/retrieval/parsedSource';
import type { AskOptions, EngineHooks, WorkspaceRequest } from './types';

/** Whether any workspace could hold what a question names: the extension starts the index only for such a question. */
export { mayConcernAWorkspace };

/** The one reader of definitions (workspace/parsedFile), for the host's chip and Apply through the runtime. */
export { parseFile };

/** How long an ask that only looks up definitions waits for the workspace index to be up to date. */
export const DEFINITIONS_WAIT_MS = 3_000;

/**
 * The context an ask carries before it is fitted: the items, in the order they are offered to the budget, and the notes
 * the user reads of it — what was withheld, what the index could not do, what was not found, and last the one line
 * saying what decided (core/retrieval/contextDecision). The host's own gathering (the editor's state and attachments,
 * vscode/context/questionContext) is its input.
 */
export interface AskContext {
  items: ContextItem[];
  notes: string[];
}

/** What goes of the open file, the notes it needs (a secret file), and what the decision line says of it. */
interface OpenFilePart {
  items: ContextItem[];
  notes: string[];
  said: string;
  /** The words pointing at the open file (core/retrieval/openFileShare), when it goes. */
  pointing?: string;
}

/**
 * The part of the open file the question refers to (core/retrieval/openFileShare), judged with the index as it stands
 * (a name the file defines counts when no other file of the workspace defines it). Nothing of it goes when it is
 * attached whole already (the chip's click, `#file:`) or is a secret file.
 */
function openFilePart(question: string, file: OpenFile, attached: readonly ContextItem[], index: WorkspaceIndex | undefined): OpenFilePart {
  if (attached.some((a) => a.path === file.path && a.source !== 'selection' && a.startLine === 1)) return { items: [], notes: [], said: `${file.path} sent whole, as the user chose` };
  const secret = secretReason(file.path, file.text);
  if (secret !== undefined) return { items: [], notes: [`the current file was not sent: ${secret} (attach it with #file:${file.path} to send it)`], said: `${file.path} not sent: ${secret}` };
  const definedElsewhere = index && ((name: string, p: string) => index.defining(name).some((c) => c.path !== p));
  const share = openFileShare(question, file, { selectionInFile: attached.some((a) => a.source === 'selection' && a.path === file.path), problemsMentioned: hashMentionsIn(question).problems, ...(definedElsewhere ? { definedElsewhere } : {}) });
  // The lines a selection of this file sends already go once: the part at the cursor keeps only what lies outside it.
  const selected = attached.filter((a) => a.source === 'selection' && a.path === file.path);
  const items = share.items.flatMap((item) => withoutCovered(item, selected));
  return { items, notes: [], said: share.summary, ...(items.length > 0 && share.pointing !== undefined ? { pointing: share.pointing } : {}) };
}

/** A workspace that holds nothing: the evidence of a question read without its index. */
const NOTHING_HELD: WorkspaceLookup = { definedIn: () => [], uses: () => false, hasFile: () => false, module: () => undefined, match: () => ({ strength: 0, words: [], wordsHeld: 0, ownInLanguageHeld: 0, languages: [] }), unrelated: () => [] };

/**
 * "deploy/app-secrets.yaml left out: secrets file" for each file the index leaves out as secret; a front end sums them
 * up in one line (src/presentation/withheldFiles.ts).
 */
function secretFileNotes(files: readonly SecretFile[]): string[] {
  return files.map((f) => withheldNote(f.path, f.kind));
}

export class WorkspaceContexts {
  /** Open workspace indexes by folder, kept between asks. */
  private readonly indexes = new Map<string, Promise<WorkspaceIndex>>();
  /** The indexes of `indexes` that have opened. */
  private readonly opened = new Map<string, WorkspaceIndex>();
  /** The refresh each index is doing or last did: the next waits for it (a save during an ask's refresh). */
  private readonly refreshes = new Map<WorkspaceIndex, Promise<unknown>>();

  constructor(
    private readonly embedder: Embedder,
    private readonly hooks: Pick<EngineHooks, 'storageDir' | 'log'>,
    /** The engine's lifetime: an index still opening when it ends stops waiting for the embedder. */
    private readonly lifetime?: AbortSignal,
  ) {}

  /**
   * The one context pipeline of every ask, whichever front end asks (issue 67 item 1). Its stages, in order:
   *
   * 1. **given** — what the host gives: the attachments (the selection among them) and their notes;
   * 2. **index** — the workspace's index, as much of it as the decision needs: none for a question no word of which
   *    could name anything of a workspace (read as it stands if it is open), a few seconds' wait when only a selection's
   *    definitions are asked for, else brought up to date;
   * 3. **open file** — the part of the open file the question refers to (core/retrieval/openFileShare);
   * 4. **decision** — whether the workspace is searched, and why (core/retrieval/contextDecision over the evidence of
   *    core/retrieval/searchEvidence; a follow-up leans on the earlier question that holds some);
   * 5. **definitions** — what a selection calls that nothing attached defines, found by name;
   * 6. **candidates** — the files and definitions retrieval ranks for the question (core/retrieval/ranking: lexical,
   *    vectors, symbols, graph), read from disk and **screened** for secrets as they are now (workspace/retrieveChunks);
   * 7. **record** — one record: the items in the order the budget takes them, and the notes in one order.
   *
   * Undefined when the ask has no attachments, no notes of them, no open file and no workspace (a team server's ask
   * carries the notes its member's editor wrote, the decision line among them, even when nothing was attached). The
   * question is embedded with `embedder`
   * (an ask's, counting the call: core/ask/countedEmbedder).
   */
  async gather(question: string, options: Pick<AskOptions, 'attachments' | 'attachmentNotes' | 'workspace' | 'editor' | 'history' | 'signal'>, embedder: Embedder = this.embedder): Promise<AskContext | undefined> {
    const open = options.editor?.openFile;
    const workspace = options.workspace;
    if (workspace === undefined && options.attachments === undefined && options.attachmentNotes === undefined && open === undefined) return undefined;
    // 1. given
    const attached = [...(options.attachments ?? [])];
    const told = [...(options.attachmentNotes ?? [])];
    // What a selection calls and nothing attached defines, found by name in the index (core/retrieval/selectionCalls).
    const selected = attached.filter((a) => a.source === 'selection');
    const called = workspace !== undefined && selected.length > 0 ? definitionsToFind(selected.map((s) => s.text).join('\n'), await Promise.all(attached.map((a) => this.parsed(a)))) : [];
    const definitions = [...new Set([...(workspace?.definitions ?? []), ...called])];
    // The names count as named in the question (backticks make them identifiers), so their definitions rank first too.
    const query = definitions.length > 0 ? `${question}\n${definitions.map((d) => `\`${d}\``).join(' ')}` : question;
    const earlier = (options.history ?? []).map((turn) => turn.question);
    // 2. index
    const indexed = workspace === undefined ? undefined : await this.indexStage(workspace, definitions, query, earlier, options.signal);
    const index = indexed?.index;
    // 3. open file: its definitions read by the one reader, the parser's where a grammar covers it.
    const share = open && openFilePart(question, await this.parsed(open), attached, index);
    // 4. decision: words that point at the open file ("this function") are about it, not evidence that the rest is meant.
    const asked = share?.pointing === undefined ? query : query.replace(share.pointing, ' ');
    const evidence = workspace !== undefined && workspace.retrieval === 'auto' && (workspace.stages ?? DEFAULT_STAGES).evidence ? askEvidence(asked, earlier, attached, index ? evidenceLookup(index) : NOTHING_HELD) : undefined;
    const search = workspace === undefined ? undefined : this.decide(workspace, evidence);
    // A question about the workspace's secrets learns that they exist and why they are withheld, searched or not.
    const secrets = index?.secretFiles() ?? [];
    const named = secrets.length > 0 && mentionsIn(query).identifiers.length > 0 ? await secretKeys(index?.root ?? '', secrets) : undefined;
    const secretsAsked = secretFileNotes(askedSecrets(query, secrets, named));
    // What is sent of the index is read from it up to date: a search or definitions after a refresh another ask started.
    let refreshed = indexed?.refreshed;
    if (index && indexed?.ready && workspace?.retrieval !== 'none' && refreshed === undefined && (search?.searched === true || definitions.length > 0)) refreshed = await this.refreshIndex(index, options.signal);
    const indexNotes = index && indexed?.ready ? this.indexNotes(index, refreshed) : [];
    // 5. definitions
    const defined = index && indexed?.ready && definitions.length > 0 ? await definitionChunks(index, indexed.root, definitions, selected.map((s) => s.path)) : { items: [], secretNotes: [] };
    // Only attachments asked for, and no open file: nothing was decided that needs saying.
    const line = indexed === undefined && share === undefined ? '' : decisionLine(search, share?.said, defined.items);
    // 6. candidates
    const found =
      index && indexed?.ready && search?.searched === true
        ? await retrieveChunks(index, embedder, indexed.root, evidence?.leansOn === undefined ? query : `${evidence.leansOn}\n${query}`, options.signal, workspace?.stages ?? DEFAULT_STAGES)
        : undefined;
    // 7. record
    const taken = new Set(defined.items.map((d) => `${d.path}:${d.startLine}`));
    const notFound = found !== undefined && found.items.length === 0 ? [`nothing retrieved from the workspace: ${found.note ?? 'no file matches the question'}`] : [];
    const withheld = [...told, ...indexNotes, ...defined.secretNotes, ...(share?.notes ?? []), ...secretsAsked];
    return {
      items: [...attached, ...(share?.items ?? []), ...defined.items, ...(found?.items ?? []).filter((f) => !taken.has(`${f.path}:${f.startLine}`))],
      notes: [...withheld, ...(found?.secretNotes ?? []).filter((n) => !withheld.includes(n)), ...notFound, ...(line === '' ? [] : [line])],
    };
  }

  /** A file with what the parser reads of it (core/retrieval/chunking definitionsOf), when a grammar covers it. */
  private async parsed<F extends { path: string; text: string; parsed?: ParsedSource }>(file: F): Promise<F> {
    if (file.parsed !== undefined) return file;
    const parsed = await parseFile(file.path, file.text, (message) => this.hooks.log('warn', message));
    return parsed === undefined ? file : { ...file, parsed };
  }

  /** Whether the workspace is searched: `#codebase` always, `auto` on the question's evidence, `none` never. */
  private decide(workspace: WorkspaceRequest, evidence: AskEvidence | undefined): SearchDecision {
    if (workspace.retrieval === 'none') return { searched: false, why: 'only what the user attached was asked for' };
    if (!(workspace.stages ?? DEFAULT_STAGES).evidence) return { searched: true, why: 'every question searches: the evidence stage is off' };
    return searchDecision(workspace.retrieval, evidence);
  }

  /**
   * The index as much as the ask needs it. None for `retrieval: none` without definitions. A question no word of which
   * could name anything of any workspace (an exercise that brings its own code, "what is 2 + 2?") reads the index as
   * it stands if it is open, and does not open, walk or wait for it (issue 62 item 10). Definitions alone wait a few
   * seconds for an index still being built (it goes on, and the next ask finds them). Otherwise the decision reads the
   * index as it stands once this engine has refreshed it (the extension's background build); one not yet refreshed here
   * (loaded from disk, or never built) is refreshed first — its secret files are known only after a walk — and a refresh
   * under way is waited for (a half-built index would not know a name). `ready`: definitions and retrieval may read it.
   */
  private async indexStage(workspace: WorkspaceRequest, definitions: readonly string[], query: string, earlier: readonly string[], signal: AbortSignal): Promise<{ index: WorkspaceIndex | undefined; root: string; ready: boolean; refreshed?: RefreshStats } | undefined> {
    if (workspace.retrieval === 'none' && definitions.length === 0) return undefined;
    const stages = workspace.stages ?? DEFAULT_STAGES;
    const mayConcern = workspace.retrieval === 'always' || !stages.evidence || definitions.length > 0 || [query, ...earlier].some((text) => mayConcernAWorkspace(text));
    if (!mayConcern) return { index: this.openedIndex(workspace), root: workspace.root, ready: false };
    // An index opening is shared with other asks (it may be asking an embedding endpoint its dimension).
    const index = await untilAborted(this.index(workspace), signal);
    if (workspace.retrieval === 'none') {
      const ready = await this.refreshedWithin(index, DEFINITIONS_WAIT_MS, signal);
      if (!ready) this.hooks.log('info', 'the workspace index is still being built: this ask goes without the definitions its selection calls');
      return { index, root: workspace.root, ready };
    }
    const underWay = this.refreshes.get(index);
    if (underWay !== undefined) {
      await untilAborted(underWay.catch(() => undefined), signal);
      return { index, root: workspace.root, ready: true };
    }
    return { index, root: workspace.root, ready: true, refreshed: await this.refreshIndex(index, signal) };
  }

  /**
   * What the user should know of the index itself, logged too: that it could not be read and was built again (once
   * per opening), and that this refresh could not save it (the ask used it from memory).
   */
  private indexNotes(index: WorkspaceIndex, refreshed?: RefreshStats): string[] {
    const notes: string[] = [];
    const damage = index.takeDamage();
    if (damage !== undefined) notes.push(`the workspace index at ${index.dir} could not be read whole (${damage}); what it lacked was indexed again`);
    if (refreshed?.unsaved !== undefined) notes.push(`the workspace index could not be saved (${refreshed.unsaved}); this ask used it from memory, and the next one saves it again`);
    for (const note of notes) this.hooks.log('warn', note);
    return notes;
  }

  /** Brings a workspace's index up to date; one refresh at a time per index. */
  async refresh(request: WorkspaceRequest, signal?: AbortSignal, onProgress?: (done: number, total: number) => void): Promise<RefreshStats> {
    return this.refreshIndex(await this.index(request), signal, onProgress);
  }

  /**
   * Indexes again the files just saved, created, renamed or deleted (workspace-relative paths) without walking the
   * workspace, after any refresh under way; a path that is gone or left out is dropped from the index.
   */
  async updateFiles(request: WorkspaceRequest, paths: readonly string[], signal?: AbortSignal): Promise<void> {
    const index = await this.index(request);
    const before = this.refreshes.get(index) ?? Promise.resolve();
    const next = before.catch(() => undefined).then(async () => {
      for (const p of paths) await index.updateFile(p, signal);
      calibrate(index);
    });
    this.refreshes.set(index, next);
    await next;
  }

  /** Whether a refresh of `index` finished within `ms` (it goes on after, its failure logged). */
  private async refreshedWithin(index: WorkspaceIndex, ms: number, signal: AbortSignal | undefined): Promise<boolean> {
    const refresh = this.refreshIndex(index, signal);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    try {
      return await Promise.race([refresh.then(() => true as const), late]);
    } finally {
      clearTimeout(timer);
      refresh.catch((err: unknown) => this.hooks.log('warn', `the workspace index could not be refreshed: ${errorMessage(err)}`));
    }
  }

  private refreshIndex(index: WorkspaceIndex, signal?: AbortSignal, onProgress?: (done: number, total: number) => void): Promise<RefreshStats> {
    const before = this.refreshes.get(index) ?? Promise.resolve();
    // The decision's calibration is part of the build (issue 67 item 6): an ask finds it ready.
    const next = before.catch(() => undefined).then(async () => {
      const stats = await index.refresh(signal, onProgress);
      calibrate(index);
      return stats;
    });
    this.refreshes.set(index, next);
    return next;
  }

  private indexDir(request: WorkspaceRequest): string {
    return request.indexDir ?? path.join(this.hooks.storageDir, 'workspaces', createHash('sha256').update(path.resolve(request.root)).digest('hex').slice(0, 16));
  }

  private index(request: WorkspaceRequest): Promise<WorkspaceIndex> {
    const root = path.resolve(request.root);
    const dir = this.indexDir(request);
    let index = this.indexes.get(dir);
    if (index === undefined) {
      index = WorkspaceIndex.open(dir, { root, embedder: this.embedder, log: (level, message) => this.hooks.log(level, message), ...(request.exclude ? { exclude: request.exclude } : {}) }, this.lifetime);
      // A failed open is not kept: the next ask tries again.
      index.then(
        (opened) => this.opened.set(dir, opened),
        () => this.indexes.delete(dir),
      );
      this.indexes.set(dir, index);
    }
    return index;
  }

  /**
   * Forgets a workspace's open index (its files on disk stay): the memory it held is freed, and the next ask opens it
   * again. `smcs eval context` releases each fix's tree once its questions are asked.
   */
  async release(request: WorkspaceRequest): Promise<void> {
    const dir = this.indexDir(request);
    const index = this.opened.get(dir);
    if (index !== undefined) await (this.refreshes.get(index) ?? Promise.resolve()).catch(() => undefined);
    this.indexes.delete(dir);
    this.opened.delete(dir);
    if (index !== undefined) this.refreshes.delete(index);
  }

  /** The workspace's index when it is open already; undefined while it opens or before any ask opened it. */
  private openedIndex(request: WorkspaceRequest): WorkspaceIndex | undefined {
    const dir = this.indexDir(request);
    return this.indexes.has(dir) ? this.opened.get(dir) : undefined;
  }
}
