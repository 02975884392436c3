// The type-check and the type-aware lint in one process, on one set of TypeScript programs: the three type worlds
// (tsconfig.json: host, CLI, engine; tsconfig.webview.json: the panel; tsconfig.tests.json: tests and scripts) are
// built once, their diagnostics reported as `tsc -p` reports them, and ESLint then runs over every linted file with
// those programs (typescript-eslint's `parserOptions.programs`) instead of building its own. Apart, `npm run typecheck`
// and the two ESLint processes `npm run lint` ran before took ~140 CPU-seconds in `npm test` and each built the
// programs again; together ~60, the rules reading the types the type-check already computed. Exits 1 on any type
// error or any ESLint problem (warnings included). `--types-only` (`npm run typecheck`) stops after the type-check.
import { ESLint } from 'eslint';
import path from 'node:path';
import ts from 'typescript';
import { repoRoot } from './scriptArgs.mjs';

/** The type worlds, as `npm run typecheck` checks them. */
const TYPE_WORLDS = ['tsconfig.json', 'tsconfig.webview.json', 'tsconfig.tests.json'];
/** What `npm run lint` lints (the ignores are eslint.config.mjs's). */
const LINTED = ['src', 'test', 'scripts', '.eslintplugin', '*.mjs', '.dependency-cruiser.cjs'];

/** The program of one tsconfig, as `tsc -p` builds it; a tsconfig that cannot be read comes back as its diagnostics. */
function programOf(config) {
  const file = path.join(repoRoot, config);
  const read = ts.readConfigFile(file, ts.sys.readFile);
  if (read.error) return { config, diagnostics: [read.error] };
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, repoRoot, undefined, file);
  if (parsed.errors.length > 0) return { config, diagnostics: parsed.errors };
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, projectReferences: parsed.projectReferences });
  return { config, program, diagnostics: ts.getPreEmitDiagnostics(program) };
}

const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => repoRoot, getNewLine: () => '\n' };

async function main() {
  const started = Date.now();
  const worlds = TYPE_WORLDS.map(programOf);
  let typeErrors = 0;
  for (const { config, diagnostics } of worlds) {
    if (diagnostics.length === 0) continue;
    typeErrors += diagnostics.length;
    process.stdout.write(`${config}:\n${ts.formatDiagnostics(diagnostics, host)}`);
  }
  const programs = worlds.flatMap((w) => (w.program ? [w.program] : []));
  console.log(`types: ${typeErrors === 0 ? 'no errors' : `${typeErrors} error(s)`} in ${TYPE_WORLDS.join(', ')} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (programs.length < worlds.length || process.argv.includes('--types-only')) process.exit(typeErrors > 0 ? 1 : 0);

  const eslint = new ESLint({ cwd: repoRoot, overrideConfig: { languageOptions: { parserOptions: { project: false, programs } } } });
  const results = await eslint.lintFiles(LINTED);
  const problems = results.reduce((sum, r) => sum + r.errorCount + r.warningCount, 0);
  const formatter = await eslint.loadFormatter('stylish');
  const report = await formatter.format(results);
  if (report) process.stdout.write(report);
  console.log(`eslint: ${problems === 0 ? 'no problems' : `${problems} problem(s)`} in ${results.length} files (${((Date.now() - started) / 1000).toFixed(1)} s in all)`);
  process.exit(typeErrors > 0 || problems > 0 ? 1 : 0);
}

await main();
