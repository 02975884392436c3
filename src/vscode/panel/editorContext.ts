/** Editor context for a question (selection + language) and fence-language → VS Code language id mapping. Pure. */
import { fenceFor, promptPath } from '../../core/context/contextItem';
import { guardText } from '../../core/context/secretGuard';

/** Longest selection sent as context (characters); longer selections are cut with a note. */
export const MAX_CONTEXT_CHARS = 24_000;

/** Where a selection is: its workspace-relative file and lines (1-based). */
export interface SelectionPlace {
  path: string;
  startLine: number;
  endLine: number;
}

/**
 * The context appended to the user message: the selected code in a fenced block tagged with the editor's language,
 * headed by its workspace-relative file and lines when known (so the models can tie it to the attached file and its
 * problems); never an absolute path or the workspace's name.
 */
export function selectionContext(selection: string, languageId: string, place?: SelectionPlace): string | undefined {
  if (selection.trim() === '') return undefined;
  const cut = selection.length > MAX_CONTEXT_CHARS;
  const code = cut ? selection.slice(0, MAX_CONTEXT_CHARS) : selection;
  const fence = fenceFor(code);
  const note = cut ? `\n(The selection was cut to its first ${MAX_CONTEXT_CHARS} characters.)` : '';
  const lines = place && (place.startLine === place.endLine ? `line ${place.startLine}` : `lines ${place.startLine}–${place.endLine}`);
  const from = place ? `${promptPath(place.path)} ${lines}` : 'the editor';
  return `Selected code from ${from} (language: ${languageId}):\n${fence}${languageId}\n${code}\n${fence}${note}`;
}

/** The selection a question carries, as it will be sent (undefined when it was left out), and what its screen said. */
export interface EditorContext {
  text: string | undefined;
  /** "config/database.yml: 1 password redacted", ".env left out: environment file". */
  notes: string[];
}

/**
 * The selection as `selectionContext` sends it, first screened for secrets as a context item of its file would be
 * (core/context/secretGuard): values redacted in place, a selection of credentials left out; undefined when nothing
 * is selected.
 */
export function screenedSelection(selection: string, languageId: string, place?: SelectionPlace): EditorContext | undefined {
  if (selection.trim() === '') return undefined;
  const path = place?.path ?? '';
  const guarded = guardText(path, path === '' ? 'the selection' : path, selection);
  return { text: guarded.text === undefined ? undefined : selectionContext(guarded.text, languageId, place), notes: guarded.note === undefined ? [] : [guarded.note] };
}

const ALIASES: Readonly<Record<string, string>> = {
  ts: 'typescript', tsx: 'typescriptreact', js: 'javascript', jsx: 'javascriptreact', mjs: 'javascript', cjs: 'javascript',
  py: 'python', python3: 'python', sh: 'shellscript', bash: 'shellscript', zsh: 'shellscript', shell: 'shellscript', console: 'shellscript',
  'c++': 'cpp', cc: 'cpp', hpp: 'cpp', 'c#': 'csharp', cs: 'csharp', rs: 'rust', golang: 'go', kt: 'kotlin', rb: 'ruby',
  yml: 'yaml', md: 'markdown', ps1: 'powershell', pwsh: 'powershell', text: 'plaintext', txt: 'plaintext', plain: 'plaintext',
  'objective-c': 'objective-c', objc: 'objective-c', dockerfile: 'dockerfile', docker: 'dockerfile', html: 'html', xml: 'xml',
};

/** The VS Code language id for a code fence's language, or `plaintext` when unknown to `known`. */
export function languageIdForFence(fence: string, known: ReadonlySet<string>): string {
  const lower = fence.trim().toLowerCase();
  if (lower === '') return 'plaintext';
  const id = ALIASES[lower] ?? lower;
  return known.has(id) ? id : 'plaintext';
}
