/**
 * Failed profiling requests, kept in `profile-failures.json` in the bank folder (written atomically by
 * the bank's writer) so they are retried by the next run and never stored as wrong answers.
 * Format: `{"version":1,"failures":{"<model>":{"<question id>":{"count":2,"lastError":"…","at":"<ISO time>"}}}}`.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isCode, writeFileAtomic } from '../bank/atomicFiles';

export const FAILURES_FILE = 'profile-failures.json';

/** What is known about one model's failures on one question. */
export interface FailureEntry {
  count: number;
  lastError: string;
  /** ISO time of the last failure. */
  at: string;
}

/** Failures by model key, then question id. */
export type FailureMap = Record<string, Record<string, FailureEntry>>;

/** Reads the failures sidecar of a bank folder; a missing or unreadable file counts as no failures. */
export async function readFailures(bankDir: string): Promise<FailureMap> {
  try {
    const data = JSON.parse(await fs.readFile(path.join(bankDir, FAILURES_FILE), 'utf8')) as { failures?: unknown };
    return typeof data.failures === 'object' && data.failures !== null && !Array.isArray(data.failures) ? (data.failures as FailureMap) : {};
  } catch (err) {
    if (isCode(err, 'ENOENT') || err instanceof SyntaxError) return {};
    throw err;
  }
}

/** Replaces the failures sidecar atomically (removed when there are none). */
export async function writeFailures(bankDir: string, failures: FailureMap): Promise<void> {
  const file = path.join(bankDir, FAILURES_FILE);
  const models = Object.entries(failures).filter(([, byId]) => Object.keys(byId).length > 0);
  if (models.length === 0) {
    await fs.rm(file, { force: true });
    return;
  }
  await writeFileAtomic(file, JSON.stringify({ version: 1, failures: Object.fromEntries(models) }));
}
