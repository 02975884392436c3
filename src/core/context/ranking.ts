/**
 * Ranks a workspace's chunks for a question: BM25 of the question's words over whole files and over chunks, the
 * embedder's similarity, raised where the chunk defines an identifier the question names, sits in a file it names,
 * or uses an identifier it names; then ordered so the best chunk of each file comes before the second-best of any
 * (the file a question is about matters more than a second chunk of another).
 */
import { pathMatches, type Mentions } from './mentions';

/** What the ranking knows of an indexed chunk. */
export interface ChunkRef {
  path: string;
  startLine: number;
  endLine: number;
  symbols: readonly string[];
}

export interface RankedChunk<C extends ChunkRef = ChunkRef> {
  chunk: C;
  score: number;
  /** Why it was chosen, in the user's words. */
  reason: string;
}

/** What a chunk's score is made of: its file's and its own BM25 (each in [0, 1], 1 the best) and its vector's similarity. */
export interface Signals {
  similarity: number;
  chunkText: number;
  fileText: number;
}

/** Weights of the signals: the file's words first, as the user asks about a file more often than about a passage. */
export const WEIGHT = { fileText: 1, chunkText: 0.5, similarity: 0.5 } as const;
/** Added for each kind of exact match of what the question names: a named definition outranks any text match (at most 2). */
export const BOOST = { defines: 2, namedFile: 1, uses: 0.5 } as const;
/** Each further chunk of the same file counts this much less, so more files are seen. */
export const SAME_FILE_PENALTY = 0.3;

const lastPart = (symbol: string): string => symbol.split('.').at(-1) ?? symbol;

/** Whether the chunk defines `id` (a symbol of it is `id`, or a member named `id`: `Cells.width` for `width`). */
export const defines = (chunk: ChunkRef, id: string): boolean => chunk.symbols.some((s) => s === id || lastPart(s) === id);

/** Whether a boost may apply: the chunk defines a named identifier or sits in a named file. */
export function mayBoost(chunk: ChunkRef, mentions: Mentions): boolean {
  return mentions.identifiers.some((id) => defines(chunk, id)) || mentions.files.some((f) => pathMatches(chunk.path, f));
}

/** How many chunks define each named identifier: a name defined in many places (`print`, `run`) says less. */
export function definers(chunks: Iterable<ChunkRef>, mentions: Mentions): Map<string, number> {
  const counts = new Map<string, number>();
  for (const chunk of chunks) for (const id of mentions.identifiers) if (defines(chunk, id)) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

/**
 * The first ranking: the weighted signals plus the boosts that need no text — a definition the question names (shared
 * among the chunks that define that name), a file it names.
 */
export function scoreChunk<C extends ChunkRef>(chunk: C, signals: Signals, mentions: Mentions, definitions: ReadonlyMap<string, number> = new Map()): RankedChunk<C> {
  const defined = mentions.identifiers.find((id) => defines(chunk, id));
  const file = mentions.files.find((f) => pathMatches(chunk.path, f));
  const text = WEIGHT.fileText * signals.fileText + WEIGHT.chunkText * signals.chunkText;
  const vector = WEIGHT.similarity * signals.similarity;
  const definedBoost = defined === undefined ? 0 : BOOST.defines / Math.max(1, definitions.get(defined) ?? 1);
  const score = text + vector + definedBoost + (file !== undefined ? BOOST.namedFile : 0);
  const reason = defined !== undefined ? `defines ${defined}` : file !== undefined ? `in ${file}, which the question names` : text >= vector ? 'shares words with the question' : 'similar to the question';
  return { chunk, score, reason };
}

const patterns = new Map<string, RegExp>();
/** The identifier as a whole word (not a part of a longer name). */
function usePattern(id: string): RegExp {
  let pattern = patterns.get(id);
  if (pattern === undefined) {
    if (patterns.size > 1000) patterns.clear();
    pattern = new RegExp(`(?<![\\w$])${id.replace(/[.$]/g, '\\$&')}(?![\\w$])`);
    patterns.set(id, pattern);
  }
  return pattern;
}

/** Whether `text` uses the identifier `id` as a whole word. */
export function usesIdentifier(text: string, id: string): boolean {
  return usePattern(id).test(text);
}

/** Raises a chunk whose text uses identifiers the question names (by the share of them it uses). */
export function withUses<C extends ChunkRef>(ranked: RankedChunk<C>, text: string, mentions: Mentions): RankedChunk<C> {
  const used = mentions.identifiers.filter((id) => usesIdentifier(text, id));
  if (used.length === 0) return ranked;
  const share = used.length / mentions.identifiers.length;
  const reason = ranked.reason.startsWith('defines') || ranked.reason.startsWith('in ') ? ranked.reason : `uses ${used.slice(0, 2).join(', ')}`;
  return { ...ranked, score: ranked.score + BOOST.uses * share, reason };
}

/** The chunks best first, each further chunk of a file lowered by its rank within the file. */
export function diversify<C extends ChunkRef>(ranked: readonly RankedChunk<C>[]): RankedChunk<C>[] {
  const byScore = [...ranked].sort((a, b) => b.score - a.score);
  const seen = new Map<string, number>();
  const adjusted = byScore.map((r) => {
    const n = seen.get(r.chunk.path) ?? 0;
    seen.set(r.chunk.path, n + 1);
    return { r, key: r.score - SAME_FILE_PENALTY * n };
  });
  return adjusted.sort((a, b) => b.key - a.key).map((a) => a.r);
}
