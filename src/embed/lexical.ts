/**
 * A weight-free, deterministic, stateless embedder: hashed word unigrams and bigrams with a
 * TF-IDF-style weighting, for air-gapped use and tests.
 *
 * Scheme v1 (changing any rule below must bump LEXICAL_SCHEME_VERSION, because banks built with
 * one scheme must refuse the other):
 * - Tokens: runs of letters/digits/`_`/`$` (identifiers, words, numbers) and runs of operator
 *   characters `+ - * / % = < > ! & | ^ ~ ? :` (so `=>`, `!==`, `::`, `->`, `&&` stay whole).
 *   Everything else (spaces, brackets, `.`, `,`, `;`, quotes) separates tokens.
 * - Identifiers are split at `_`, `$`, camelCase and letter/digit boundaries (`parseHTTPResponse2`
 *   → `parse http response 2`); a multi-part identifier also yields its whole lower-cased form.
 *   Parts are lower-cased; a light plural rule maps `entries`→`entry`, `lists`→`list`.
 * - Features and weights (the IDF surrogate; no corpus statistics are needed):
 *   word part 1.0; one-character part 0.3; stop word 0.15; whole multi-part identifier 0.7;
 *   operator 0.4; bigram of consecutive non-stop-word parts 0.7.
 * - Term frequency is sublinear: value = weight · (1 + ln tf).
 * - Signed feature hashing (FNV-1a + murmur3 finaliser) into dimensions 1 … d−1, sign from a
 *   second hash, which makes collisions cancel on average instead of piling up.
 * - The vector is L2-normalised.
 * - Empty rule: a text with no token at all (empty, whitespace, only punctuation), or the rare text
 *   whose hashed features cancel out exactly, maps to the unit vector on dimension 0, which no feature ever hashes into. So every output is unit length,
 *   all empty texts are identical, and an empty text is orthogonal to every non-empty one.
 */
import type { Embedder } from '../core/contracts/types';
import { hash32 } from '../core/util/hash';
import { normaliseInPlace } from '../core/util/vectorMath';

/** Version of the tokenisation/weighting/hashing scheme; part of the embedder id. */
export const LEXICAL_SCHEME_VERSION = 'v1';
export const DEFAULT_LEXICAL_DIMENSION = 512;
export const MIN_LEXICAL_DIMENSION = 16;
export const MAX_LEXICAL_DIMENSION = 1 << 20;

export interface LexicalEmbedderOptions {
  /** Vector length (default 512). Dimension 0 is reserved for the empty-text marker. */
  dimension?: number;
}

/** Kind of a token produced by {@link tokenizeForLexical}. */
export type LexicalTokenKind = 'word' | 'stopword' | 'identifier' | 'operator';

export interface LexicalToken {
  text: string;
  kind: LexicalTokenKind;
}

const WEIGHTS = {
  word: 1.0,
  shortWord: 0.3,
  stopword: 0.15,
  identifier: 0.7,
  operator: 0.4,
  bigram: 0.7,
} as const;

/**
 * English function words. Kept (at a low weight) rather than dropped, so a text made only of
 * them still has features; excluded from bigrams.
 */
const STOP_WORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'the', 'and', 'or', 'but', 'of', 'to', 'in', 'on', 'at', 'by', 'for', 'from', 'with',
  'as', 'into', 'about', 'is', 'are', 'was', 'were', 'be', 'been', 'being', 'am', 'do', 'does',
  'did', 'doing', 'have', 'has', 'had', 'i', 'me', 'my', 'we', 'our', 'you', 'your', 'he', 'she',
  'it', 'its', 'they', 'them', 'their', 'this', 'that', 'these', 'those', 'there', 'here', 'what',
  'which', 'who', 'whom', 'how', 'why', 'when', 'where', 'can', 'could', 'should', 'would', 'will',
  'shall', 'may', 'might', 'must', 'so', 'than', 'then', 'too', 'very', 'just', 'also', 'some',
  'any', 'all', 'each', 'such', 'only', 'own', 'same', 'other', 'more', 'most', 'please', 'get',
]);

const TOKEN_PATTERN = /[\p{L}\p{M}\p{N}_$]+|[+\-*/%=<>!&|^~?:]+/gu;
const OPERATOR_START = /^[+\-*/%=<>!&|^~?:]/;
/** camelCase / acronym / digit / caseless-script boundaries inside one identifier chunk. */
const PART_PATTERN = /\p{Lu}+(?=\p{Lu}\p{Ll})|\p{Lu}?[\p{Ll}\p{M}]+|\p{Lu}+[\p{M}]*|\p{N}+|[\p{L}\p{M}]+/gu;

