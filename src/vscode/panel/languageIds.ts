/** Fence language → VS Code language id (Open in New Editor gives a code block its editor language). Pure. */
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
