/**
 * `smcs ask --thread FILE`: the conversation so far, kept in a JSON file `{"turns": [{"question", "answer"}]}`
 * (created when missing). A turn is appended after each run; the write is atomic, so a crash never half-writes it.
 */
import { promises as fs } from 'node:fs';
import { isCode, writeFileAtomic } from '../bank/atomicFiles';
import type { Turn } from '../core/ask/conversation';
import { errorMessage } from '../core/contracts/errors';
import { UsageError } from './errors';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The turns in `file`, oldest first; none when the file does not exist. Bad content names the file and the turn. */
export async function readThread(file: string): Promise<Turn[]> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if (isCode(err, 'ENOENT')) return [];
    throw new UsageError(`--thread ${file}: cannot be read: ${errorMessage(err)}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new UsageError(`--thread ${file}: not valid JSON (${errorMessage(err)}); expected {"turns": [{"question": "…", "answer": "…"}]}`);
  }
  if (!isObject(raw) || !Array.isArray(raw.turns)) throw new UsageError(`--thread ${file}: expected {"turns": [{"question": "…", "answer": "…"}]}`);
  return raw.turns.map((t: unknown, i) => {
    if (!isObject(t) || typeof t.question !== 'string' || typeof t.answer !== 'string') {
      throw new UsageError(`--thread ${file}: turns[${i}] must be {"question": string, "answer": string}`);
    }
    return { question: t.question, answer: t.answer };
  });
}

/** Writes the turns to `file` atomically (a flushed temporary sibling renamed over it). */
export async function writeThread(file: string, turns: readonly Turn[]): Promise<void> {
  try {
    await writeFileAtomic(file, `${JSON.stringify({ turns }, null, 2)}\n`);
  } catch (err) {
    throw new Error(`--thread ${file}: the turn could not be saved: ${errorMessage(err)}`);
  }
}
