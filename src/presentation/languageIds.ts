/**
 * Code fence languages as VS Code language ids: Open in New Editor gives a code block its editor language, and Apply
 * offers a block only to a file of its language (the panel hides the button, the host asks before any other). Pure.
 */
const ALIASES: Readonly<Record<string, string>> = {
  ts: 'typescript', tsx: 'typescriptreact', js: 'javascript', jsx: 'javascriptreact', mjs: 'javascript', cjs: 'javascript',
  py: 'python', python3: 'python', sh: 'shellscript', bash: 'shellscript', zsh: 'shellscript', shell: 'shellscript', console: 'shellscript',
  'c++': 'cpp', cc: 'cpp', hpp: 'cpp', 'c#': 'csharp', cs: 'csharp', rs: 'rust', golang: 'go', kt: 'kotlin', rb: 'ruby',
  yml: 'yaml', md: 'markdown', ps1: 'powershell', pwsh: 'powershell', text: 'plaintext', txt: 'plaintext', plain: 'plaintext',
  'objective-c': 'objective-c', objc: 'objective-c', dockerfile: 'dockerfile', docker: 'dockerfile', html: 'html', xml: 'xml',
};

/** Languages whose code goes into one another's files: TypeScript takes JavaScript, C++ takes C, JSON with comments takes JSON. */
const FAMILIES: readonly (readonly string[])[] = [
  ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'],
  ['c', 'cpp', 'objective-c', 'objective-cpp'],
  ['json', 'jsonc'],
];

/** How a language is named to the user ("a Python block"). */
const NAMES: Readonly<Record<string, string>> = {
  typescript: 'TypeScript', typescriptreact: 'TypeScript (TSX)', javascript: 'JavaScript', javascriptreact: 'JavaScript (JSX)', python: 'Python',
  shellscript: 'shell', cpp: 'C++', c: 'C', csharp: 'C#', rust: 'Rust', go: 'Go', kotlin: 'Kotlin', ruby: 'Ruby', java: 'Java', yaml: 'YAML',
  markdown: 'Markdown', powershell: 'PowerShell', 'objective-c': 'Objective-C', dockerfile: 'Dockerfile', html: 'HTML', xml: 'XML', json: 'JSON',
  css: 'CSS', sql: 'SQL', php: 'PHP', swift: 'Swift', lua: 'Lua', r: 'R',
};

/** The language id a fence names (aliases resolved), or undefined when it names none. */
function fenceId(fence: string): string | undefined {
  const lower = fence.trim().toLowerCase();
  return lower === '' ? undefined : (ALIASES[lower] ?? lower);
}

/** The VS Code language id for a code fence's language, or `plaintext` when unknown to `known`. */
export function languageIdForFence(fence: string, known: ReadonlySet<string>): string {
  const id = fenceId(fence);
  return id !== undefined && known.has(id) ? id : 'plaintext';
}

/**
 * Whether a block fenced as `fence` belongs in a file of language `languageId`: its own language or one of its family;
 * a block without a fence language, or fenced as plain text, goes anywhere, and a plain-text file takes any block.
 */
export function fenceFitsLanguage(fence: string, languageId: string): boolean {
  const id = fenceId(fence);
  if (id === undefined || id === 'plaintext' || languageId === 'plaintext' || id === languageId) return true;
  return FAMILIES.some((family) => family.includes(id) && family.includes(languageId));
}

/** A language's name for the user: "Python" for `py` or `python`; an unknown fence as it was written. */
export function languageName(fenceOrId: string): string {
  const id = fenceId(fenceOrId) ?? fenceOrId;
  return NAMES[id] ?? fenceOrId.trim();
}
