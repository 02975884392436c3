// The type-check and the type-aware lint in one process, on one set of TypeScript programs: the three type worlds
// (tsconfig.json: host, CLI, engine; tsconfig.webview.json: the panel; tsconfig.tests.json: tests and scripts) are
// built once, their diagnostics reported as `tsc -p` reports them, and ESLint then runs over every linted file with
// those programs (typescript-eslint's `parserOptions.programs`) instead of building its own. Apart, `npm run typecheck`
// and the two ESLint processes `npm run lint` ran before took ~140 CPU-seconds in `npm test` and each built the
// programs again; together ~60, the rules reading the types the type-check already computed. Exits 1 on any type
// error or any ESLint problem (warnings included). `--types-only` (`npm run typecheck`) stops after the type-check.
import { ESLint } from 'eslint';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { repoRoot } from './scriptArgs.mjs';

/** The type worlds, as `npm run typecheck` checks them. */
const TYPE_WORLDS = ['tsconfig.json', 'tsconfig.webview.json', 'tsconfig.tests.json'];
/** What `npm run lint` lints (the ignores are eslint.config.mjs's). */
const LINTED = ['src', 'test', 'scripts', '.eslintplugin', '*.mjs', '.dependency-cruiser.cjs'];

/** The program of one tsconfig, as `tsc -p` builds it; a tsconfig that cannot be read comes back as its diagnostics. */
function programOf(root, config) {
  const file = path.join(root, config);
  const read = ts.readConfigFile(file, ts.sys.readFile);
  if (read.error) return { config, diagnostics: [read.error] };
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, root, undefined, file);
  if (parsed.errors.length > 0) return { config, diagnostics: parsed.errors };
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, projectReferences: parsed.projectReferences });
  return { config, program, diagnostics: ts.getPreEmitDiagnostics(program) };
}

/**
 * Type-checks the `worlds` (tsconfig files of `root`) and, unless `typesOnly` or a tsconfig could not be read, lints
 * `linted` with ESLint (the flat config of `root`) on the same programs. Returns the counts and what to print.
 * @param {{ root?: string, worlds?: string[], linted?: string[], typesOnly?: boolean }} options
 * @returns {Promise<{ typeErrors: number, problems: number, output: string }>}
 */
export async function typeCheckAndLint({ root = repoRoot, worlds = TYPE_WORLDS, linted = LINTED, typesOnly = false } = {}) {
  const started = Date.now();
  const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const checked = worlds.map((config) => programOf(root, config));
  const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' };
  let output = '';
  let typeErrors = 0;
  for (const { config, diagnostics } of checked) {
    if (diagnostics.length === 0) continue;
    typeErrors += diagnostics.length;
    output += `${config}:\n${ts.formatDiagnostics(diagnostics, host)}`;
  }
  output += `types: ${typeErrors === 0 ? 'no errors' : `${typeErrors} error(s)`} in ${worlds.join(', ')} (${seconds()})\n`;
  const programs = checked.flatMap((w) => (w.program ? [w.program] : []));
  if (typesOnly || programs.length < checked.length) return { typeErrors, problems: 0, output };

  const eslint = new ESLint({ cwd: root, overrideConfig: { languageOptions: { parserOptions: { project: false, programs } } } });
  const results = await eslint.lintFiles(linted);
  const problems = results.reduce((sum, r) => sum + r.errorCount + r.warningCount, 0);
  output += await (await eslint.loadFormatter('stylish')).format(results);
  output += `eslint: ${problems === 0 ? 'no problems' : `${problems} problem(s)`} in ${results.length} files (${seconds()} in all)\n`;
  return { typeErrors, problems, output };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { typeErrors, problems, output } = await typeCheckAndLint({ typesOnly: process.argv.includes('--types-only') });
  process.stdout.write(output);
  process.exit(typeErrors > 0 || problems > 0 ? 1 : 0);
}
