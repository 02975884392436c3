/**
 * The search evidence's calibration (what the calibration questions find in an index: core/retrieval/searchEvidence
 * calibrationScores) kept beside the index on disk, so that a new session — each `smcs ask --workspace`, a restarted
 * editor — does not score the 440 questions again before its first ask (~7 s on 3,000 generated files). It is used only while
 * it still holds: the same questions, an index within RESCORE_SHARE of the one it was scored on, and the questions that
 * found the most there finding exactly that again now (a change of the index's text or of the ranking moves them). A
 * file that cannot be read, or does not hold, is scored again and written anew; one that cannot be written is not kept.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CALIBRATION_PROSE } from '../core/retrieval/searchEvidence';

/** The questions whose scores are checked again before a saved calibration is used: those that found the most. */
const PROBES = 8;
const FILE = 'calibration.json';

interface Saved {
  questions: string;
  files: number;
  chunks: number;
  /** Each calibration question's score, in CALIBRATION_PROSE's order. */
  scores: number[];
}

/** What the calibration is scored on: the index's size, and each question's score against it. */
export interface CalibrationSource {
  dir: string;
  files: number;
  chunks: number;
  /** Whether two sizes are near enough for one calibration (evidenceLookup RESCORE_SHARE). */
  near(was: number, now: number): boolean;
  score(question: string): number;
}

const questionsHash = (): string => createHash('sha256').update(JSON.stringify(CALIBRATION_PROSE)).digest('hex');

/** The indices of the questions that found the most, at most PROBES. */
function probes(scores: readonly number[]): number[] {
  return scores
    .map((score, i) => ({ score, i }))
    .filter((p) => p.score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, PROBES)
    .map((p) => p.i);
}

/** The saved scores when they still hold for `source`, else undefined. */
function savedScores(source: CalibrationSource): Float64Array | undefined {
  let saved: Partial<Saved> | null;
  try {
    saved = JSON.parse(readFileSync(path.join(source.dir, FILE), 'utf8')) as Partial<Saved> | null;
  } catch {
    return undefined;
  }
  const scores = saved?.scores;
  if (saved?.questions !== questionsHash() || typeof saved.files !== 'number' || typeof saved.chunks !== 'number' || !Array.isArray(scores) || scores.length !== CALIBRATION_PROSE.length || !scores.every((x) => typeof x === 'number' && Number.isFinite(x))) return undefined;
  if (!source.near(saved.files, source.files) || !source.near(saved.chunks, source.chunks)) return undefined;
  const holds = probes(scores).every((i) => source.score(CALIBRATION_PROSE[i] as string) === scores[i]);
  return holds ? Float64Array.from(scores) : undefined;
}

/**
 * Writes the scores beside the index (a temporary file renamed over the old): a reader sees the old file or the new one.
 * The temporary file has one name, so a process killed between the two steps (or a disk that filled while it was
 * written) leaves one behind at most, which the next save replaces; two sessions saving at once write the same scores,
 * and a file they garbled is scored again. Nothing here fails the ask: a calibration that cannot be kept is not kept.
 */
function save(source: CalibrationSource, scores: Float64Array): void {
  const target = path.join(source.dir, FILE);
  const temp = `${target}.tmp`;
  const saved: Saved = { questions: questionsHash(), files: source.files, chunks: source.chunks, scores: [...scores] };
  try {
    writeFileSync(temp, JSON.stringify(saved));
  } catch {
    return;
  }
  try {
    renameSync(temp, target);
  } catch {
    rmSync(temp, { force: true });
  }
}

/** Each calibration question's score against the index: the saved ones while they hold, else `scoreAll()`'s, saved. */
export function calibrationOf(source: CalibrationSource, scoreAll: () => Float64Array): Float64Array {
  const saved = savedScores(source);
  if (saved !== undefined) return saved;
  const scores = scoreAll();
  save(source, scores);
  return scores;
}
