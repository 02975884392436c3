/** Editor context for a question (selection + language) and fence-language → VS Code language id mapping. Pure. */

/** Longest selection sent as context (characters); longer selections are cut with a note. */
export const MAX_CONTEXT_CHARS = 24_000;

/**
 * The context appended to the user message: the selected code in a fenced block tagged with the
 * editor's language. No file path or workspace name is included.
 */
export function selectionContext(selection: string, languageId: string): string | undefined {
  if (selection.trim() === '') return undefined;
  const cut = selection.length > MAX_CONTEXT_CHARS;
  const code = cut ? selection.slice(0, MAX_CONTEXT_CHARS) : selection;
  const fence = code.includes('```') ? '````' : '```';
  const note = cut ? `\n(The selection was cut to its first ${MAX_CONTEXT_CHARS} characters.)` : '';
  return `Selected code from the editor (language: ${languageId}):\n${fence}${languageId}\n${code}\n${fence}${note}`;
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
