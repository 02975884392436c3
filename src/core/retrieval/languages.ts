/**
 * The programming languages the code background is kept for apart (core/retrieval/languageBackground): a question's
 * word common in Go code says nothing of whether it is about this Go code base, though the background of all languages
 * together finds it rare ("slice", "struct" and "trait" are every Go or Rust file's words, few Python files').
 */
export type Language = 'python' | 'javascript' | 'go' | 'rust' | 'java' | 'csharp' | 'c' | 'ruby' | 'php';

export const LANGUAGES: readonly Language[] = ['python', 'javascript', 'go', 'rust', 'java', 'csharp', 'c', 'ruby', 'php'];

/** How the decision line names each language ("words every Go code base's"). */
export const LANGUAGE_TITLES: Readonly<Record<Language, string>> = {
  python: 'Python',
  javascript: 'JavaScript or TypeScript',
  go: 'Go',
  rust: 'Rust',
  java: 'Java or Kotlin',
  csharp: 'C#',
  c: 'C or C++',
  ruby: 'Ruby',
  php: 'PHP',
};

/** Each language's source files by extension: TypeScript is written and read as JavaScript is, Kotlin beside Java. */
const EXTENSIONS: Readonly<Record<Language, readonly string[]>> = {
  python: ['py', 'pyi', 'pyx'],
  javascript: ['js', 'mjs', 'cjs', 'jsx', 'ts', 'tsx', 'mts', 'cts'],
  go: ['go'],
  rust: ['rs'],
  java: ['java', 'kt', 'kts'],
  csharp: ['cs'],
  c: ['c', 'h', 'cc', 'cpp', 'cxx', 'hpp', 'hh'],
  ruby: ['rb', 'rake'],
  php: ['php'],
};

/** Every source file extension of the languages above. */
export const SOURCE_EXTENSIONS: readonly string[] = LANGUAGES.flatMap((language) => EXTENSIONS[language]);

const BY_EXTENSION = new Map(LANGUAGES.flatMap((language) => EXTENSIONS[language].map((ext) => [ext, language] as const)));

/** The language a source file is written in, by its extension; undefined for any other file. */
export function languageOf(path: string): Language | undefined {
  return BY_EXTENSION.get(/\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase() ?? '');
}

/**
 * What people call each language when they ask about it ("in rust", "golang", "TypeScript"): every file of the
 * language is written in it, so the background counts each of these names in all of its files, and a question scoped
 * to the workspace's language is about the language, not about a code base written in it (core/retrieval/searchEvidence).
 * Words that are also a runtime's, a network's or a file's ("node", ".net", "py") are left out.
 */
export const LANGUAGE_NAMES: Readonly<Record<Language, readonly string[]>> = {
  python: ['python'],
  javascript: ['javascript', 'js', 'typescript', 'ecmascript'],
  go: ['go', 'golang'],
  rust: ['rust', 'rustc'],
  java: ['java', 'kotlin', 'jvm'],
  csharp: ['csharp', 'dotnet'],
  c: ['c', 'cpp'],
  ruby: ['ruby'],
  php: ['php'],
};
