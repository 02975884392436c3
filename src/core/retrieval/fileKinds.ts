/**
 * What a workspace file is to a question about how code behaves: code, prose (documentation, issue and pull-request
 * templates, community files, changelogs, licences), CI configuration, or other (configuration, data). Prose shares a
 * bug report's words (bug, report, fix, issue, error) without holding the code that has the bug.
 */

export type FileKind = 'code' | 'prose' | 'ci' | 'other';

const CODE_EXTENSIONS = new Set([
  'py', 'pyi', 'pyx', 'ts', 'tsx', 'mts', 'cts', 'js', 'jsx', 'mjs', 'cjs', 'go', 'rs', 'java', 'kt', 'kts', 'scala', 'groovy', 'c', 'h', 'cc',
  'cpp', 'cxx', 'hpp', 'hh', 'hxx', 'm', 'mm', 'cs', 'fs', 'swift', 'rb', 'php', 'lua', 'dart', 'ex', 'exs', 'erl', 'hs', 'ml', 'mli', 'clj',
  'r', 'jl', 'pl', 'pm', 'sh', 'bash', 'zsh', 'fish', 'ps1', 'psm1', 'sql', 'vue', 'svelte', 'zig', 'nim', 'elm', 'f90', 'v', 'sol',
]);
const PROSE_EXTENSIONS = new Set(['md', 'mdx', 'markdown', 'rst', 'txt', 'adoc', 'asciidoc', 'org', 'rdoc', 'textile', 'tex']);
/** Community and release files, with or without an extension (`LICENSE`, `CHANGELOG.md`, `CODE_OF_CONDUCT.rst`). */
const PROSE_NAMES = /^(readme|licen[cs]e|copying|notice|authors|contributors|maintainers|changelog|changes|history|news|releases?|code_of_conduct|contributing|security|support|funding|governance|codeowners)([._-][^/]*)?$/i;
/** Issue and pull-request templates, whatever their format (Markdown or YAML forms). */
const TEMPLATES = /(^|\/)(\.github|\.gitlab|docs)\/(issue_template|pull_request_template|issue_templates|merge_request_templates)(\/|\.|$)|(^|\/)pull_request_template\.md$/i;
const CI = /(^|\/)(\.github\/workflows\/|\.circleci\/|\.buildkite\/)|(^|\/)(\.gitlab-ci\.ya?ml|\.travis\.ya?ml|appveyor\.ya?ml|azure-pipelines\.ya?ml|jenkinsfile|\.pre-commit-config\.ya?ml|codecov\.ya?ml|\.github\/dependabot\.ya?ml)$/i;

const extensionOf = (path: string): string => /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase() ?? '';

export function fileKind(path: string): FileKind {
  const name = path.split('/').at(-1) ?? path;
  if (TEMPLATES.test(path)) return 'prose';
  if (CI.test(path)) return 'ci';
  const extension = extensionOf(name);
  // A module named like a community file (`history.py`, `security.go`) is code.
  if (CODE_EXTENSIONS.has(extension)) return 'code';
  return PROSE_EXTENSIONS.has(extension) || PROSE_NAMES.test(name) ? 'prose' : 'other';
}

/** Tests by their path: test folders, `_test.go`, `test_*.py`, `*.test.ts`, `FooTest.java`. */
const TEST_FILE = /(^|\/)(tests?|__tests__|testing|spec)\/|_test\.(go|py)$|(^|\/)test_[^/]+\.py$|\.(test|spec)\.[cm]?[jt]sx?$|Tests?\.(java|kt|cs)$/;
/**
 * Code beside the product by its path: examples, benchmarks, fixtures, playgrounds, documentation builds, tools and
 * scripts, and a library's release copied in (a version in its name: `static/jquery-3.5.1.js`, `underscore-1.13.1.min.js`).
 */
const ASIDE_FILE = /(^|\/)(examples?|samples?|demos?|benchmarks?|benches|bench|fixtures?|playgrounds?|docs?|tools|scripts)\/|(^|\/)play(ground)?\.[cm]?[jt]sx?$|[-.]v?\d+\.\d+\.\d+(\.min)?\.[cm]?js$/;

export const isTestPath = (path: string): boolean => TEST_FILE.test(path);
export const isAsidePath = (path: string): boolean => ASIDE_FILE.test(path);

/**
 * A definition in a file's own test module, by its qualified name: Rust's `mod tests` (`tests.captures_match_empty_path`,
 * `router.tests.matches`) — a member of a module so named, not a product definition named `test` (`Matcher.test`).
 */
const TEST_MODULE = /(^|\.)tests?\./;

/** Whether a chunk defining `symbols` is test code kept beside the product in its file (a Rust `mod tests`). */
export const isTestDefinition = (symbols: readonly string[]): boolean => symbols.some((s) => TEST_MODULE.test(s));

/** A line this long is not written by a person: a minified bundle's, a data dump's. */
export const MACHINE_LINE = 1_000;

/**
 * A file whose text is mostly machine-written lines (at least half of its characters on lines of MACHINE_LINE or more):
 * a minified or vendored bundle under any name (`jquery-3.5.1.js`, `underscore.js` in a theme's static folder), which
 * shares words with everything and answers nothing.
 */
export function isMachineWritten(text: string): boolean {
  let long = 0;
  for (const line of text.split('\n')) if (line.length >= MACHINE_LINE) long += line.length;
  return long > 0 && long >= text.length / 2;
}
