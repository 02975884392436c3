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
import { askEvidence, decisionLine, searchDecision } from '../core/retrieval/contextDecision';
import { DEFAULT_STAGES } from '../core/retrieval/ranking';
import { askedSecrets } from '../core/retrieval/askedSecrets';
import { mayConcernAWorkspace, type WorkspaceLookup } from '../core/retrieval/searchEvidence';
import { calibrate, evidenceLookup } from '../workspace/evidenceLookup';
import { hashMentionsIn } from '../core/retrieval/hashMentions';
import { openFileShare, type OpenFile } from '../core/retrieval/openFileShare';
import { secretReason, withheldNote } from '../core/secrets/secretFiles';
import { definitionChunks, retrieveChunks } from '../workspace/retrieveChunks';
import type { SecretFile } from '../workspace/walk';
import { WorkspaceIndex, type RefreshStats } from '../workspace/workspaceIndex';
import type { AskOptions, EngineHooks, WorkspaceRequest } from './types';

/** How long an ask that only looks up definitions waits for the workspace index to be up to date. */
export const DEFINITIONS_WAIT_MS = 3_000;

/** What an ask gathered: the items to fit, and what the user should know of what was not searched or found. */
export interface GatheredContext {
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
const NOTHING_HELD: WorkspaceLookup = { defines: () => false, uses: () => false, hasFile: () => false, module: () => undefined, match: () => ({ strength: 0, words: [], wordsHeld: 0, ownWordsHeld: 0 }), unrelated: () => [] };

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
   * The one decision of what an ask sends (issue 42), whichever front end asks: the attachments; the part of the open
   * file the question refers to (core/retrieval/openFileShare); and, with a workspace, the definitions a selection calls
   * and — when the question concerns the workspace (core/retrieval/searchEvidence), or is a follow-up of one that does
   * (core/retrieval/contextDecision askEvidence) — the chunks retrieval chooses. The notes carry one line saying what
   * decided (core/retrieval/contextDecision). Undefined when the ask has no attachments, no open file and no workspace.
   * The question is embedded with `embedder` (an ask's, counting the call: core/ask/countedEmbedder).
   */
  async gather(question: string, options: Pick<AskOptions, 'attachments' | 'attachmentNotes' | 'workspace' | 'editor' | 'history' | 'signal'>, embedder: Embedder = this.embedder): Promise<GatheredContext | undefined> {
    const open = options.editor?.openFile;
    if (options.workspace === undefined && options.attachments === undefined && open === undefined) return undefined;
    const attached = [...(options.attachments ?? [])];
    const told = [...(options.attachmentNotes ?? [])];
    const workspace = options.workspace;
    const definitions = workspace?.definitions ?? [];
    if (workspace === undefined || (workspace.retrieval === 'none' && definitions.length === 0)) {
      const share = open && openFilePart(question, open, attached, undefined);
      const line = share === undefined ? [] : [decisionLine(workspace ? { searched: false, why: 'only what the user attached was asked for' } : undefined, share.said)];
      return { items: [...attached, ...(share?.items ?? [])], notes: [...told, ...(share?.notes ?? []), ...line] };
    }
    if (workspace.retrieval === 'none') {
      // An index opening is shared with other asks (it may be asking an embedding endpoint its dimension).
      const index = await untilAborted(this.index(workspace), options.signal);
      const share = open && openFilePart(question, open, attached, index);
      const opened = { items: share?.items ?? [], notes: [...(share?.notes ?? []), decisionLine({ searched: false, why: 'only what the user attached was asked for' }, share?.said)] };
      // Definitions help, but they are not what was asked: an index still being built (a large workspace, a slow
      // embedder) is not waited for past a few seconds; it goes on building and the next ask finds them.
      if (!(await this.refreshedWithin(index, DEFINITIONS_WAIT_MS, options.signal))) {
        this.hooks.log('info', 'the workspace index is still being built: this ask goes without the definitions its selection calls');
        return { items: [...attached, ...opened.items], notes: [...told, ...opened.notes] };
      }
      const defined = await definitionChunks(index, workspace.root, definitions);
      return { items: [...attached, ...opened.items, ...defined.items], notes: [...told, ...this.indexNotes(index), ...defined.secretNotes, ...opened.notes] };
    }
    // The names count as named in the question (backticks make them identifiers), so their definitions rank first too.
    const query = definitions.length > 0 ? `${question}\n${definitions.map((d) => `\`${d}\``).join(' ')}` : question;
    const earlier = (options.history ?? []).map((turn) => turn.question);
    const stages = workspace.stages ?? DEFAULT_STAGES;
    const mayConcern = workspace.retrieval === 'always' || !stages.evidence || definitions.length > 0 || [query, ...earlier].some((text) => mayConcernAWorkspace(text));
    // A question no word of which could name anything of any workspace (an exercise that brings its own code, "what is
    // 2 + 2?") is decided without the index (issue 62 item 10): it is not opened, walked or waited for — read as it
    // stands if it is open already —, so the first ask of a window does not wait seconds for an index it cannot use.
    if (!mayConcern) return this.withoutIndex(question, query, earlier, open, attached, told, this.openedIndex(workspace));
    // The decision reads the index as it stands once this engine has refreshed it (the extension's background build):
    // a question that needs no search does not wait for another walk. An index not yet refreshed here (loaded from
    // disk, or never built) is refreshed first — its secret files are known only after a walk. A question that could
    // name something waits for a refresh under way (the background build the panel started): a half-built index would
    // not know the name.
    const index = await untilAborted(this.index(workspace), options.signal);
    let refreshed: RefreshStats | undefined;
    const underWay = this.refreshes.get(index);
    if (underWay === undefined) refreshed = await this.refreshIndex(index, options.signal);
    else await untilAborted(underWay.catch(() => undefined), options.signal);
    const lookup = evidenceLookup(index);
    const share = open && openFilePart(question, open, attached, index);
    // Words that point at the open file ("this function") are about it, not evidence that the rest is meant.
    const asked = share?.pointing === undefined ? query : query.replace(share.pointing, ' ');
    const evidence = workspace.retrieval === 'auto' && stages.evidence ? askEvidence(asked, earlier, attached, lookup) : undefined;
    const search = stages.evidence ? searchDecision(workspace.retrieval, evidence) : { searched: true, why: 'every question searches: the evidence stage is off' };
    const line = decisionLine(search, share?.said);
    const opened = [...attached, ...(share?.items ?? [])];
    // A question about the workspace's secrets learns that they exist and why they are withheld, searched or not.
    const secretsAsked = secretFileNotes(askedSecrets(query, index.secretFiles()));
    if (!search.searched && definitions.length === 0) {
      return { items: opened, notes: [...told, ...this.indexNotes(index, refreshed), ...(share?.notes ?? []), ...secretsAsked, line] };
    }
    refreshed ??= await this.refreshIndex(index, options.signal);
    const defined = await definitionChunks(index, workspace.root, definitions);
    const defining = defined.items;
    const secret = [...told, ...this.indexNotes(index, refreshed), ...defined.secretNotes, ...(share?.notes ?? [])];
    if (!search.searched) return { items: [...opened, ...defining], notes: [...secret, ...secretsAsked, line] };
    const found = await retrieveChunks(index, embedder, workspace.root, evidence?.leansOn === undefined ? query : `${evidence.leansOn}\n${query}`, options.signal, stages);
    const taken = new Set(defining.map((d) => `${d.path}:${d.startLine}`));
    const notes = found.items.length === 0 ? [`nothing retrieved from the workspace: ${found.note ?? 'no file matches the question'}`] : [];
    // A secret file is named when the question is about it (its path or kind shares a telling word with it: the user
    // asking where the credentials are learns that they exist and why they were not sent), not on every search.
    const withheld = [...secret, ...secretsAsked];
    const redacted = found.secretNotes.filter((n) => !withheld.includes(n));
    return { items: [...opened, ...defining, ...found.items.filter((f) => !taken.has(`${f.path}:${f.startLine}`))], notes: [...withheld, ...redacted, ...notes, line] };
  }

  /**
   * The context of a question that cannot concern the workspace: the attachments and the open file's part, and the
   * decision line — the evidence read from `index` when it is open, else from a workspace that holds nothing (which
   * says the same of such a question: nothing it names, no telling word).
   */
  private withoutIndex(question: string, query: string, earlier: readonly string[], open: OpenFile | undefined, attached: readonly ContextItem[], told: readonly string[], index: WorkspaceIndex | undefined): GatheredContext {
    const share = open && openFilePart(question, open, attached, index);
    const asked = share?.pointing === undefined ? query : query.replace(share.pointing, ' ');
    const evidence = askEvidence(asked, earlier, attached, index ? evidenceLookup(index) : NOTHING_HELD);
    const secretsAsked = index ? secretFileNotes(askedSecrets(query, index.secretFiles())) : [];
    return { items: [...attached, ...(share?.items ?? [])], notes: [...told, ...(share?.notes ?? []), ...secretsAsked, decisionLine(searchDecision('auto', evidence), share?.said)] };
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

  /** The workspace's index when it is open already; undefined while it opens or before any ask opened it. */
  private openedIndex(request: WorkspaceRequest): WorkspaceIndex | undefined {
    const dir = this.indexDir(request);
    return this.indexes.has(dir) ? this.opened.get(dir) : undefined;
  }
}
