/** Crash-safe file primitives: write to a temporary sibling, flush it to disk, then rename over the target. */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** Prefix of every temporary file or folder the bank creates; leftovers are removed by the next writer. */
export const TEMP_PREFIX = '.tmp-';

/** A unique temporary path next to `target` (same folder, so the final rename is atomic). */
export function tempSibling(target: string): string {
  return path.join(path.dirname(target), `${TEMP_PREFIX}${path.basename(target)}-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** Flushes a file's data to the disk. */
export async function fsyncFile(file: string): Promise<void> {
  const handle = await fs.open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a folder's entries (renames) to the disk; a no-op where the platform cannot open folders. */
export async function fsyncDir(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch (err) {
    if (!isCode(err, 'EISDIR', 'EPERM', 'EINVAL', 'EBADF')) throw err;
  } finally {
    await handle?.close();
  }
}

export interface AtomicWriteOptions {
  /**
   * Fail with EEXIST instead of replacing a file already at `target`: for the files of a generation not yet
   * committed, which a second writer (one that took over the lock while this one was paused) may have written.
   */
  exclusive?: boolean;
}

/** Writes `data` to `target` atomically: readers see either the old file or the complete new one. */
export async function writeFileAtomic(target: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const temp = tempSibling(target);
  try {
    const handle = await fs.open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.exclusive) {
      // A hard link is created only where nothing is: the exclusive twin of rename.
      await fs.link(temp, target);
      await fs.rm(temp, { force: true });
    } else {
      await fs.rename(temp, target);
    }
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
  await fsyncDir(path.dirname(target));
}

/** Hex SHA-256 of some bytes. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** True when `err` is a Node system error with one of the given codes. */
export function isCode(err: unknown, ...codes: string[]): boolean {
  return typeof err === 'object' && err !== null && codes.includes((err as { code?: string }).code ?? '');
}
