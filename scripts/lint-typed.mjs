// The type-check and the type-aware lint on one set of TypeScript programs: each type world's program (tsconfig.json:
// host, CLI, engine; tsconfig.webview.json: the panel; tsconfig.tests.json: tests and scripts) is built once, the type
// errors of the world's own files reported as `tsc -p` words them, and ESLint lints with those programs
// (typescript-eslint's `parserOptions.programs`) instead of building its own. A file is type-checked in the world
// whose files it is (a source file a test imports is checked in the code's world, not again in the tests').
// `npm run lint` runs two parts at once, each in a process of its own: `--part code` (the code's two worlds; ESLint
// over src without its tests) and `--part tests` (the tests' world; ESLint over the tests, scripts and configs); with
// `--types` they type-check too, as `npm test` runs them: the type errors cost ~4 s more there, where a type-check of
// its own took ~45 CPU-seconds. `npm run typecheck` is `--types-only`, every world. Exits 1 on any type error or any
// ESLint problem (warnings included).
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from './scriptArgs.mjs';

// Required, not imported: an import of these CommonJS packages has Node scan all of typescript.js for its exports
// (~0.4 s of each lint process).
const require = createRequire(import.meta.url);
const { ESLint } = require('eslint');
const ts = require('typescript');

/** The parts `npm run lint` runs at once: the type worlds each checks and what its ESLint lints (the ignores are eslint.config.mjs's, plus `ignore`). */
const PARTS = {
  code: { worlds: ['tsconfig.json', 'tsconfig.webview.json'], linted: ['src'], ignore: ['**/test/**'] },
  tests: { worlds: ['tsconfig.tests.json'], linted: ['src/**/test/**', 'test', 'scripts', '.eslintplugin', '*.mjs', '.dependency-cruiser.cjs'], ignore: [] },
};

/**
 * The program of one tsconfig and, with `types`, the type errors of its own files; a tsconfig that cannot be read comes
 * back as its diagnostics.
 */
function programOf(root, config, types) {
  const file = path.join(root, config);
  const read = ts.readConfigFile(file, ts.sys.readFile);
  if (read.error) return { config, diagnostics: [read.error] };
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, root, undefined, file);
  if (parsed.errors.length > 0) return { config, diagnostics: parsed.errors };
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, projectReferences: parsed.projectReferences });
  if (!types) return { config, program, diagnostics: [] };
  const own = new Set(parsed.fileNames);
  const files = program.getSourceFiles().filter((f) => own.has(f.fileName));
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...files.flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)]),
  ];
  return { config, program, diagnostics };
}

/**
 * Builds the programs of the `worlds` (tsconfig files of `root`); with `types`, reports their type errors; with `lint`
 * (and every tsconfig read), lints `linted` (less `ignore`) with ESLint (the flat config of `root`) on those programs.
 * Returns the counts and what to print.
 * @param {{ root?: string, worlds: string[], linted: string[], ignore?: string[], types: boolean, lint: boolean }} options
 * @returns {Promise<{ typeErrors: number, problems: number, output: string }>}
 */
export async function typeCheckAndLint({ root = repoRoot, worlds, linted, ignore = [], types, lint }) {
  const started = Date.now();
  const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const checked = worlds.map((config) => programOf(root, config, types));
  const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' };
  let output = '';
  let typeErrors = 0;
  for (const { config, diagnostics } of checked) {
    if (diagnostics.length === 0) continue;
    typeErrors += diagnostics.length;
    output += `${config}:\n${ts.formatDiagnostics(diagnostics, host)}`;
  }
  if (types) output += `types: ${typeErrors === 0 ? 'no errors' : `${typeErrors} error(s)`} in ${worlds.join(', ')} (${seconds()})\n`;
  const programs = checked.flatMap((w) => (w.program ? [w.program] : []));
  if (!lint || programs.length < checked.length) return { typeErrors, problems: 0, output };

  const eslint = new ESLint({ cwd: root, ignorePatterns: ignore, overrideConfig: { languageOptions: { parserOptions: { project: false, programs } } } });
  const results = await eslint.lintFiles(linted);
  const problems = results.reduce((sum, r) => sum + r.errorCount + r.warningCount, 0);
  output += await (await eslint.loadFormatter('stylish')).format(results);
  output += `eslint: ${problems === 0 ? 'no problems' : `${problems} problem(s)`} in ${results.length} files (${seconds()} in all)\n`;
  return { typeErrors, problems, output };
}

/** The options of this command line: `--part code|tests [--types]`, or `--types-only` over every world. */
function commandLine(argv) {
  if (argv.length === 1 && argv[0] === '--types-only') {
    return { worlds: Object.values(PARTS).flatMap((p) => p.worlds), linted: [], types: true, lint: false };
  }
  const part = argv[0] === '--part' ? PARTS[argv[1]] : undefined;
  const types = argv[2] === '--types';
  if (!part || argv.length > (types ? 3 : 2)) {
    throw new Error(`expected --part ${Object.keys(PARTS).join('|')} [--types] or --types-only, not "${argv.join(' ')}"`);
  }
  return { ...part, types, lint: true };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { typeErrors, problems, output } = await typeCheckAndLint(commandLine(process.argv.slice(2)));
  process.stdout.write(output);
  process.exit(typeErrors > 0 || problems > 0 ? 1 : 0);
}
