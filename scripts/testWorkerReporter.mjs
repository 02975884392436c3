// The reporter of scripts/testWorker.mjs: when a file's suite ends, sends its runner (over IPC) whether it passed, its
// tests counted as node's own summary counts them, and its spec reporter output, whole. It writes nothing itself.
import { Transform } from 'node:stream';
import { spec as SpecReporter } from 'node:test/reporters';

/** What a test that ended counts as, in node's summary's words. */
function outcome({ type, data }) {
  if (type === 'test:fail') return data.details.error?.failureType === 'cancelledByParent' ? 'cancelled' : 'fail';
  if (data.skip !== undefined) return 'skipped';
  if (data.todo !== undefined) return 'todo';
  return 'pass';
}

/** The file whose suite is running: its spec reporter and counts. */
let file;

async function take(event) {
  const nesting = event.data?.nesting;
  if (event.type === 'test:start' && nesting === 0) file = { spec: new SpecReporter(), counts: { tests: 0, pass: 0, fail: 0, cancelled: 0, skipped: 0, todo: 0 } };
  // The root's own summary, after the last file, is no file's.
  if (!file) return;
  file.spec.write(event);
  const ended = event.type === 'test:pass' || event.type === 'test:fail';
  if (ended && nesting > 0 && event.data.details?.type !== 'suite') {
    file.counts.tests++;
    file.counts[outcome(event)]++;
  }
  if (ended && nesting === 0) {
    const { spec, counts } = file;
    file = undefined;
    spec.end();
    let output = '';
    for await (const chunk of spec) output += chunk;
    process.send({ ok: event.type === 'test:pass', counts, output });
  }
}

export default new Transform({
  writableObjectMode: true,
  transform(event, _encoding, done) {
    take(event).then(() => done(), done);
  },
});
