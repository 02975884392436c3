/**
 * Import benchmark: the time to import a synthetic set the size and shape of MMLU-Pro's published outputs
 * (29 files, about 300k records, 10.4k questions, quirks included) into a new bank, by phase, with a given embedder.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Embedder } from '../core/contracts/types';
import { importFiles } from '../bank/transfer/importers';
import { importRecords, type ImportProgress } from '../bank/transfer/importRecords';
import { openBank } from '../bank/openBank';
import { writeSyntheticMmluPro, type SynthOptions, type SynthSummary } from './mmluProSynth';

export interface ImportBenchmark {
  files: number;
  /** Records (JSON objects) in the files. */
  records: number;
  /** Questions in the bank afterwards. */
  questions: number;
  /** Entries skipped (the bare strings). */
  skipped: number;
  /** Wall time of the whole import: reading and merging, embedding, writing. */
  ms: number;
  /** Wall time per phase (reading = parsing and merging the files; validate; embed; write = the commit). */
  phasesMs: Record<ImportProgress['phase'], number>;
  /** The embedder's id. */
  embedder: string;
}

export interface ImportBenchOptions {
  /** The synthetic set (default: the full size). */
  synth?: SynthOptions;
  onProgress?: (message: string) => void;
}

const SPEC_FILE = 'synth-spec.json';

/** The synthetic set in `dir`, written unless the same spec is already there (writing the full set takes about 10 s). */
async function ensureSet(dir: string, synth: SynthOptions, onProgress?: (message: string) => void): Promise<SynthSummary> {
  const spec = JSON.stringify(synth);
  try {
    const saved = JSON.parse(await fs.readFile(path.join(dir, SPEC_FILE), 'utf8')) as { spec: string; summary: SynthSummary };
    if (saved.spec === spec) return saved.summary;
  } catch {
    // not written yet, or by another spec
  }
  onProgress?.(`writing the synthetic MMLU-Pro set to ${dir}`);
  await fs.rm(dir, { recursive: true, force: true });
  const summary = await writeSyntheticMmluPro(dir, synth);
  await fs.writeFile(path.join(dir, SPEC_FILE), JSON.stringify({ spec, summary }));
  return summary;
}

/** Imports the synthetic set (kept in `<dir>/import-set`) into a new bank in `<dir>/import-bank` with `embedder`, timing each phase. */
export async function benchmarkImport(dir: string, embedder: Embedder, options: ImportBenchOptions = {}): Promise<ImportBenchmark> {
  const set = await ensureSet(path.join(dir, 'import-set'), options.synth ?? {}, options.onProgress);
  const bankDir = path.join(dir, 'import-bank');
  await fs.rm(bankDir, { recursive: true, force: true });
  const phasesMs: Record<ImportProgress['phase'], number> = { read: 0, validate: 0, embed: 0, write: 0 };
  let phase: ImportProgress['phase'] = 'read';
  let phaseStart = performance.now();
  const onProgress = (p: ImportProgress) => {
    if (p.phase === phase) return;
    const now = performance.now();
    phasesMs[phase] += now - phaseStart;
    phase = p.phase;
    phaseStart = now;
    options.onProgress?.(`import: ${p.phase}`);
  };
  options.onProgress?.(`importing ${set.files.length} files (${set.records} records) with ${embedder.id}`);
  const started = performance.now();
  const dimension = await embedder.dimension();
  const parsed = await importFiles({ format: 'mmlu-pro', paths: [path.join(dir, 'import-set')], dimension, onProgress });
  const bank = await openBank(bankDir, { embedder: { id: embedder.id, dimension }, create: true, write: true });
  let questions: number;
  try {
    await importRecords(bank, parsed.records, embedder, { onProgress, batchSize: 64 });
    questions = await bank.count();
  } finally {
    await bank.close();
  }
  const ended = performance.now();
  phasesMs[phase] += ended - phaseStart;
  const round = (x: number) => Math.round(x);
  return {
    files: parsed.files,
    records: set.records,
    questions,
    skipped: parsed.skipped.length,
    ms: round(ended - started),
    phasesMs: { read: round(phasesMs.read), validate: round(phasesMs.validate), embed: round(phasesMs.embed), write: round(phasesMs.write) },
    embedder: embedder.id,
  };
}
