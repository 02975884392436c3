/** The `smcs serve` part of `smcs bench` runs its asks through the real server and reports each measure (values are the bench's business, not this test's). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { benchmarkServer } from '../serverBench';

test('the server bench measures the overhead over an in-process ask and 16 concurrent clients', { timeout: 120_000 }, async () => {
  const r = await benchmarkServer(2);
  assert.equal(r.samples, 2);
  for (const x of [r.inProcessP50Ms, r.serverP50Ms, r.overheadP50Ms, r.concurrent.p50Ms, r.concurrent.p95Ms, r.concurrent.peakRssMb]) assert.ok(Number.isFinite(x));
  assert.ok(r.inProcessP50Ms > 0 && r.serverP50Ms > 0);
  assert.equal(r.concurrent.clients, 16);
  assert.ok(r.concurrent.p95Ms >= r.concurrent.p50Ms);
  assert.equal(typeof r.withinGoal, 'boolean');
});
