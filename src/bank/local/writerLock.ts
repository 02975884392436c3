/**
 * The single-writer lock of a bank folder, built on proper-lockfile (a lock folder whose mtime the
 * holder refreshes). The holder also records its pid and host, so a second writer is told who holds it,
 * and a lock left by a dead process on this host is taken over at once (other hosts: after it goes stale).
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as lockfile from 'proper-lockfile';
import { isCode, writeFileAtomic } from '../atomicFiles';
import { BankError, BankLockedError } from '../errors';

export const LOCK_DIR = 'writer.lock';
export const HOLDER_FILE = 'writer.json';
/** A lock whose holder stopped refreshing it for this long is stale and may be taken over. */
const STALE_MS = 10_000;

export interface LockHolder {
  pid: number;
  host: string;
  since: string;
}

/** A held writer lock. */
export interface WriterLock {
  /** Set when the lock was lost (e.g. taken over as stale); writes must stop. */
  readonly compromised: Error | undefined;
  /**
   * Throws a BankError when the holder file names another writer: one that took the lock over while this process
   * was paused, before the refresh timer could notice. Called right before a manifest is written.
   */
  verify(): Promise<void>;
  release(): Promise<void>;
}

async function readHolder(dir: string): Promise<LockHolder | undefined> {
  try {
    const holder = JSON.parse(await fs.readFile(path.join(dir, HOLDER_FILE), 'utf8')) as LockHolder;
    return typeof holder.pid === 'number' && typeof holder.host === 'string' ? holder : undefined;
  } catch {
    return undefined;
  }
}

/** True when the holder record on disk is `ours` (a writer that took the lock over wrote its own). */
function sameHolder(onDisk: LockHolder | undefined, ours: LockHolder): boolean {
  return onDisk?.pid === ours.pid && onDisk.host === ours.host && onDisk.since === ours.since;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return isCode(err, 'EPERM');
  }
}

async function tryLock(dir: string, state: { compromised: Error | undefined }): Promise<() => Promise<void>> {
  return lockfile.lock(dir, {
    lockfilePath: path.join(dir, LOCK_DIR),
    realpath: false,
    stale: STALE_MS,
    retries: 0,
    onCompromised: (err) => {
      state.compromised = err;
    },
  });
}

/** Takes the writer lock of the bank folder `dir`, or throws BankLockedError naming the holder. */
export async function acquireWriterLock(dir: string): Promise<WriterLock> {
  const state: { compromised: Error | undefined } = { compromised: undefined };
  let release: () => Promise<void>;
  try {
    release = await tryLock(dir, state);
  } catch (err) {
    if (isCode(err, 'EACCES', 'EPERM', 'EROFS')) {
      throw new BankError(`cannot write to the bank at ${dir}: ${isCode(err, 'EROFS') ? 'the file system is read-only' : 'permission denied'} (it can still be read: bank stats, bank export, ask)`);
    }
    if (!isCode(err, 'ELOCKED')) throw err;
    const holder = await readHolder(dir);
    const deadHere = holder !== undefined && holder.host === os.hostname() && holder.pid !== process.pid && !processAlive(holder.pid);
    if (!deadHere) throw new BankLockedError(dir, holder);
    await fs.rm(path.join(dir, LOCK_DIR), { recursive: true, force: true });
    try {
      release = await tryLock(dir, state);
    } catch (again) {
      if (isCode(again, 'ELOCKED')) throw new BankLockedError(dir, await readHolder(dir));
      throw again;
    }
  }
  const holder: LockHolder = { pid: process.pid, host: os.hostname(), since: new Date().toISOString() };
  await writeFileAtomic(path.join(dir, HOLDER_FILE), JSON.stringify(holder));
  return {
    get compromised() {
      return state.compromised;
    },
    async verify() {
      const now = await readHolder(dir);
      if (!sameHolder(now, holder)) {
        const who = now ? `process ${now.pid} on ${now.host}` : 'another writer';
        state.compromised ??= new Error(`the lock was taken over by ${who}`);
        throw new BankError(`bank at ${dir}: ${who} took over the writer lock while this process was paused; this change was not written and theirs is kept: reopen the bank and try again`);
      }
    },
    async release() {
      // A lock taken over meanwhile belongs to the new holder: its record and lock folder stay.
      if (!sameHolder(await readHolder(dir), holder)) return;
      await fs.rm(path.join(dir, HOLDER_FILE), { force: true });
      if (state.compromised) return;
      try {
        await release();
      } catch (err) {
        if (!isCode(err, 'ENOTACQUIRED', 'ERELEASED')) throw err;
      }
    },
  };
}
