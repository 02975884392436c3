/** `smcs ask --workspace DIR --file PATH…`: the workspace folder checked, and the attached files read as context items. */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileItem, type ContextItem } from '../core/context/contextItem';
import { secretReason } from '../core/context/secretFiles';
import { textOf } from '../core/context/textBytes';
import { UsageError } from './errors';

/** The absolute workspace folder; a usage error when it is not a folder. */
export function workspaceFolder(dir: string): string {
  const root = path.resolve(dir);
  let isFolder = false;
  try {
    isFolder = statSync(root).isDirectory();
  } catch {
    throw new UsageError(`--workspace ${dir}: no such folder`);
  }
  if (!isFolder) throw new UsageError(`--workspace ${dir} is a file, not a folder`);
  return root;
}

/**
 * Each `--file` as an item named by its path inside the workspace (else as given). A secret file is sent because the
 * user named it, with a warning; a missing, unreadable or binary file is a usage error naming it.
 */
export function attachedFiles(files: readonly string[], root: string | undefined, warn: (message: string) => void): ContextItem[] {
  return files.map((file) => {
    const absolute = path.resolve(file);
    let bytes: Buffer;
    try {
      bytes = readFileSync(absolute);
    } catch (err) {
      throw new UsageError(`--file ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
    }
    const text = textOf(bytes);
    if (text === undefined) throw new UsageError(`--file ${file} is a binary file; only text files can be attached`);
    const inside = root !== undefined && !path.relative(root, absolute).startsWith('..') && !path.isAbsolute(path.relative(root, absolute));
    const name = (inside ? path.relative(root, absolute) : file).split(path.sep).join('/');
    const secret = secretReason(name, text);
    if (secret !== undefined) warn(`${secret}; it is sent to every model because you attached it by name`);
    return fileItem('file', name, text, 'attached');
  });
}
