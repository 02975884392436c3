/**
 * Workspace retrieval for one question: the index's files ranked for it (core/retrieval/ranking — files first, then
 * the parts of the chosen ones, above a floor relative to the best), the chosen chunks read from disk and screened for
 * secrets as the files are now, not as they were indexed (a file can change without changing its size and time).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { contextItem, type ContextItem } from '../core/context/contextItem';
import { CodeGraph } from '../core/retrieval/codeGraph';
import { enclosingSignature, signatureLines } from '../core/retrieval/signature';
import { RETRIEVED_MAX_TOKENS } from '../core/promptBudget/fitContext';
import { keptPerIndex } from './evidenceLookup';
import { questionMentions } from '../core/retrieval/questionCode';
import { isAsidePath, isTestPath } from '../core/retrieval/fileKinds';
import { redactionNotes, screenText, type Screened } from '../core/secrets/secretFiles';
import { DEFAULT_STAGES, rankQuery, rankWorkspace, type RetrievalStages } from '../core/retrieval/ranking';
import type { Embedder } from '../core/contracts/types';
import type { IndexedChunk, WorkspaceIndex } from './workspaceIndex';

export interface Retrieved {
  /** Best first, each with its score and reason. */
  items: ContextItem[];
  /** Why nothing was found, when nothing was. */
  note?: string;
  /** What of the chunks chosen was withheld — files left out as secret or stale, values redacted — one note each. */
  secretNotes: string[];
}

export async function retrieveChunks(index: WorkspaceIndex, embedder: Embedder, root: string, question: string, signal?: AbortSignal, stages: RetrievalStages = DEFAULT_STAGES): Promise<Retrieved> {
  if (index.chunkCount === 0) return { items: [], note: 'the workspace has no files to search', secretNotes: [] };
  const [vector] = stages.vectors ? await embedder.embed([question], signal) : [undefined];
  if (stages.vectors && vector === undefined) return { items: [], secretNotes: [] };
  const ranking = rankWorkspace(index.rankable(vector), rankQuery(question, questionMentions(question), stages), stages.graph ? codeGraph(index) : undefined);
  const read = chunkReader(root);
  const items: ContextItem[] = [];
  // Whole definitions while they fit the found code's budget; past it, a file not yet sent goes by the signature of its
  // best definition (a map of where else the answer may be, as aider's repository map gives), its whole left out.
  let left = RETRIEVED_MAX_TOKENS;
  const sent = new Set<string>();
  /** Where in `items` the signatures of what holds a member are. */
  const holders = new Set<number>();
  // Whole definitions leave room for the signatures of the files they do not reach.
  const wholeLeft = (): number => left - SIGNATURES_RESERVE;
  for (const { chunk, score, reason, partOf } of ranking.chunks) {
    const text = await read(chunk);
    if (text === null) continue;
    // A member goes with the signature of what holds it (its impl, its class) when that is not sent already.
    // Right above the member (blank lines aside) it opens the member's item; further up it is an item of its own.
    const found = await holderOf(read, chunk, partOf?.startLine ?? chunk.startLine);
    const holder = found && !items.some((i) => i.path === chunk.path && i.startLine !== undefined && i.endLine !== undefined && i.startLine <= found.startLine && i.endLine >= found.startLine) ? found : undefined;
    const opened = holder?.adjacent === true ? await read({ ...chunk, startLine: holder.startLine }) : null;
    const holderText = holder && opened === null ? await read({ ...chunk, startLine: holder.startLine, endLine: holder.endLine }) : null;
    const holderItem = holder && holderText !== null ? contextItem({ source: 'retrieved', path: chunk.path, startLine: holder.startLine, endLine: holder.endLine, text: holderText, reason: holder.reason, score }) : undefined;
    // A piece of a long definition goes with the definition's signature, so it is never a body without its head.
    const head = partOf && (await signatureOf(read, chunk, partOf));
    const headItem = head && contextItem({ source: 'retrieved', path: chunk.path, startLine: head.startLine, endLine: head.endLine, text: head.text, reason: `the signature of ${partOf?.name} (lines ${partOf?.startLine}–${partOf?.endLine}, too long to send whole)`, score });
    const whole = contextItem({ source: 'retrieved', path: chunk.path, startLine: opened === null ? chunk.startLine : (holder?.startLine ?? chunk.startLine), endLine: chunk.endLine, text: opened ?? text, reason, score });
    const tokens = whole.tokens + (headItem?.tokens ?? 0) + (holderItem?.tokens ?? 0);
    if (tokens <= wholeLeft()) {
      if (holderItem) holders.add(items.push(holderItem) - 1);
      if (headItem) items.push(headItem);
      items.push(whole);
      left -= tokens;
      sent.add(chunk.path);
      continue;
    }
    if (sent.has(chunk.path)) continue;
    const name = (chunk.symbols[0] ?? '').split('.').at(-1) ?? '';
    const lines = text.split('\n');
    const at = name === '' ? undefined : signatureLines(lines, name);
    if (at === undefined) continue;
    const stub = contextItem({ source: 'retrieved', path: chunk.path, startLine: chunk.startLine + at.first, endLine: chunk.startLine + at.last, text: lines.slice(at.first, at.last + 1).join('\n'), reason: `${reason}: the signature of ${name} (lines ${chunk.startLine}–${chunk.endLine}, ${whole.tokens} tokens whole, past the budget of found code)`, score });
    if (stub.tokens > left) continue;
    items.push(stub);
    left -= stub.tokens;
    sent.add(chunk.path);
  }
  // A holder's signature that a later item sends too goes once, in that item.
  const covered = (at: number): boolean => {
    const holder = items[at] as ContextItem;
    return items.some((i, j) => j !== at && !holders.has(j) && i.path === holder.path && (i.startLine ?? Infinity) <= (holder.startLine ?? 0) && (i.endLine ?? 0) >= (holder.endLine ?? Infinity));
  };
  const kept = items.filter((_, at) => !holders.has(at) || !covered(at));
  return { items: kept, ...(ranking.note !== undefined ? { note: ranking.note } : {}), secretNotes: read.notes() };
}

