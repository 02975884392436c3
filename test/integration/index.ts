/**
 * Entry point loaded by the VS Code extension host as `extensionTestsPath` (bundled to
 * out/test/integration/index.js). Runs every bundled `*.test.js` next to it with mocha and
 * writes a JSON report to $SMCS_IT_REPORT, because neither host forwards mocha's console output
 * reliably; the host's exit code (0 pass, 1 fail) is the verdict, the report is the detail.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

/** One finished test as written to the report. */
export interface TestOutcome {
  title: string;
  state: 'passed' | 'failed';
  durationMs: number;
  error?: string;
}

/** The report file's content; `done` is false while the run is still going. */
export interface SuiteReport {
  done: boolean;
  passed: number;
  failed: number;
  tests: TestOutcome[];
}

function writeReport(file: string | undefined, report: SuiteReport): void {
  if (!file) return;
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(report, null, 2));
  fs.renameSync(tmp, file);
}

/** Called by the extension host; resolves when every test passed, rejects otherwise. */
export async function run(): Promise<void> {
  const reportFile = process.env.SMCS_IT_REPORT;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: Number(process.env.SMCS_IT_TIMEOUT_MS ?? 30000) });
  const grep = process.env.SMCS_IT_GREP;
  if (grep) mocha.grep(grep);
  const files = fs
    .readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.js'))
    .sort();
  for (const name of files) mocha.addFile(path.join(__dirname, name));

  const report: SuiteReport = { done: false, passed: 0, failed: 0, tests: [] };
  writeReport(reportFile, report);
  await new Promise<void>((resolve, reject) => {
    const runner = mocha.run((failures) => {
      report.done = true;
      writeReport(reportFile, report);
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
    runner.on('pass', (test) => {
      report.passed += 1;
      report.tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration ?? 0 });
      writeReport(reportFile, report);
    });
    runner.on('fail', (test, err: Error) => {
      report.failed += 1;
      report.tests.push({
        title: test.fullTitle(),
        state: 'failed',
        durationMs: test.duration ?? 0,
        error: err?.stack ?? String(err),
      });
      writeReport(reportFile, report);
    });
  });
}
