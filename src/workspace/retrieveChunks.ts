/**
 * Workspace retrieval for one question: the index's files ranked for it (core/context/ranking — files first, then
 * the parts of the chosen ones, above a floor relative to the best), the chosen chunks read from disk and screened for
 * secrets as the files are now, not as they were indexed (a file can change without changing its size and time).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { contextItem, type ContextItem } from '../core/context/contextItem';
import { mentionsIn } from '../core/context/mentions';
import { screenNote, screenText } from '../core/context/secretFiles';
import { rankQuery, rankWorkspace } from '../core/context/ranking';
import type { Embedder } from '../core/contracts/types';
import type { IndexedChunk, WorkspaceIndex } from './workspaceIndex';

export interface Retrieved {
  /** Best first, each with its score and reason. */
  items: ContextItem[];
  /** Why nothing was found, when nothing was. */
  note?: string;
  /** The files whose chunks were left out or redacted as secret, one sentence each. */
  secretNotes: string[];
}

export async function retrieveChunks(index: WorkspaceIndex, embedder: Embedder, root: string, question: string, signal?: AbortSignal): Promise<Retrieved> {
  if (index.chunkCount === 0) return { items: [], note: 'the workspace has no files to search', secretNotes: [] };
  const [vector] = await embedder.embed([question], signal);
  if (vector === undefined) return { items: [], secretNotes: [] };
  const ranking = rankWorkspace(index.rankable(vector), rankQuery(question, mentionsIn(question)));
  const read = chunkReader(root);
  const items: ContextItem[] = [];
  for (const { chunk, score, reason } of ranking.chunks) {
    const text = await read(chunk);
    if (text !== null) items.push(contextItem({ source: 'retrieved', path: chunk.path, startLine: chunk.startLine, endLine: chunk.endLine, text, reason, score }));
  }
  return { items, ...(ranking.note !== undefined ? { note: ranking.note } : {}), secretNotes: read.notes() };
}

interface ChunkReader {
  (chunk: IndexedChunk): Promise<string | null>;
  /** What was left out or redacted of the files read, one sentence per file. */
  notes(): string[];
}

/**
 * Reads chunks' lines from the workspace, each file once and screened whole (a private key may span chunks; whether a
 * file is nothing but credentials is a question about all of it); null for a file that can no longer be read or is
 * left out as secret.
 */
function chunkReader(root: string): ChunkReader {
  const texts = new Map<string, Promise<string[] | null>>();
  const notes = new Map<string, string>();
  const read = async (chunk: IndexedChunk): Promise<string | null> => {
    let lines = texts.get(chunk.path);
    if (lines === undefined) {
      lines = readFile(path.join(root, chunk.path), 'utf8').then(
        (text) => {
          const screened = screenText(chunk.path, text);
          const note = screenNote(chunk.path, screened);
          if (note !== undefined) notes.set(chunk.path, note);
          return screened.leftOut !== undefined ? null : screened.text.split(/\r?\n/);
        },
        () => null,
      );
      texts.set(chunk.path, lines);
    }
    const all = await lines;
    return all === null ? null : all.slice(chunk.startLine - 1, chunk.endLine).join('\n');
  };
  return Object.assign(read, { notes: () => [...notes.values()] });
}

/** A name defined in more chunks than this says too little (`run`, `get`): its definitions are not sent. */
export const MAX_DEFINERS = 3;

/**
 * Where `names` are defined (what a selection calls and no attached file defines): for each name defined in one to
 * MAX_DEFINERS chunks, those chunks, read from disk and screened, first name first; nothing for a name defined nowhere
 * or in many.
 */
export async function definitionChunks(index: WorkspaceIndex, root: string, names: readonly string[]): Promise<Retrieved> {
  const read = chunkReader(root);
  const items: ContextItem[] = [];
  const seen = new Set<IndexedChunk>();
  for (const name of names) {
    const found = index.defining(name);
    if (found.length === 0 || found.length > MAX_DEFINERS) continue;
    for (const chunk of found) {
      if (seen.has(chunk)) continue;
      seen.add(chunk);
      const text = await read(chunk);
      if (text !== null) items.push(contextItem({ source: 'retrieved', path: chunk.path, startLine: chunk.startLine, endLine: chunk.endLine, text, reason: `defines ${name}` }));
    }
  }
  return { items, secretNotes: read.notes() };
}
