/** The harness's poll (scripts/codeServer.mjs `waitFor`), which the UI tests' `until` (test/e2e/polling.ts) uses too. */
import assert from 'node:assert/strict';
import { test } from 'node:test';

import type * as CodeServer from '../codeServer.mjs' with { 'resolution-mode': 'import' };

const load = (): Promise<typeof CodeServer> => import('../codeServer.mjs');

test('resolves with the first truthy value, polling past falsy values and thrown errors', async () => {
  const { waitFor } = await load();
  let round = 0;
  const value = await waitFor(
    () => {
      round++;
      if (round === 1) throw new Error('not there yet');
      return round === 3 ? 'port 4242' : '';
    },
    { timeoutMs: 5000, intervalMs: 1, message: 'the port file' },
  );
  assert.equal(value, 'port 4242');
  assert.equal(round, 3);
});

test('on the deadline, a message given as a function is read then, with the last error as its cause', async () => {
  const { waitFor } = await load();
  let holds = 'nothing';
  const waiting = waitFor(
    () => {
      holds = 'half a file';
      throw new Error('unexpected end of JSON');
    },
    { timeoutMs: 30, intervalMs: 5, message: () => `settings.json (it holds ${holds})` },
  );
  await assert.rejects(waiting, { message: 'settings.json (it holds half a file) after 30 ms (last error: unexpected end of JSON)' });
});

test('an Error from fatal ends the wait before the probe is tried', async () => {
  const { waitFor } = await load();
  let probed = 0;
  const probe = (): boolean => {
    probed++;
    return false;
  };
  await assert.rejects(waitFor(probe, { timeoutMs: 10_000, message: 'never', fatal: () => new Error('the server exited') }), { message: 'the server exited' });
  assert.equal(probed, 0);
});