/** Tokens of found code kept for the signatures of chosen files whose definitions do not fit (a few lines each). */
export const SIGNATURES_RESERVE = 400;

/** Each index's code graph (core/retrieval/codeGraph), built again once the index has changed by more than a twentieth. */
const codeGraph = keptPerIndex((index) => new CodeGraph(index.fileNames()));

/** A definition's signature is looked for in this many of its first lines (its comments and decorators come first). */
const SIGNATURE_SEARCH_LINES = 24;

/** The signature lines of the definition a piece is part of (core/retrieval/signature), read as the piece was; undefined when none is found before the piece. */
async function signatureOf(read: ChunkReader, piece: IndexedChunk, definition: { startLine: number; endLine: number; name: string }): Promise<{ startLine: number; endLine: number; text: string } | undefined> {
  const lines = await read({ ...piece, startLine: definition.startLine, endLine: Math.min(piece.startLine - 1, definition.startLine + SIGNATURE_SEARCH_LINES - 1) });
  const found = lines === null ? undefined : signatureLines(lines.split('\n'), definition.name);
  if (lines === null || found === undefined) return undefined;
  return { startLine: definition.startLine + found.first, endLine: definition.startLine + found.last, text: lines.split('\n').slice(found.first, found.last + 1).join('\n') };
}

/**
 * Where the signature of the type or impl that holds a chunk's first member by indentation is (core/retrieval/signature
 * enclosingSignature), found in the file's lines as they would be sent, with why it goes — read only if it goes; undefined for a chunk that defines no member of another
 * definition, or whose holder's signature is not found above it; `adjacent` when only blank lines part it from the
 * chunk. A piece of a long member is placed by the member's first line (`from`), not by the piece's.
 */
async function holderOf(read: ChunkReader, chunk: IndexedChunk, from: number): Promise<{ startLine: number; endLine: number; reason: string; adjacent: boolean } | undefined> {
  const member = chunk.symbols.find((s) => s.includes('.'));
  const parts = member?.split('.') ?? [];
  const container = parts.at(-2);
  const lines = container === undefined || from <= 1 ? null : await read.lines(chunk);
  const first = lines?.slice(from - 1, chunk.endLine).find((l) => l.trim() !== '');
  if (container === undefined || lines === null || first === undefined) return undefined;
  const found = enclosingSignature(lines.slice(0, from - 1), first, container);
  if (found === undefined) return undefined;
  const adjacent = from === chunk.startLine && lines.slice(found.last + 1, from - 1).every((l) => l.trim() === '');
  return { startLine: found.first + 1, endLine: found.last + 1, reason: `the signature of ${container}, which holds ${parts.at(-1)} (lines ${chunk.startLine}–${chunk.endLine})`, adjacent };
}

