/**
 * Workspace retrieval for one question: every indexed chunk scored by BM25 of the question's words (its file's and
 * its own), the embedder's similarity and the exact matches of what the question names (core/context/ranking); the
 * best candidates read from disk, raised where they use a named identifier, and returned best first, one file's
 * further chunks after other files' best.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { contextItem, type ContextItem } from '../core/context/contextItem';
import { mentionsIn } from '../core/context/mentions';
import { definers, diversify, mayBoost, scoreChunk, WEIGHT, withUses, type RankedChunk } from '../core/context/ranking';
import { queryTermIds } from '../core/context/terms';
import type { Embedder } from '../core/contracts/types';
import type { ChunkSignals, IndexedChunk, WorkspaceIndex } from './workspaceIndex';

/** Chunks read from disk and ranked again by their text. */
const CANDIDATES = 100;
/** Chunks returned: more than any budget keeps, so the budget decides. */
export const RETRIEVED_LIMIT = 60;

/** The `k` items with the highest `score`, best first, without sorting them all. */
function topBy<T>(items: readonly T[], score: (item: T) => number, k: number): T[] {
  const values = Float64Array.from(items, score);
  const order = Array.from(values.keys());
  if (order.length > 4 * k) {
    const cut = [...values].sort((a, b) => b - a)[k - 1] ?? -Infinity;
    return order.filter((i) => (values[i] as number) >= cut).sort((a, b) => (values[b] as number) - (values[a] as number)).slice(0, k).map((i) => items[i] as T);
  }
  return order.sort((a, b) => (values[b] as number) - (values[a] as number)).slice(0, k).map((i) => items[i] as T);
}

export async function retrieveChunks(index: WorkspaceIndex, embedder: Embedder, root: string, question: string, signal?: AbortSignal): Promise<ContextItem[]> {
  if (index.chunkCount === 0) return [];
  const [query] = await embedder.embed([question], signal);
  if (query === undefined) return [];
  const mentions = mentionsIn(question);
  const all = index.signals(query, queryTermIds(question));
  const definitions = definers(all.map((s) => s.chunk), mentions);
  // Boosts only add: the best by signals alone, and every chunk a boost may apply to, hold the best after boosting.
  const boostable = (s: ChunkSignals) => definitions.size > 0 || mentions.files.length > 0 ? mayBoost(s.chunk, mentions) : false;
  const plain = (s: ChunkSignals) => WEIGHT.fileText * s.fileText + WEIGHT.chunkText * s.chunkText + WEIGHT.similarity * s.similarity;
  const shortlist = [...all.filter(boostable), ...topBy(all, plain, CANDIDATES)];
  const first = [...new Set(shortlist)].map(({ chunk, ...signals }) => scoreChunk(chunk, signals, mentions, definitions));
  first.sort((a, b) => b.score - a.score);
  const candidates = first.slice(0, CANDIDATES);
  const read = chunkReader(root);
  const reranked: RankedChunk<IndexedChunk & { text: string }>[] = [];
  for (const r of candidates) {
    const text = await read(r.chunk);
    if (text === null) continue;
    const withText = { ...r, chunk: { ...r.chunk, text } };
    reranked.push(mentions.identifiers.length > 0 ? withUses(withText, text, mentions) : withText);
  }
  return diversify(reranked)
    .slice(0, RETRIEVED_LIMIT)
    .map(({ chunk, reason }) => contextItem({ source: 'retrieved', path: chunk.path, startLine: chunk.startLine, endLine: chunk.endLine, text: chunk.text, reason }));
}

/** Reads chunks' lines from the workspace, each file once; null for a file that can no longer be read. */
function chunkReader(root: string): (chunk: IndexedChunk) => Promise<string | null> {
  const texts = new Map<string, Promise<string[] | null>>();
  return async (chunk) => {
    let lines = texts.get(chunk.path);
    if (lines === undefined) {
      lines = readFile(path.join(root, chunk.path), 'utf8').then((t) => t.split(/\r?\n/), () => null);
      texts.set(chunk.path, lines);
    }
    const all = await lines;
    return all === null ? null : all.slice(chunk.startLine - 1, chunk.endLine).join('\n');
  };
}

/** A name defined in more chunks than this says too little (`run`, `get`): its definitions are not sent. */
export const MAX_DEFINERS = 3;

/**
 * Where `names` are defined (what a selection calls and no attached file defines): for each name defined in one to
 * MAX_DEFINERS chunks, those chunks, read from disk, first name first; nothing for a name defined nowhere or in many.
 */
export async function definitionChunks(index: WorkspaceIndex, root: string, names: readonly string[]): Promise<ContextItem[]> {
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
  return items;
}
