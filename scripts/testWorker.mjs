// A test process that runs test files one after another, as its runner (scripts/testQueue.mjs) hands them over through
// IPC: each file's tests in a suite named after its path — so a file's top-level hooks stay its own — and what a process
// keeps between files (the modules it has loaded; the UI suite's code-servers and Chromiums, test/e2e/workbench.ts)
// serves every file it runs. It is started with the reporter scripts/testWorkerReporter.mjs, which sends each file's
// result back when its suite ends. When the runner has no more files for it, it disconnects; the process ends once its
// last test has (and what it kept has been closed).
// Options: --file-timeout MS (a file whose tests have not ended by then fails, as --test-timeout does in node --test).
import { describe } from 'node:test';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { argValue, repoRoot } from './scriptArgs.mjs';

const require = createRequire(import.meta.url);
const timeout = Number(argValue('--file-timeout') ?? Infinity);

process.on('message', ({ file }) => {
  void describe(path.relative(repoRoot, file), { timeout }, async () => {
    // TypeScript through tsx's CommonJS hook (the runner starts the process with it), as node --test loads a file.
    if (file.endsWith('.mjs')) await import(pathToFileURL(file).href);
    else require(file);
  });
});
