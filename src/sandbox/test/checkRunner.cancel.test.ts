import { test } from 'node:test';
import { assertCancelled, runCancellation } from '../../../test/fixtures/hostilePrograms';

// The limited mode's cancellation runs as nobody in sandbox.nonroot.test.ts when the tests run as root.
test('cancelling mid-run kills every reply\'s processes at once and leaves no temporary folder', async () => {
  assertCancelled(await runCancellation({ namespaces: true }));
});
