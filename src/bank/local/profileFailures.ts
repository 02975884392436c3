/**
 * Failed profiling requests of a local bank, kept in `profile-failures.json` in the bank folder (written atomically
 * by the bank's writer) so they are retried by the next run and never stored as wrong answers.
 * Format: `{"version":1,"failures":{"<model>":{"<question id>":{"count":2,"lastError":"…","at":"<ISO time>"}}}}`.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isCode, writeFileAtomic } from '../atomicFiles';
import type { FailureMap, FailureUpdate } from '../bank';
import { own, setOwn } from '../../core/util/ownKeys';

export const FAILURES_FILE = 'profile-failures.json';

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

/** Applies an update to a failure map in place: answered requests are forgotten, failed ones counted once more. Returns whether it changed. */
export function applyFailureUpdate(failures: FailureMap, update: FailureUpdate, now = new Date()): boolean {
  let changed = false;
  for (const { model, id } of update.answered) {
    const byId = own(failures, model);
    if (own(byId, id)) {
      delete byId?.[id];
      changed = true;
    }
  }
  for (const { model, id, lastError } of update.failed) {
    let byId = own(failures, model);
    if (byId === undefined) setOwn(failures, model, (byId = {}));
    setOwn(byId, id, { count: (own(byId, id)?.count ?? 0) + 1, lastError, at: now.toISOString() });
    changed = true;
  }
  return changed;
}
