/**
 * `smcs ask --workspace DIR --file PATH… --open PATH[:LINE]`: the workspace folder checked, the attached files read as
 * context items, and the file open in the editor read as the editor state the engine decides from.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileItem, type ContextItem } from '../core/context/contextItem';
import type { EditorState } from '../core/retrieval/openFileShare';
import { secretFileKind } from '../core/secrets/secretFiles';
import { findSecrets, findsSummary } from '../core/secrets/secretScan';
import { textOf } from '../core/context/textBytes';
import { readUserFileSync } from '../files/userFile';
import { MAX_FILE_BYTES } from '../workspace/walk';
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

export interface Attachments {
  items: ContextItem[];
  /** What the user is told beside the context: a file reached through a link leaving the workspace, secrets sent. */
  notes: string[];
}

const inside = (root: string, file: string): boolean => {
  const rel = path.relative(root, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/**
 * A path the user named for `flag`: from the current folder, as a shell reads it; when nothing is there and it is
 * relative, from the workspace (`--open` named as the project names it, run from another folder). A usage error
 * names both places when neither holds it.
 */
function namedPath(flag: string, file: string, root: string | undefined): string {
  const absolute = path.resolve(file);
  if (existsSync(absolute) || root === undefined || path.isAbsolute(file)) return absolute;
  const inWorkspace = path.resolve(root, file);
  if (existsSync(inWorkspace)) return inWorkspace;
  throw new UsageError(`${flag} ${file}: no such file in the current folder (${absolute}) or in the workspace (${inWorkspace})`);
}

/**
 * Each `--file` (from the current folder, else the workspace) as an item named by its path inside the workspace (else
 * as given). Only regular text files up to MAX_FILE_BYTES are read (a pipe or a device could block or never end). A file holding secrets — by its name or its
 * link's target's, or a secret value in its text — is refused unless `allowSecrets`, and then sent as it is, said. A
 * file reached through a link that leaves the workspace is said too, so `--file notes.txt → /etc/passwd` is not silent.
 */
export function attachedFiles(files: readonly string[], root: string | undefined, allowSecrets: boolean, warn: (message: string) => void): Attachments {
  const notes: string[] = [];
  const realRoot = root === undefined ? undefined : realpathSync(root);
  const items = files.map((file) => {
    const absolute = namedPath('--file', file, root);
    let real: string;
    try {
      real = realpathSync(absolute);
    } catch (err) {
      throw new UsageError(`--file ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
    }
    const text = textOf(readUserFileSync(real, { label: `--file ${file}`, maxBytes: MAX_FILE_BYTES }));
    if (text === undefined) throw new UsageError(`--file ${file} is a binary file; only text files can be attached`);
    const name = (root !== undefined && inside(root, absolute) ? path.relative(root, absolute) : file).split(path.sep).join('/');
    if (real !== absolute && (realRoot === undefined || !inside(realRoot, real))) {
      const note = `${name} is a link to ${real}${realRoot === undefined ? '' : ', outside the workspace'}`;
      notes.push(note);
      warn(note);
    }
    const finds = findSecrets(text, name);
    const kind = secretFileKind(name, text) ?? secretFileKind(real, text);
    if (kind !== undefined || finds.length > 0) {
      const what = [...(kind !== undefined ? [kind] : []), ...(finds.length > 0 ? [findsSummary(finds)] : [])].join(' holding ');
      if (!allowSecrets) throw new UsageError(`--file ${file} holds secrets (${what}); it is not sent unless you pass --allow-secrets, which sends it as it is`);
      const note = `${name}: sent with its secrets (${what}) because of --allow-secrets`;
      notes.push(note);
      warn(note);
      return { ...fileItem('file', name, text, 'attached'), sendSecrets: true };
    }
    return fileItem('file', name, text, 'attached');
  });
  return { items, notes };
}

/**
 * `--open PATH[:LINE]` (from the current folder, else the workspace): the file as if open in an editor with the cursor on LINE (1 by default), named by its path
 * inside the workspace (else as given). The engine decides what part of it goes (core/retrieval/openFileShare), as it
 * does for the extension's open file; a secret file is read but never sent.
 */
export function openFileState(spec: string, root: string | undefined): EditorState {
  const m = /^(.*?):(\d+)$/.exec(spec);
  const file = m ? (m[1] as string) : spec;
  const cursorLine = m ? Math.max(1, Number(m[2])) : 1;
  const absolute = namedPath('--open', file, root);
  const text = textOf(readUserFileSync(absolute, { label: `--open ${file}`, maxBytes: MAX_FILE_BYTES }));
  if (text === undefined) throw new UsageError(`--open ${file} is a binary file; only a text file can be the open file`);
  const name = (root !== undefined && inside(root, absolute) ? path.relative(root, absolute) : file).split(path.sep).join('/');
  return { openFile: { path: name, text, cursorLine } };
}
