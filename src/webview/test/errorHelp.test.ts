import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createRun, type RunState } from '../../presentation/runState';
import { EMBEDDER_REMEDIES, type ErrorKind } from '../../presentation/protocol';
import { errorHelp, failureNotice } from '../../presentation/errorHelp';
import type { MarkdownRenderer } from '../markdown';
import { installPanelDom } from '../../../test/fixtures/panelDom';
import { RunView } from '../runView';

let render: MarkdownRenderer;

before(() => {
  render = installPanelDom();
});

const failed = (kind: ErrorKind, message: string): RunState => ({
  ...createRun('run-7', 'How do I sort a list?', 1000),
  status: 'error',
  finishedAt: 2000,
  error: { message, kind, causes: [] },
});

test('an embedding failure offers the three ways forward, in order, as data the banner turns into buttons', () => {
  const help = errorHelp('embedding');
  assert.deepEqual(
    help.actions.map((a) => ('remedy' in a ? a.remedy : a.command)),
    [...EMBEDDER_REMEDIES],
  );
  assert.deepEqual(
    help.actions.map((a) => a.label),
    ['Use the lexical embedder', 'Choose a local model folder…', 'Use an /embeddings endpoint…'],
  );
});

test("the run's banner shows one retry button per way forward, each naming the run; other kinds keep their command button; Retry comes last", () => {
  const view = new RunView(failed('embedding', 'The embedding model Xenova/all-MiniLM-L6-v2 could not be downloaded: huggingface.co could not be reached'), render);
  const banner = view.root.querySelector('[data-testid="run-banner"]');
  assert.ok(banner && !banner.hasAttribute('hidden'));
  assert.match(banner.textContent ?? '', /huggingface\.co could not be reached\. Choose another way to embed/);
  const buttons = [...banner.querySelectorAll<HTMLElement>('button')];
  assert.deepEqual(
    buttons.map((b) => [b.dataset.action, b.dataset.remedy, b.dataset.runId, b.textContent]),
    [
      ['retry-with', 'lexical', 'run-7', 'Use the lexical embedder'],
      ['retry-with', 'local-model', 'run-7', 'Choose a local model folder…'],
      ['retry-with', 'endpoint', 'run-7', 'Use an /embeddings endpoint…'],
      ['retry', undefined, 'run-7', 'Retry'],
    ],
  );

  const auth = new RunView(failed('auth', 'endpoint gw: the API key was rejected (HTTP 401)'), render).root.querySelectorAll<HTMLElement>('[data-testid="run-banner"] button');
  assert.deepEqual(
    [...auth].map((b) => [b.dataset.action, b.dataset.command, b.dataset.testid]),
    [['command', 'smcs.setApiKey', 'run-banner-action'], ['retry', undefined, 'run-retry']],
  );
});

test('several causes fold under the message and hint; one cause reads inline', () => {
  const run: RunState = {
    ...createRun('run-8', 'How do I sort a list?', 1000),
    status: 'error',
    finishedAt: 2000,
    error: { message: 'All 3 referencers failed', kind: 'auth', causes: ['endpoint gw, model a: key rejected', 'endpoint gw, model b: key rejected', 'endpoint gw, model c: key rejected'] },
  };
  const banner = new RunView(run, render).root.querySelector('[data-testid="run-banner"]');
  assert.equal(banner?.querySelector('.banner-text')?.textContent, 'All 3 referencers failed. The API key was rejected: set the key for this endpoint again.');
  const folded = banner?.querySelector('details[data-testid="run-banner-causes"]');
  assert.ok(folded && !folded.hasAttribute('open'));
  assert.equal(folded.querySelector('summary')?.textContent, '3 causes');
  assert.deepEqual([...folded.querySelectorAll('li')].map((li) => li.textContent), run.error?.causes);

  const single: RunState = { ...run, error: { message: 'The only referencer failed', kind: 'auth', causes: ['endpoint gw, model a: key rejected'] } };
  const inline = new RunView(single, render).root.querySelector('[data-testid="run-banner"]');
  assert.match(inline?.textContent ?? '', /The only referencer failed — endpoint gw, model a: key rejected\. The API key was rejected/);
  assert.equal(inline?.querySelector('details'), null);
});

test('a failure at an endpoint: the banner names it by id and host and says what to do, with Test Connection, its settings and Retry; what the calls said is folded', () => {
  const run: RunState = {
    ...failed('connection', 'All 2 referencers failed'),
    error: {
      message: 'All 2 referencers failed',
      kind: 'connection',
      causes: ['endpoint gpu-box, model m1: connection failed: fetch failed (connect ECONNREFUSED 127.0.0.1:18599)', 'endpoint gpu-box, model m2: connection failed: fetch failed (connect ECONNREFUSED 127.0.0.1:18599)'],
      endpoints: [{ id: 'gpu-box', host: '127.0.0.1:18599' }],
    },
  };
  const banner = new RunView(run, render).root.querySelector<HTMLElement>('[data-testid="run-banner"]');
  assert.ok(banner);
  assert.equal(banner.querySelector('.banner-text')?.textContent, 'Endpoint gpu-box (127.0.0.1:18599) could not be reached. Check that its server is running and that its base URL in the endpoint settings is right, then retry.');
  const buttons = [...banner.querySelectorAll<HTMLElement>('.banner-actions button')];
  assert.deepEqual(buttons.map((b) => b.textContent), ['Test Connection', 'Open Endpoint Settings', 'Retry']);
  assert.deepEqual(buttons.slice(0, 2).map((b) => b.dataset.command), ['smcs.testEndpoints', 'smcs.openEndpointSettings']);
  const details = banner.querySelector<HTMLDetailsElement>('[data-testid="run-banner-causes"]');
  assert.ok(details && !details.open, 'the calls’ messages are folded');
  assert.equal(details.querySelectorAll('li').length, 3);
});

