/**
 * Add Team Server's question to the URL (issue 61 item 4): `smcs serve` says it is an SMCS server and whether it is a
 * team one; a refused key, a server that is not SMCS's (an OpenAI-compatible upstream) and a port where nothing listens
 * are each told apart, and the key never appears in what is said.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../core/contracts/config';
import { tempDir } from '../../../../test/fixtures/bankData';
import { testHooks } from '../../../../test/fixtures/askHarness';
import { startLoopbackUpstream } from '../../../../test/fixtures/loopbackUpstream';
import { createEngine } from '../../../engine/engine';
import { startServer } from '../../../server/server';
import { probeTeamServer } from '../teamServerProbe';

const KEY = 'probe-key-0123456789abcdef';
const temp = tempDir('smcs-probe-');
after(() => temp.cleanup());

test('smcs serve is an SMCS server (not a team one without --team); a wrong key, an upstream and a closed port are each told apart', async () => {
  const upstream = await startLoopbackUpstream({ models: [{ id: 'm' }] });
  const engine = await createEngine(parseConfig({ endpoints: [{ id: 'u', provider: 'vllm', baseUrl: upstream.baseUrl }], embedding: { provider: 'lexical' } }), testHooks(temp.dir));
  const server = await startServer({ engine, apiKey: KEY, host: '127.0.0.1', port: 0, maxConcurrent: 2, learnFromChecks: false, log: () => undefined });
  try {
    assert.deepEqual(await probeTeamServer(server.url, KEY), { ok: true, about: { object: 'smcs.server', protocol: 1, team: false } });
    const wrong = await probeTeamServer(server.url, 'a-wrong-key-that-is-long-enough');
    assert.equal(wrong.ok ? 'ok' : wrong.reason, 'key');
    assert.ok(!wrong.ok && !wrong.message.includes('a-wrong-key-that-is-long-enough'));
    const notSmcs = await probeTeamServer(upstream.baseUrl, KEY);
    assert.equal(notSmcs.ok ? 'ok' : notSmcs.reason, 'not-smcs');
    assert.ok(!notSmcs.ok && /is not an SMCS server .*HTTP 404/.test(notSmcs.message));
  } finally {
    await server.close();
    await engine.dispose();
    await upstream.close();
  }
  const closed = await probeTeamServer(server.url, KEY);
  assert.equal(closed.ok ? 'ok' : closed.reason, 'unreachable');
  assert.ok(!closed.ok && closed.message.includes('could not be reached'));
});
