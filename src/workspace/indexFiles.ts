/**
 * The workspace index's files as stored, and their checked reading: a manifest or a journal line is taken only when
 * every field has its type, so a truncated, garbled or foreign file is reported (and the index built again) instead of
 * failing every ask that reads it.
 */
import { secretKindOf, type SecretKind } from '../core/secrets/secretFiles';
import type { FileSkipReason } from './walk';

export const MANIFEST = 'manifest.json';
export const vectorsFile = (generation: number): string => `vectors-${generation}.bin`;
export const termsFile = (generation: number): string => `terms-${generation}.bin`;
export const journalFile = (generation: number): string => `journal-${generation}.jsonl`;
/** A generation's file name: `vectors-3.bin`, `terms-3.bin`, `journal-3.jsonl`; the number is the group. */
export const GENERATION_FILE = /^(?:vectors-(\d+)\.bin|terms-(\d+)\.bin|journal-(\d+)\.jsonl)$/;

export interface StoredChunk {
  startLine: number;
  endLine: number;
  symbols: string[];
  /** Names the chunk uses and does not define, when a parser read its file (format 4). */
  references: string[];
  tokens: number;
  scale: number;
  terms: number;
  length: number;
}

export interface StoredFile {
  path: string;
  size: number;
  mtimeMs: number;
  chunks: StoredChunk[];
}

export interface StoredLeft {
  path: string;
  size: number;
  mtimeMs: number;
  reason: FileSkipReason;
  /** What a file left out as secret is ("credentials"). */
  kind?: SecretKind;
}

export interface IndexManifest {
  version: number;
  embedder: string;
  dimension: number;
  generation: number;
  files: StoredFile[];
  /** Files read and left out (binary, holding a key), so they are read again only when they change. */
  left: StoredLeft[];
}

/** A journal line: a file's new entry (vectors and terms base64), a file left out, or a file gone. */
export interface JournalLine {
  path: string;
  file?: StoredFile & { vectors: string; ids: string; counts: string };
  left?: StoredLeft;
}

const SKIP_REASONS: readonly FileSkipReason[] = ['ignored', 'excluded', 'vendored or generated', 'lock or generated file', 'binary', 'too large', 'secret'];

/** Thrown with what is wrong and where (`files[3].chunks[0].scale is not a number`). */
class Malformed extends Error {}

type Json = Record<string, unknown>;

function object(value: unknown, where: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Malformed(`${where} is not an object`);
  return value as Json;
}

function array(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new Malformed(`${where} is not a list`);
  return value;
}

function number(value: unknown, where: string, whole = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || (whole && (!Number.isInteger(value) || value < 0))) {
    throw new Malformed(`${where} is not ${whole ? 'a whole number' : 'a number'}`);
  }
  return value;
}

function string(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new Malformed(`${where} is not a string`);
  return value;
}

function storedFile(value: unknown, where: string): StoredFile {
  const f = object(value, where);
  return {
    path: string(f.path, `${where}.path`),
    size: number(f.size, `${where}.size`, true),
    mtimeMs: number(f.mtimeMs, `${where}.mtimeMs`),
    chunks: array(f.chunks, `${where}.chunks`).map((c, i) => {
      const at = `${where}.chunks[${i}]`;
      const chunk = object(c, at);
      return {
        startLine: number(chunk.startLine, `${at}.startLine`, true),
        endLine: number(chunk.endLine, `${at}.endLine`, true),
        symbols: array(chunk.symbols, `${at}.symbols`).map((s, j) => string(s, `${at}.symbols[${j}]`)),
        references: array(chunk.references, `${at}.references`).map((s, j) => string(s, `${at}.references[${j}]`)),
        tokens: number(chunk.tokens, `${at}.tokens`),
        scale: number(chunk.scale, `${at}.scale`),
        terms: number(chunk.terms, `${at}.terms`, true),
        length: number(chunk.length, `${at}.length`),
      };
    }),
  };
}

function storedLeft(value: unknown, where: string): StoredLeft {
  const l = object(value, where);
  const reason = string(l.reason, `${where}.reason`);
  if (!(SKIP_REASONS as readonly string[]).includes(reason)) throw new Malformed(`${where}.reason is not a reason a file is left out for`);
  return {
    path: string(l.path, `${where}.path`),
    size: number(l.size, `${where}.size`, true),
    mtimeMs: number(l.mtimeMs, `${where}.mtimeMs`),
    reason: reason as FileSkipReason,
    // A kind this version does not know (an index written by another) is read as plain "credentials".
    ...(l.kind !== undefined ? { kind: secretKindOf(string(l.kind, `${where}.kind`)) } : {}),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new Malformed(`is not JSON (${(err as Error).message})`);
  }
}

/** Which index the manifest describes (format, embedder, dimension, generation): enough to tell a foreign one. */
export function manifestHeader(text: string): Pick<IndexManifest, 'version' | 'embedder' | 'dimension' | 'generation'> {
  const m = object(parseJson(text), 'the manifest');
  return {
    version: number(m.version, 'version'),
    embedder: string(m.embedder, 'embedder'),
    dimension: number(m.dimension, 'dimension', true),
    generation: number(m.generation, 'generation', true),
  };
}

/** The whole manifest, every field checked; throws an Error saying which field is wrong. */
export function parseIndexManifest(text: string): IndexManifest {
  const header = manifestHeader(text);
  const m = object(parseJson(text), 'the manifest');
  return {
    ...header,
    files: array(m.files, 'files').map((f, i) => storedFile(f, `files[${i}]`)),
    left: array(m.left, 'left').map((l, i) => storedLeft(l, `left[${i}]`)),
  };
}

/** One journal line, every field checked; throws an Error saying which field is wrong. */
export function parseJournalLine(text: string): JournalLine {
  const line = object(parseJson(text), 'the line');
  const path = string(line.path, 'path');
  let file: JournalLine['file'];
  if (line.file !== undefined) {
    const f = object(line.file, 'file');
    file = { ...storedFile(f, 'file'), vectors: string(f.vectors, 'file.vectors'), ids: string(f.ids, 'file.ids'), counts: string(f.counts, 'file.counts') };
  }
  return { path, ...(file ? { file } : {}), ...(line.left !== undefined ? { left: storedLeft(line.left, 'left') } : {}) };
}
