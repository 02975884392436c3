/**
 * The editor's client of a team server's `GET /v1/smcs/usage`, against loopback HTTP servers: one that implements the
 * route as `smcs serve --team` answers it (its body typed by the server's own `memberUsage`), and the tests' OpenAI-compatible
 * upstream, which is not a team server. Every refusal names the endpoint and never the key.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../../test/fixtures/loopbackUpstream';
import type { memberUsage } from '../../../server/team/teamAsk';
import { endpointKey, fetchTeamUsage, teamEndpoints, teamUsageViews, TeamUsageError } from '../teamUsageClient';

type UsageReport = Awaited<ReturnType<typeof memberUsage>>;

const ALICE = 'smcs-k1-alice-secret-0123456789';
const REVOKED = 'smcs-k2-bob-secret-0123456789';

const ALICE_USAGE: UsageReport = {
  name: 'alice',
  since: '2026-11-23T00:00:00.000Z',
  resetsAt: '2026-11-30T00:00:00.000Z',
  budgetUsd: 10,
  per: 'week',
  spentUsd: 3.2,
  reservedUsd: 0,
  byStage: [{ group: 'referencer', asks: 3, calls: 6, promptTokens: 1200, completionTokens: 800, costUsd: 3.2, unpriced: 0, estimated: 0, reconciled: 0 }],
  byModel: [{ group: 'm-a', asks: 3, calls: 6, promptTokens: 1200, completionTokens: 800, costUsd: 3.2, unpriced: 0, estimated: 0, reconciled: 0 }],
};

/** A team server as far as the route goes: alice's key is known, any other is refused as the team gate refuses it. */
let team: Server;
let teamUrl: string;
let upstream: LoopbackUpstream;
const seenKeys: (string | undefined)[] = [];

before(async () => {
  team = createServer((req, res) => {
    seenKeys.push(req.headers.authorization);
    res.setHeader('content-type', 'application/json');
    if (req.url !== '/v1/smcs/usage') return res.writeHead(404).end(JSON.stringify({ error: { message: `no route ${req.url ?? ''}` } }));
    if (req.headers.authorization !== `Bearer ${ALICE}`) {
      // A hostile or careless server may echo what it was sent: the message must not carry it on.
      return res.writeHead(401).end(JSON.stringify({ error: { message: `the API key is missing, wrong or revoked (${req.headers.authorization ?? ''})`, type: 'invalid_request_error', code: 'invalid_api_key' } }));
    }
    res.writeHead(200).end(JSON.stringify(ALICE_USAGE));
  });
  await new Promise<void>((resolve) => team.listen(0, '127.0.0.1', resolve));
  teamUrl = `http://127.0.0.1:${(team.address() as AddressInfo).port}/v1`;
  upstream = await startLoopbackUpstream();
});
after(async () => {
  await new Promise<void>((resolve) => team.close(() => resolve()));
  await upstream.close();
});

/** The error `promise` rejects with. */
async function refusal(promise: Promise<unknown>): Promise<TeamUsageError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof TeamUsageError, `a TeamUsageError, got ${String(err)}`);
  return err;
}

test('the signed-in key reads its own usage, sent as a bearer key', async () => {
  const usage = await fetchTeamUsage({ id: 'team', baseUrl: `${teamUrl}/` }, ALICE);
  assert.equal(usage.name, 'alice');
  assert.equal(usage.spentUsd, 3.2);
  assert.equal(usage.budgetUsd, 10);
  assert.equal(usage.per, 'week');
  assert.deepEqual(usage.byStage, [{ stage: 'referencer', calls: 6, costUsd: 3.2 }]);
  assert.equal(seenKeys.at(-1), `Bearer ${ALICE}`);
});

test('a revoked key is refused with the endpoint named and the remedy, never the key', async () => {
  const err = await refusal(fetchTeamUsage({ id: 'team', baseUrl: teamUrl }, REVOKED));
  assert.equal(err.reason, 'key');
  assert.match(err.message, /^endpoint team: the team server refused the key \(missing, wrong or revoked\): set your team key with SMCS: Set API Key/);
  assert.ok(!err.message.includes(REVOKED));
  assert.equal((await refusal(fetchTeamUsage({ id: 'team', baseUrl: teamUrl }, undefined))).reason, 'key', 'no key at all');
});

test('an OpenAI-compatible server that is not a team server is named as such', async () => {
  const err = await refusal(fetchTeamUsage({ id: 'local-vllm', baseUrl: upstream.baseUrl }, 'EMPTY'));
  assert.equal(err.reason, 'not-team');
  assert.equal(err.message, `endpoint local-vllm keeps no budget or spend for your key: ${upstream.baseUrl}/smcs/usage answered 404 (only smcs serve --team answers it); if it is not an SMCS server at all, point the endpoint at the team server`);
});

test('a server that answers 200 with something else is not a team server either', async () => {
  const other = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [] })));
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  try {
    const err = await refusal(fetchTeamUsage({ id: 'proxy', baseUrl: `http://127.0.0.1:${(other.address() as AddressInfo).port}/v1` }, ALICE));
    assert.equal(err.reason, 'not-team');
    assert.match(err.message, /^endpoint proxy is not a team SMCS server: .* did not answer with a usage report/);
  } finally {
    await new Promise<void>((resolve) => other.close(() => resolve()));
  }
});

test('a server that is not listening is unreachable, named by its endpoint', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const err = await refusal(fetchTeamUsage({ id: 'team', baseUrl: `http://127.0.0.1:${port}/v1` }, ALICE));
  assert.equal(err.reason, 'unreachable');
  assert.match(err.message, new RegExp(`^endpoint team: the team server at http://127\\.0\\.0\\.1:${port}/v1/smcs/usage could not be reached`));
});

test("the Bank section's lines: one per team endpoint, its usage or its refusal", async () => {
  const endpoints = teamEndpoints([
    { id: 'team', provider: 'openai', baseUrl: teamUrl, headers: {}, maxConcurrency: 8, timeoutMs: 120000, teamServer: true },
    { id: 'openrouter', provider: 'openrouter', baseUrl: upstream.baseUrl, headers: {}, maxConcurrency: 8, timeoutMs: 120000 },
    { id: 'old-team', provider: 'openai', baseUrl: teamUrl, headers: {}, maxConcurrency: 8, timeoutMs: 120000, teamServer: true },
  ]);
  const keys: Record<string, string> = { team: ALICE, 'old-team': REVOKED };
  const views = await teamUsageViews(endpoints, async (e) => keys[e.id]);
  assert.deepEqual(views, [
    { endpoint: 'team', text: 'Team key alice: $3.20 of $10.00 this week · resets Mon', problem: false },
    { endpoint: 'old-team', text: 'endpoint old-team: the team server refused the key (missing, wrong or revoked): set your team key with SMCS: Set API Key, or ask whoever runs the server for a new one (smcs keys add)', problem: true },
  ]);
});

test('the key is the stored one, else the apiKeyEnv variable', async () => {
  const stored = { apiKey: async (id: string) => (id === 'team' ? 'stored-key' : undefined) };
  assert.equal(await endpointKey(stored, { id: 'team', apiKeyEnv: 'TEAM_KEY' }, { TEAM_KEY: 'env-key' }), 'stored-key');
  assert.equal(await endpointKey(stored, { id: 'other', apiKeyEnv: 'TEAM_KEY' }, { TEAM_KEY: ' env-key ' }), 'env-key');
  assert.equal(await endpointKey(stored, { id: 'other', apiKeyEnv: 'TEAM_KEY' }, {}), undefined);
});