test('a rejected key at an endpoint offers Set API Key first; a failure that is no endpoint’s keeps the generic help', () => {
  const auth: RunState = { ...failed('auth', 'The only referencer failed'), error: { message: 'The only referencer failed', kind: 'auth', causes: ['endpoint or: the API key was rejected (HTTP 401)'], endpoints: [{ id: 'or', host: 'openrouter.ai' }] } };
  const banner = new RunView(auth, render).root.querySelector<HTMLElement>('[data-testid="run-banner"]');
  assert.match(banner?.textContent ?? '', /^Endpoint or \(openrouter\.ai\) rejected the API key\. Set its API key again\./);
  assert.equal(banner?.querySelector('.banner-actions button')?.textContent, 'Set API Key');
  const bank = new RunView(failed('bank', 'the bank is locked by another process'), render).root.querySelector<HTMLElement>('[data-testid="run-banner"]');
  assert.doesNotMatch(bank?.textContent ?? '', /Endpoint/);
});

test('a failure whose message ends its own sentence gets one full stop, not two', () => {
  const notice = failureNotice({ message: 'Download of the embedding model "Xenova/all-MiniLM-L6-v2" was declined.', kind: 'embedding', causes: [] });
  assert.ok(!notice.text.includes('..'), notice.text);
  assert.match(notice.text, /was declined\. Choose another way to embed/);
});

test('a connection lost in the middle of a reply is told as that, not as a server that could not be reached', () => {
  const notice = failureNotice({ message: 'All 3 referencers failed', kind: 'connection', causes: ['endpoint local, model a: connection lost: terminated'], endpoints: [{ id: 'local', host: '127.0.0.1:8000' }] });
  assert.match(notice.text, /^Endpoint local \(127\.0\.0\.1:8000\) lost the connection in the middle of a reply\. Its server stopped while it was answering/);
  assert.doesNotMatch(notice.text, /could not be reached|base URL/);
  const unreachable = failureNotice({ message: 'All 3 referencers failed', kind: 'connection', causes: ['endpoint local, model a: connection failed: ECONNREFUSED'], endpoints: [{ id: 'local', host: '127.0.0.1:8000' }] });
  assert.match(unreachable.text, /could not be reached/);
});

test('a spent budget is told as one, in the server’s own words, never as a rate limit to wait out', () => {
  const words = 'the budget of tiny is $0.0001 per day: $0.0035 spent; it resets at 2026-11-28 00:00 UTC';
  const notice = failureNotice({ message: `endpoint team, model smcs: the budget is spent (HTTP 429 insufficient_quota): ${words}`, kind: 'quota', causes: [], endpoints: [{ id: 'team', host: '127.0.0.1:8765' }] });
  assert.equal(notice.text, `Endpoint team (127.0.0.1:8765) refused: the budget is spent: ${words}. Waiting a moment will not help: ask whoever runs it to raise the budget (or add credit), or use another endpoint.`);
  assert.doesNotMatch(notice.text, /slow down|maxConcurrency|rate limit/);
  const limited = failureNotice({ message: 'endpoint team, model smcs: rate limited (HTTP 429): 60 requests a minute', kind: 'rate-limit', causes: [], endpoints: [{ id: 'team', host: '127.0.0.1:8765' }] });
  assert.match(limited.text, /asked to slow down \(rate limited\)\. Wait a moment/);
});

test('a rate limit says the wait its server asked for; at a team server, that its admin sets the key\'s rate, never maxConcurrency', () => {
  const failed = { message: 'endpoint team, model smcs: rate limited (HTTP 429): the key of rae may make 1 requests a minute', kind: 'rate-limit' as const, causes: [] };
  const team = failureNotice({ ...failed, endpoints: [{ id: 'team', host: '127.0.0.1:8765', teamServer: true }], retryAfterMs: 35_000 });
  assert.equal(team.text, "Endpoint team (127.0.0.1:8765) asked to slow down (rate limited). Try again in 35 s; the team server's admin limits your key's request rate, and nothing in your settings changes it.");
  assert.doesNotMatch(team.text, /maxConcurrency/);
  assert.deepEqual(team.actions.map((a) => a.label), ['Show Log']);
  const plain = failureNotice({ ...failed, endpoints: [{ id: 'or', host: 'openrouter.ai' }], retryAfterMs: 35_000 });
  assert.equal(plain.text, 'Endpoint or (openrouter.ai) asked to slow down (rate limited). Try again in 35 s, as it asked; if it keeps happening, lower its maxConcurrency in the endpoint settings.');
});

test('a team server\'s own endpoint that failed is its admin\'s to mend, named by the id the server gave, never a host', () => {
  const behind = { id: 'team', host: '127.0.0.1:8765' };
  const down = failureNotice({ message: 'All 2 referencers failed', kind: 'connection', causes: ['endpoint gpu, model a: connection failed: ECONNREFUSED 10.0.0.7:8000'], endpoints: [{ id: 'gpu', behind }] });
  assert.equal(down.text, "The team server team (127.0.0.1:8765) could not reach its model endpoint gpu. Its admin must fix it (that endpoint is in the team server's config, not in yours).");
  const slow = failureNotice({ message: 'All 2 referencers failed', kind: 'timeout', causes: [], endpoints: [{ id: 'gpu', behind }, { id: 'cpu', behind }] });
  assert.equal(slow.text, "The team server team (127.0.0.1:8765) failed at its model endpoints gpu and cpu, which did not answer in time. Ask again in a moment; if it goes on, its admin must fix it (those endpoints are in the team server's config, not in yours).");
});