/** Splits text into the tokens the lexical scheme weights (exported for inspection and tests). */
export function tokenizeForLexical(text: string): LexicalToken[] {
  const tokens: LexicalToken[] = [];
  for (const match of text.matchAll(TOKEN_PATTERN)) {
    const raw = match[0];
    if (OPERATOR_START.test(raw)) {
      tokens.push({ text: raw, kind: 'operator' });
      continue;
    }
    const parts = raw
      .split(/[_$]+/)
      .flatMap((chunk) => chunk.match(PART_PATTERN) ?? [])
      .map((part) => singular(part.toLowerCase()));
    for (const part of parts) {
      tokens.push({ text: part, kind: STOP_WORDS.has(part) ? 'stopword' : 'word' });
    }
    if (parts.length > 1) {
      tokens.push({ text: raw.toLowerCase().replace(/^[_$]+|[_$]+$/g, ''), kind: 'identifier' });
    }
  }
  return tokens;
}

/** Light plural rule: `entries`→`entry`, `lists`→`list`; leaves `class`, `status`, `this`, `bus` alone. */
function singular(word: string): string {
  if (word.length >= 5 && word.endsWith('ies')) {
    return `${word.slice(0, -3)}y`;
  }
  if (word.length >= 4 && word.endsWith('s') && !/(ss|us|is)$/.test(word)) {
    return word.slice(0, -1);
  }
  return word;
}

/** Weighted features of a text before hashing: key → weight · (1 + ln tf). */
export function lexicalFeatures(text: string): Map<string, number> {
  const counts = new Map<string, { weight: number; tf: number }>();
  const add = (key: string, weight: number): void => {
    const entry = counts.get(key);
    if (entry) {
      entry.tf += 1;
    } else {
      counts.set(key, { weight, tf: 1 });
    }
  };
  let previousContent: string | undefined;
  for (const token of tokenizeForLexical(text)) {
    switch (token.kind) {
      case 'operator':
        add(`o:${token.text}`, WEIGHTS.operator);
        break;
      case 'identifier':
        add(`i:${token.text}`, WEIGHTS.identifier);
        break;
      case 'stopword':
        add(`w:${token.text}`, WEIGHTS.stopword);
        break;
      case 'word':
        add(`w:${token.text}`, [...token.text].length === 1 ? WEIGHTS.shortWord : WEIGHTS.word);
        if (previousContent !== undefined) {
          add(`b:${previousContent} ${token.text}`, WEIGHTS.bigram);
        }
        previousContent = token.text;
        break;
    }
  }
  const features = new Map<string, number>();
  for (const [key, { weight, tf }] of counts) {
    features.set(key, weight * (1 + Math.log(tf)));
  }
  return features;
}

/** Hashed word/bigram TF-IDF embedder. `id` = `lexical:<scheme version>:<dimension>`. */
export class LexicalEmbedder implements Embedder {
  readonly id: string;
  private readonly size: number;

  constructor(options: LexicalEmbedderOptions = {}) {
    const size = options.dimension ?? DEFAULT_LEXICAL_DIMENSION;
    if (!Number.isInteger(size) || size < MIN_LEXICAL_DIMENSION || size > MAX_LEXICAL_DIMENSION) {
      throw new RangeError(
        `LexicalEmbedder: dimension must be an integer from ${MIN_LEXICAL_DIMENSION} to ${MAX_LEXICAL_DIMENSION}, got ${String(size)}`,
      );
    }
    this.size = size;
    this.id = `lexical:${LEXICAL_SCHEME_VERSION}:${size}`;
  }

  /** The configured vector length (no loading needed). */
  dimension(): Promise<number> {
    return Promise.resolve(this.size);
  }

  /** Embeds each text (see the module comment for the scheme); checks `signal` between texts. */
  async embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    return texts.map((text, index) => {
      signal?.throwIfAborted();
      if (typeof text !== 'string') {
        throw new TypeError(`LexicalEmbedder: texts[${index}] must be a string, got ${typeof text}`);
      }
      return this.embedOne(text);
    });
  }

  /** Synchronous single-text form of {@link embed}. */
  embedOne(text: string): Float32Array {
    // Hot loop: the bucket index is 1 + hash % (size - 1), always inside `vector`, hence the `!`.
    const vector = new Float32Array(this.size);
    const buckets = this.size - 1;
    for (const [key, value] of lexicalFeatures(text)) {
      const index = 1 + (hash32(key, 0) % buckets);
      const sign = hash32(key, 0x9e3779b9) & 1 ? -1 : 1;
      vector[index]! += sign * value;
    }
    const norm = normaliseInPlace(vector);
    if (!(norm > 0)) {
      vector.fill(0);
      vector[0] = 1;
    }
    return vector;
  }
}
