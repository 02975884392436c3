/**
 * The names a secret file sets (`OPENAI_API_KEY` of a `.env`, `password` of a `database.yml`), read from disk when a
 * question is asked and never kept: a question that names one asks about that file, which is then named as withheld
 * (core/retrieval/askedSecrets). Only the names are read out; the values never leave this function.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { SecretFile } from './walk';

/** A secret file larger than this is not read for its names (a key store, a certificate bundle). */
export const SECRET_KEYS_MAX_BYTES = 64 * 1024;

/** A line that sets a name: `KEY=…`, `export KEY=…`, `key: …`, `"key": …`, `key = …`. */
const SETS = /^\s*(?:export\s+)?["']?([A-Za-z_][\w.-]*)["']?\s*[=:]/gm;

/** The names each secret file sets, by path; a file that cannot be read, or is too large, sets none. */
export async function secretKeys(root: string, files: readonly SecretFile[]): Promise<Map<string, string[]>> {
  const keys = new Map<string, string[]>();
  await Promise.all(
    files.map(async (f) => {
      try {
        const file = path.join(root, f.path);
        if ((await stat(file)).size > SECRET_KEYS_MAX_BYTES) return;
        const text = await readFile(file, 'utf8');
        keys.set(f.path, [...new Set([...text.matchAll(SETS)].map((m) => m[1] as string))]);
      } catch {
        // Gone or unreadable since the walk: it sets nothing the question could name.
      }
    }),
  );
  return keys;
}
