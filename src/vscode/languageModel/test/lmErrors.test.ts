/** Errors through VS Code's chat name the remedy — a real command of package.json, or the setting — and never quote JSON or a stack. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { REPO } from '../../../../test/fixtures/repo';
import { ERROR_KINDS } from '../../../core/contracts/errors';
import { costLimitFailure, failureOf, NO_SERVERS, plainDetail, settingFailure, type LmFailure } from '../lmErrors';

const manifest = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { contributes: { commands: { title: string; category?: string }[] } };
const TITLES = new Set(manifest.contributes.commands.map((c) => `${c.category ? `${c.category}: ` : ''}${c.title}`));

/** Every “…” a message quotes is the title of a command in package.json. */
function assertNamesRealCommands(failure: LmFailure): void {
  for (const [, title] of failure.message.matchAll(/“([^”]+)”/g)) {
    if (title?.startsWith('SMCS: ') && title !== 'SMCS: best single model') assert.ok(TITLES.has(title ?? ''), `${title} is no command title`);
  }
}

test('no servers: NotFound, naming the commands that add one', () => {
  assert.equal(NO_SERVERS.code, 'NotFound');
  assert.match(NO_SERVERS.message, /Run “SMCS: Add vLLM Server” or “SMCS: Add OpenRouter”/);
  assertNamesRealCommands(NO_SERVERS);
});

test('a missing or refused key: NoPermissions, naming SMCS: Set API Key', () => {
  const missing = settingFailure('smcs.endpoints', 'endpoints[openrouter].apiKeyEnv: endpoint openrouter (provider openrouter) needs an API key: set "apiKeyEnv"');
  assert.equal(missing.code, 'NoPermissions');
  assert.match(missing.message, /SMCS: Set API Key/);
  const refused = failureOf('auth', 'endpoint local, model m1: HTTP 401: {"error": "Unauthorized"}');
  assert.equal(refused.code, 'NoPermissions');
  assert.match(refused.message, /SMCS: Set API Key/);
  assert.doesNotMatch(refused.message, /[{}]/);
});

test('every endpoint offline names the setting and the command; the bank names Recover and Import', () => {
  assert.match(failureOf('connection', 'endpoint local: connect ECONNREFUSED 127.0.0.1:9').message, /smcs\.endpoints .*SMCS: Open Settings/);
  assert.match(failureOf('bank', 'the bank holds no questions').message, /SMCS: Recover Bank.*SMCS: Import Bank/);
  for (const kind of ERROR_KINDS) assertNamesRealCommands(failureOf(kind, 'x'));
});

test('over the cost limit: Blocked, naming the setting smcs.maxCostPerQuestion and the sums', () => {
  const failure = costLimitFailure({ judgedUsd: 0.0123, judged: 'expected', worstUsd: 0.5, limitUsd: 0.01, assumed: [], basis: [] });
  assert.equal(failure.code, 'Blocked');
  assert.match(failure.message, /\$0\.0123, above the limit of \$0\.01 set by smcs\.maxCostPerQuestion/);
  assertNamesRealCommands(failure);
});

test("over a team server's cost limit: Blocked, the limit the server's (its admin sets it), no setting of the member's named", () => {
  const failure = costLimitFailure({ judgedUsd: 0.0123, judged: 'expected', worstUsd: 0.5, limitUsd: 0.01, assumed: [], basis: [] }, true);
  assert.equal(failure.code, 'Blocked');
  assert.match(failure.message, /\$0\.0123, above the team server's limit of \$0\.01 \(its admin sets it\), so nothing was sent/);
  assert.doesNotMatch(failure.message, /maxCostPerQuestion|Open Settings/);
  assertNamesRealCommands(failure);
});

test('details are one plain line: no stack, no JSON, no key', () => {
  const error = new Error('boom');
  assert.equal(plainDetail(`model m: HTTP 500: {"error":{"message":"x"}}\n${error.stack ?? ''}`), 'model m: HTTP 500');
  assert.equal(plainDetail('Bearer sk-abcdefghijklmnopqrstuvwx refused.').includes('sk-abcdefghijklmnopqrstuvwx'), false);
});

test('a long detail is kept whole: a sentence cut in the middle says nothing', () => {
  const long = `the embedding model Xenova/all-MiniLM-L6-v2 could not be downloaded from https://huggingface.co (${'offline; '.repeat(40)}) and no local copy was found in the cache folder`;
  assert.equal(plainDetail(`${long}.`), long);
});
