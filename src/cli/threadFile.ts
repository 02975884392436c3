/**
 * `smcs ask --thread FILE`: the conversation so far, kept in a JSON file `{"turns": [{"question", "answer"}]}`
 * (created when missing). A turn is appended after each run; the write is atomic, so a crash never half-writes it.
 */
import { writeFileAtomic } from '../bank/atomicFiles';
import type { Turn } from '../core/ask/conversation';
import { errorMessage } from '../core/contracts/errors';
import { UsageError } from './errors';
import { InputFileError, MB, readUserFile, utf8Text } from '../files/userFile';

/** The largest thread file read: a conversation of hundreds of long turns is a few megabytes. */
const MAX_THREAD_BYTES = 64 * MB;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The turns in `file`, oldest first; none when the file does not exist. Bad content names the file and the turn. */
export async function readThread(file: string): Promise<Turn[]> {
  let text: string;
  try {
    text = utf8Text(await readUserFile(file, { label: `--thread ${file}`, maxBytes: MAX_THREAD_BYTES }));
  } catch (err) {
    if (err instanceof InputFileError && err.code === 'ENOENT') return [];
    throw err;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
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
