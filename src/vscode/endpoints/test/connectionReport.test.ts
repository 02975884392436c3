import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { connectionLogLines, connectionSummary, shortReason, type EndpointProbe } from '../connectionReport';

const up: EndpointProbe = { id: 'local', host: '127.0.0.1:8000', ok: true, models: 3 };
const down: EndpointProbe = { id: 'gpu-box', host: '10.0.0.7:8000', ok: false, reason: 'GET http://10.0.0.7:8000/v1/models failed: connect ECONNREFUSED 10.0.0.7:8000' };

test('Test Endpoint Connections says in one short sentence which endpoint did not answer; the log has why', () => {
  assert.equal(connectionSummary([up]), 'SMCS: endpoint local (127.0.0.1:8000) answers.');
  assert.equal(connectionSummary([up, { ...up, id: 'b' }]), 'SMCS: all 2 endpoints answer.');
  assert.equal(connectionSummary([up, down]), 'SMCS: endpoint gpu-box (10.0.0.7:8000) did not answer: nothing listens there (the other did).');
  assert.equal(connectionSummary([down, { ...down, id: 'lab' }, up]), 'SMCS: 2 of 3 endpoints did not answer: gpu-box (nothing listens there), lab (nothing listens there).');
  assert.equal(connectionSummary([]), 'SMCS: no endpoint is configured.');
  for (const probes of [[up], [up, down]]) assert.ok(connectionSummary(probes).length <= 120);
  assert.deepEqual(connectionLogLines([up, down]), ['endpoint local (127.0.0.1:8000): answers, 3 models listed', `endpoint gpu-box (10.0.0.7:8000): did not answer: ${down.reason}`]);
});

test('the short reason a toast keeps: the key refused with its status, unreachable, unknown host, timed out', () => {
  const keyed: EndpointProbe = { id: 'keyed', host: 'api.example:443', ok: false, reason: 'GET https://api.example/v1/models: HTTP 401 Unauthorized: {"error":"bad key"}' };
  assert.equal(connectionSummary([keyed]), 'SMCS: endpoint keyed (api.example:443) did not answer: the key was refused (HTTP 401).');
  assert.equal(shortReason('HTTP 404 Not Found'), 'no /models there (HTTP 404): check the base URL');
  assert.equal(shortReason('getaddrinfo ENOTFOUND gpu-box'), 'its host name is unknown');
  assert.equal(shortReason('the server sent nothing for 10 s: timed out'), 'timed out');
  assert.equal(shortReason('HTTP 502 Bad Gateway'), 'HTTP 502');
});
