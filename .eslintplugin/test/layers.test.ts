/** The lint rules that hold the layers (.eslintplugin/layers.mjs) fail on deliberate breaks, linting real files of the tree with edited text. */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';
import { REPO } from '../../test/fixtures/repo';

// CI=true makes typescript-eslint assume a one-shot CLI run that lints files as they are on disk; these tests lint
// edited text, so they ask for the program to follow the text they pass.
const eslint = new ESLint({
  cwd: REPO,
  overrideConfig: { files: ['**/*.ts'], languageOptions: { parserOptions: { disallowAutomaticSingleRunInference: true } } },
});

/** Lints `code` as if it were the file `file` of the tree; returns `rule: message` lines. */
async function lintAs(file: string, code: string): Promise<string[]> {
  const results = await eslint.lintText(code, { filePath: path.join(REPO, file) });
  return results.flatMap((r) => r.messages.map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`));
}

const has = (messages: string[], rule: string, text: RegExp) => messages.some((m) => m.startsWith(`${rule}:`) && text.test(m));

describe('layer rules', () => {
  it('refuse vscode in the engine core', async () => {
    const messages = await lintAs('src/core/util/rng.ts', "import * as vscode from 'vscode';\nexport const x = vscode;\n");
    assert.ok(has(messages, 'no-restricted-imports', /only src\/vscode imports vscode/), messages.join('\n'));
  });

  it('refuse the core importing the LLM layer, and the bank importing it', async () => {
    const core = await lintAs('src/core/util/rng.ts', "import { createGateway } from '../../llm/gateway';\nexport const x = createGateway;\n");
    assert.ok(has(core, 'local/layers', /src\/core may not import src\/llm/), core.join('\n'));
    const bank = await lintAs('src/bank/stats.ts', "import { createGateway } from '../llm/gateway';\nexport const x = createGateway;\n");
    assert.ok(has(bank, 'local/layers', /src\/bank may not import src\/llm/), bank.join('\n'));
  });

  it('refuse node: modules in the webview, and the webview reaching past the shared code', async () => {
    const messages = await lintAs('src/webview/totals.ts', "import { readFileSync } from 'node:fs';\nimport { drawSubsets } from '../core/posterior/priorDrop';\nexport const y = [readFileSync, drawSubsets];\n");
    assert.ok(has(messages, 'no-restricted-imports', /no node: modules/), messages.join('\n'));
    assert.ok(has(messages, 'local/layers', /src\/webview may not import src\/core/), messages.join('\n'));
  });

  it('refuse a floating promise in the host', async () => {
    const messages = await lintAs('src/vscode/log.ts', 'async function save(): Promise<void> {}\nexport function onChange(): void {\n  save();\n}\n');
    assert.ok(has(messages, '@typescript-eslint/no-floating-promises', /Promises must be awaited/), messages.join('\n'));
  });

  it('refuse reading settings outside the settings module', async () => {
    const messages = await lintAs('src/vscode/log.ts', "import * as vscode from 'vscode';\nexport const port = vscode.workspace.getConfiguration('smcs').get<number>('server.port');\n");
    assert.ok(has(messages, 'no-restricted-properties', /src\/vscode\/settings\.ts/), messages.join('\n'));
    const settings = await lintAs('src/vscode/settings.ts', "import * as vscode from 'vscode';\nexport const port = vscode.workspace.getConfiguration('smcs').get<number>('server.port');\n");
    assert.deepEqual(settings.filter((m) => m.startsWith('no-restricted-properties')), []);
  });

  it('let the host import the engine for types only; a value import must go through the runtime', async () => {
    const typeOnly = await lintAs('src/vscode/log.ts', "import type { LocalBank } from '../bank';\nexport type B = LocalBank;\n");
    assert.deepEqual(typeOnly.filter((m) => m.startsWith('local/layers')), []);
    const value = await lintAs('src/vscode/log.ts', "import { LocalBank } from '../bank';\nexport const b = LocalBank;\n");
    assert.ok(has(value, 'local/layers', /src\/vscode may import src\/bank for types only/), value.join('\n'));
  });

  it('refuse product code importing test code, by type or value', async () => {
    const value = await lintAs('src/cli/serverBench.ts', "import { REPO } from '../../test/fixtures/repo';\nexport const r = REPO;\n");
    assert.ok(has(value, 'local/layers', /product code may not import test code/), value.join('\n'));
    const beside = await lintAs('src/bank/stats.ts', "import type { X } from './test/helpers';\nexport type Y = X;\n");
    assert.ok(has(beside, 'local/layers', /product code may not import test code/), beside.join('\n'));
  });

  it("hold core's own layers: contracts imports only util, and no core folder imports one above it", async () => {
    const contracts = await lintAs('src/core/contracts/events.ts', "import type { ModelEstimate } from '../routing/priceRouting';\nexport type E = ModelEstimate;\n");
    assert.ok(has(contracts, 'local/layers', /src\/core\/contracts may not import src\/core\/routing/), contracts.join('\n'));
    const peer = await lintAs('src/core/grading/learning.ts', "import { hybridScores } from '../posterior/hybridScore';\nexport const h = hybridScores;\n");
    assert.ok(has(peer, 'local/layers', /src\/core\/grading may not import src\/core\/posterior/), peer.join('\n'));
    const down = await lintAs('src/core/routing/rps.ts', "import { cosine } from '../util/vectorMath';\nimport type { SmcsParams } from '../contracts/types';\nexport const c = cosine;\nexport type P = SmcsParams;\n");
    assert.deepEqual(down.filter((m) => m.startsWith('local/layers')), []);
  });

  it('know every folder of src/core', async () => {
    const { CORE_LAYERS } = await import('../layers.mjs');
    const folders = readdirSync(path.join(REPO, 'src', 'core'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    assert.deepEqual(folders.filter((f) => !CORE_LAYERS.flat().includes(f)), []);
  });

  it('know every folder of src/', async () => {
    const { LAYERS } = await import('../layers.mjs');
    const folders = readdirSync(path.join(REPO, 'src'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    assert.deepEqual(folders.filter((f) => !(f in LAYERS)), []);
  });
});
