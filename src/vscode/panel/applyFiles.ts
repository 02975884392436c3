/**
 * Where Apply can put a code block when no file is open and the question was asked from none: the workspace files the
 * question names first, then those of the block's language, for the user to pick from (beside a new file). Pure.
 */
import { mentionsIn, pathMatches } from '../../core/retrieval/mentions';
import { fenceFitsLanguage } from '../../presentation/languageIds';

/** VS Code's language id for a file extension (the common ones; others are offered only when the question names them). */
const LANGUAGE_OF_EXTENSION: Readonly<Record<string, string>> = {
  py: 'python', pyi: 'python', ts: 'typescript', mts: 'typescript', cts: 'typescript', tsx: 'typescriptreact', js: 'javascript', mjs: 'javascript',
  cjs: 'javascript', jsx: 'javascriptreact', rs: 'rust', go: 'go', java: 'java', kt: 'kotlin', kts: 'kotlin', c: 'c', h: 'c', cc: 'cpp', cpp: 'cpp',
  cxx: 'cpp', hpp: 'cpp', hh: 'cpp', cs: 'csharp', rb: 'ruby', php: 'php', swift: 'swift', scala: 'scala', lua: 'lua', sh: 'shellscript',
  bash: 'shellscript', sql: 'sql', html: 'html', css: 'css', scss: 'scss', json: 'json', yml: 'yaml', yaml: 'yaml', toml: 'toml', md: 'markdown',
};

/** The language id of a path by its extension, or undefined when unknown. */
export function languageOfPath(path: string): string | undefined {
  const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase();
  return ext === undefined ? undefined : LANGUAGE_OF_EXTENSION[ext];
}

export interface ApplyFileChoice {
  path: string;
  /** The question names this file (by its name, or a path ending in it). */
  named: boolean;
}

/**
 * The files to offer (workspace-relative paths, `/`-separated), at most `limit`: those the question names, in the
 * order it names them, then the files whose language takes a block fenced as `fence`, shallowest first. A block
 * without a fence language is offered only the named files and, when none are named, every file.
 */
export function applyFileChoices(question: string, fence: string, files: readonly string[], limit = 30): ApplyFileChoice[] {
  const named = mentionsIn(question).files.flatMap((mention) => files.filter((f) => pathMatches(f, mention)));
  const namedSet = new Set(named);
  const anyLanguage = fence.trim() === '' || fence.trim().toLowerCase() === 'text' || fence.trim().toLowerCase() === 'plaintext';
  const fitting = files
    .filter((f) => !namedSet.has(f))
    .filter((f) => {
      if (anyLanguage) return named.length === 0;
      const language = languageOfPath(f);
      return language !== undefined && fenceFitsLanguage(fence, language);
    })
    .sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
  return [...new Set(named)].map((path) => ({ path, named: true })).concat(fitting.map((path) => ({ path, named: false }))).slice(0, limit);
}
