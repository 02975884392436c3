// A reporter for node's test runner (`--test-reporter=./scripts/failedFilesReporter.mjs`): writes the path of every test
// file with a failing test — or a file whose process failed on its own — one per line, each file once.
export default async function* failedFiles(source) {
  const seen = new Set();
  for await (const event of source) {
    const file = event.type === 'test:fail' ? event.data.file : undefined;
    if (file && !seen.has(file)) {
      seen.add(file);
      yield `${file}\n`;
    }
  }
}