interface ChunkReader {
  (chunk: IndexedChunk): Promise<string | null>;
  /** The lines of the chunk's file as they would be sent (screened), to look in and not to send: nothing is noted; null when the file is not sent. */
  lines(chunk: IndexedChunk): Promise<string[] | null>;
  /** What was withheld of the chunks read, one note per item ("X left out: reason"). */
  notes(): string[];
}

/** A file as read for its chunks: its screened lines, or why none of it is sent. */
type ReadFile = { lines: string[]; screened: Screened } | { leftOut: string };

/**
 * Reads chunks' lines from the workspace, each file once and screened whole (a private key may span chunks; whether a
 * file is nothing but credentials is a question about all of it); null for a chunk that is not sent: its file is
 * left out as secret, can no longer be read, or has changed so that the chunk's lines are no longer there (a stale
 * index entry). Each withheld item is noted: a file once, a value redacted in the lines sent once.
 */
function chunkReader(root: string): ChunkReader {
  const files = new Map<string, Promise<ReadFile>>();
  const notes: string[] = [];
  const note = (n: string): void => {
    if (!notes.includes(n)) notes.push(n);
  };
  const file = (chunk: IndexedChunk): Promise<ReadFile> => {
    let read = files.get(chunk.path);
    if (read === undefined) {
      read = readFile(path.join(root, chunk.path), 'utf8').then(
        (text): ReadFile => {
          const screened = screenText(chunk.path, text);
          return screened.leftOut !== undefined ? { leftOut: screened.leftOut } : { lines: screened.text.split(/\r?\n/), screened };
        },
        (): ReadFile => ({ leftOut: 'gone since it was indexed (the index is refreshed on the next ask)' }),
      );
      files.set(chunk.path, read);
    }
    return read;
  };
  const read = async (chunk: IndexedChunk): Promise<string | null> => {
    const got = await file(chunk);
    if ('leftOut' in got) {
      note(`${chunk.path} left out: ${got.leftOut}`);
      return null;
    }
    if (chunk.startLine > got.lines.length) {
      note(`${chunk.path} lines ${chunk.startLine}–${chunk.endLine} left out: changed since it was indexed (the index is refreshed on the next ask)`);
      return null;
    }
    const within = got.screened.finds.filter((f) => f.line >= chunk.startLine && f.line <= chunk.endLine);
    for (const n of redactionNotes(chunk.path, within)) note(n);
    return got.lines.slice(chunk.startLine - 1, chunk.endLine).join('\n');
  };
  const lines = async (chunk: IndexedChunk): Promise<string[] | null> => {
    const got = await file(chunk);
    return 'leftOut' in got ? null : got.lines;
  };
  return Object.assign(read, { lines, notes: () => [...notes] });
}

/** A name defined in more chunks than this says too little (`run`, `get`): its definitions are not sent. */
export const MAX_DEFINING_CHUNKS = 3;

/**
 * Where `names` are defined (what a selection calls and no attached file defines): for each name defined in one to
 * MAX_DEFINING_CHUNKS chunks, those chunks, read from disk and screened, first name first; nothing for a name defined nowhere
 * or in many. A definition in a test, an example or another file beside the product goes only for a selection (`from`,
 * its paths) in such a file: product code that calls `error()` is not answered by an example's `error`.
 */
export async function definitionChunks(index: WorkspaceIndex, root: string, names: readonly string[], from: readonly string[] = []): Promise<Retrieved> {
  const read = chunkReader(root);
  const items: ContextItem[] = [];
  const seen = new Set<IndexedChunk>();
  const beside = (p: string): boolean => isTestPath(p) || isAsidePath(p);
  const besideToo = from.some(beside);
  for (const name of names) {
    const found = index.defining(name).filter((chunk) => besideToo || !beside(chunk.path));
    if (found.length === 0 || found.length > MAX_DEFINING_CHUNKS) continue;
    for (const chunk of found) {
      if (seen.has(chunk)) continue;
      seen.add(chunk);
      const text = await read(chunk);
      if (text !== null) items.push(contextItem({ source: 'retrieved', path: chunk.path, startLine: chunk.startLine, endLine: chunk.endLine, text, reason: `defines ${name}` }));
    }
  }
  return { items, secretNotes: read.notes() };
}
