/**
 * Issue 61 item 4 as a new user meets it: VS Code's only endpoint is an SMCS server marked `teamServer` (its key in
 * the environment variable the endpoint names). A question asked in the panel is one ask on the server — the upstream
 * sees the server's referencers and aggregations once, never a whole-method model — and the panel shows the server's
 * referencers and candidates, and the cost the upstream billed; its Bank section says the server's bank routes the
 * questions. Screenshots `team-server-engine-<width>-<theme>.png`.
 */
import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfig } from '../../src/core/contracts/config';
import { createEngine } from '../../src/engine/engine';
import type { Engine, ModelRouter } from '../../src/engine/types';
import { formatUsd } from '../../src/presentation/format';
import { startServer, type RunningServer } from '../../src/server/server';
import { testHooks } from '../fixtures/askHarness';
import { startLoopbackUpstream, type LoopbackUpstream, type RecordedRequest } from '../fixtures/loopbackUpstream';
import { captureState } from './panelStates';
import { withWorkbench } from './workbench';

const KEY = 'e2e-team-member-key-0123456789';
const KEY_ENV = 'SMCS_E2E_TEAM_KEY';
const MODELS = ['team-a', 'team-b', 'team-agg'];
const PRICE = { prompt: 0.000002, completion: 0.000008 };
const costOf = (r: RecordedRequest): number => (r.usage ? r.usage.prompt_tokens * PRICE.prompt + r.usage.completion_tokens * PRICE.completion : 0);

let upstream: LoopbackUpstream;
let engine: Engine & ModelRouter;
let server: RunningServer;
const storage = mkdtempSync(path.join(os.tmpdir(), 'smcs-e2e-team-'));

before(async () => {
  upstream = await startLoopbackUpstream({ models: MODELS.map((id) => ({ id, pricing: PRICE })) });
  upstream.script('team-a', { reply: 'team-a: cap it with functools.lru_cache(maxsize=1024).' });
  upstream.script('team-b', { reply: 'team-b: use cachetools.TTLCache to bound size and age.' });
  upstream.script('team-agg', { reply: 'Bound the cache: functools.lru_cache(maxsize=1024), or cachetools.TTLCache when entries expire.' });
  const config = parseConfig({ endpoints: [{ id: 'upstream', provider: 'vllm', baseUrl: upstream.baseUrl, models: MODELS.map((id) => ({ id, price: { prompt: PRICE.prompt * 1e6, completion: PRICE.completion * 1e6 } })) }], embedding: { provider: 'lexical' }, aggregator: 'team-agg', k: 2, n: 2, seed: 1 });
  engine = await createEngine(config, testHooks(storage));
  server = await startServer({ engine, apiKey: KEY, host: '127.0.0.1', port: 0, maxConcurrent: 4, learnFromChecks: false, log: () => undefined });
});

after(async () => {
  await server.close();
  await engine.dispose();
  await upstream.close();
  rmSync(storage, { recursive: true, force: true });
});

test('the panel pointed at a team server: one ask on the server, its referencers and candidates shown, the cost the upstream billed', async () => {
  await withWorkbench(
    'team server engine',
    {
      endpoints: false,
      env: { [KEY_ENV]: KEY },
      settings: { 'smcs.endpoints': [{ id: 'team', provider: 'openai', baseUrl: server.url, teamServer: true, apiKeyEnv: KEY_ENV }], 'smcs.aggregator': 'auto' },
    },
    async (wb) => {
      await wb.openPanel();
      await wb.askInPanel('My Python service caches results in a dict that grows without bound. How do I cap it?');
      const run = wb.panel().locator('[data-testid="run"][data-status="done"]');
      await run.waitFor({ timeout: 60_000 });
      const calls = upstream.requests.filter((r) => r.path.endsWith('/chat/completions'));
      // One ask: two referencers and the aggregations of their distinct subsets, every call one of the upstream's models.
      assert.ok(calls.every((r) => MODELS.includes(String(r.model))), calls.map((r) => r.model).join(', '));
      assert.equal(calls.filter((r) => r.model !== 'team-agg').length, 2, 'each referencer asked once');
      assert.equal(wb.fake.requests.filter((r) => r.path.endsWith('/chat/completions')).length, 0, 'the workbench\'s own fake models were never asked');
      const referencers = await run.locator('[data-testid="referencer"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-model')).sort());
      assert.deepEqual(referencers, ['team-a', 'team-b']);
      const candidates = await run.locator('[data-testid="candidate"]').count();
      assert.equal(candidates, calls.filter((r) => r.model === 'team-agg').length, 'one candidate per aggregation the server ran');
      const billed = calls.reduce((sum, r) => sum + costOf(r), 0);
      const summary = await run.locator('[data-testid="cost-summary"]').innerText();
      assert.ok(summary.startsWith(formatUsd(billed)), `the cost line "${summary}" starts with what the upstream billed, ${formatUsd(billed)}`);
      // The Bank section says whose bank routes the questions, and offers nothing that acts on this window's own.
      const bankServer = wb.panel().locator('[data-testid="bank-server"]');
      await bankServer.waitFor();
      assert.equal(await bankServer.innerText(), 'Questions run on the team server team');
      assert.equal(await wb.panel().locator('[data-testid="bank-import"], [data-testid="bank-profile"]').count(), 0);
      await captureState(wb, 'team-server-engine', { scrollTo: '[data-testid="run"]' });
    },
  );
});

// @smcs pointed at the team server is checked without a workbench: src/vscode/chat/test/smcsParticipant.test.ts.
