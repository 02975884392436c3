/**
 * The ways forward when the embedding model cannot be used (an unreachable model hub, a declined download), as
 * commands: use the lexical embedder, choose a local model folder, or use an /embeddings endpoint. Each sets the
 * `smcs.embedding.*` settings and resolves true once the extension runs on them (so the panel can ask the question
 * again, an import go on), false when the user cancelled. A command the user started (an import) offers them in a
 * modal when its embedding fails.
 */
import * as vscode from 'vscode';
import { inspectSetting, writeSetting, type SettingKey } from '../settings';
import { errorMessage } from '../../core/contracts/errors';
import type { SmcsConfig } from '../../core/contracts/config';
import type { DiscoveredModel } from '../../llm/discovery';
import { EMBEDDER_REMEDIES, isEmbedderRemedy, type EmbedderRemedy } from '../../presentation/protocol';
import { configuredEndpointIds, withDiscovery } from '../endpoints/endpointCommands';
import { looksLikeEmbeddingModel } from '../endpoints/modelDiscovery';
import type { EngineHolder } from '../engineHolder';
import type { Log } from '../log';
import { loadRuntime } from '../loadRuntime';
import type { VscodeSecrets } from '../endpoints/secrets';

/** The command that applies each way forward. */
export const REMEDY_COMMANDS: Readonly<Record<EmbedderRemedy, string>> = {
  lexical: 'smcs.useLexicalEmbedder',
  'local-model': 'smcs.chooseEmbeddingModelFolder',
  endpoint: 'smcs.useEmbeddingsEndpoint',
};

/** Settings that workspace settings may not set in an untrusted workspace (package.json restrictedConfigurations). */
const RESTRICTED = new Set<SettingKey>(['embedding.localModelPath', 'embedding.endpoint']);

/**
 * Where to write a setting: the workspace when it already sets it there (a user value would stay overridden),
 * else the user settings (a model folder or an embedding server belongs to the machine, not the project).
 */
function targetOf(key: SettingKey): vscode.ConfigurationTarget {
  const inWorkspace = inspectSetting(key)?.workspaceValue !== undefined;
  const allowed = vscode.workspace.isTrusted || !RESTRICTED.has(key);
  return inWorkspace && allowed ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
}

export interface RemedyDeps {
  engine: EngineHolder;
  secrets: VscodeSecrets;
  log: Log;
}

/** Writes `smcs.<key>` settings, then waits until the engine holder sees `applied` hold. */
async function apply(deps: RemedyDeps, values: Partial<Record<SettingKey, string>>, applied: (config: SmcsConfig) => boolean, what: string): Promise<boolean> {
  for (const [key, value] of Object.entries(values) as [SettingKey, string][]) await writeSetting(key, value, targetOf(key));
  const seen = await deps.engine.settled(applied);
  deps.log.info(`embedding: ${what}${seen ? '' : ' (the settings were written but not yet seen)'}`);
  return seen;
}

/** The validated settings, or undefined while they are invalid (a way forward still works then). */
function currentConfig(deps: RemedyDeps): SmcsConfig | undefined {
  try {
    return deps.engine.config();
  } catch {
    return undefined;
  }
}

/** SMCS: Use the Lexical Embedder — and says what that means for retrieval and for the question bank. */
export async function useLexicalEmbedder(deps: RemedyDeps): Promise<boolean> {
  const applied = await apply(deps, { 'embedding.provider': 'lexical' }, (c) => c.embedding.provider === 'lexical', 'switched to the lexical embedder');
  if (applied) {
    const bank = await bankNote(deps, loadRuntime().embedderId({ provider: 'lexical' }));
    void vscode.window.showInformationMessage(
      `SMCS now uses the lexical embedder: nothing to download, but models are chosen less well.${bank}`,
    );
  }
  return applied;
}

/** What an embedder change to `id` means for the bank the settings name: built with it from now on, or built with another. */
async function bankNote(deps: RemedyDeps, id: string): Promise<string> {
  const config = currentConfig(deps);
  if (!config) return '';
  const runtime = loadRuntime();
  try {
    const dir = runtime.bankDir(config, deps.engine.hooks.storageDir);
    const access = runtime.bankAccess(config, deps.engine.hooks);
    if (!(await runtime.bankExists(dir, access))) return ' The question bank is built with it when you import or profile.';
    const recorded = await runtime.readBankEmbedder(dir, access);
    if ('embedder' in recorded && recorded.embedder.id === id) return '';
    const built = 'embedder' in recorded ? recorded.embedder.id : 'another embedder';
    return ` Your question bank was built with ${built}, so it cannot choose models with this one: import your questions into a new bank (setting smcs.bank) to build one with it.`;
  } catch (err) {
    deps.log.warn(`embedding: could not read the bank's embedder: ${errorMessage(err)}`);
    return '';
  }
}

/** The transformers model the settings name (the default model when they name none). */
function transformersModel(deps: RemedyDeps): string {
  const model = currentConfig(deps)?.embedding.model;
  return loadRuntime().embedderId({ provider: 'transformers', ...(model ? { model } : {}) }).replace(/^transformers:/, '');
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/**
 * The folder to set as `localModelPath` for `picked`: itself when it holds `<model>/config.json`; the folder two (or
 * one) levels up when the user picked the model's own folder; undefined when neither holds the model.
 */
async function modelRoot(picked: vscode.Uri, model: string): Promise<vscode.Uri | undefined> {
  const parts = model.split('/');
  if (await exists(vscode.Uri.joinPath(picked, ...parts, 'config.json'))) return picked;
  if (!(await exists(vscode.Uri.joinPath(picked, 'config.json')))) return undefined;
  let root = picked;
  for (const part of [...parts].reverse()) {
    if (!root.path.endsWith(`/${part}`)) return undefined;
    root = vscode.Uri.joinPath(root, '..');
  }
  return root;
}

/** SMCS: Choose a Local Embedding Model Folder…: a folder that contains `<model>/` (config.json, tokenizer, onnx/). */
export async function chooseEmbeddingModelFolder(deps: RemedyDeps): Promise<boolean> {
  const model = transformersModel(deps);
  const picked = await vscode.window.showOpenDialog({
    title: `Folder that contains ${model}/ (config.json, tokenizer.json, tokenizer_config.json, onnx/model_quantized.onnx)`,
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    openLabel: 'Use This Folder',
  });
  const [folder] = picked ?? [];
  if (!folder) return false;
  const root = await modelRoot(folder, model);
  if (!root) {
    const choice = await vscode.window.showWarningMessage(
      `SMCS: ${folder.fsPath} holds no ${model}/config.json. Choose the folder that contains ${model}/.`,
      'Use It Anyway',
    );
    if (choice !== 'Use It Anyway') return false;
  }
  const path = (root ?? folder).fsPath;
  return apply(deps, { 'embedding.provider': 'transformers', 'embedding.localModelPath': path }, (c) => c.embedding.localModelPath === path, `local model folder ${path}`);
}

/** The models an endpoint lists (best effort: none when it cannot be asked). */
async function listModels(deps: RemedyDeps, endpointId: string): Promise<DiscoveredModel[]> {
  const endpoint = currentConfig(deps)?.endpoints.find((e) => e.id === endpointId);
  if (!endpoint) return [];
  try {
    const key = (await deps.secrets.apiKey(endpointId)) ?? (endpoint.apiKeyEnv ? process.env[endpoint.apiKeyEnv] : undefined);
    return (await withDiscovery(`SMCS: listing the models of ${endpointId}`, endpoint.baseUrl, key)) ?? [];
  } catch (err) {
    deps.log.warn(`embedding: could not list the models of ${endpointId}: ${errorMessage(err)}`);
    return [];
  }
}

interface ModelChoice extends vscode.QuickPickItem {
  /** The model id this item stands for (absent on separators). */
  model?: string;
}

/** The listed models as Quick Pick items: those that look like embedding models first, then the others. */
function modelItems(models: readonly DiscoveredModel[]): ModelChoice[] {
  const item = (m: DiscoveredModel, embedding: boolean): ModelChoice => ({
    label: m.id,
    model: m.id,
    ...(embedding ? { description: 'looks like an embedding model' } : {}),
    ...(m.root !== undefined ? { detail: m.root } : {}),
  });
  const embedding = models.filter(looksLikeEmbeddingModel);
  const others = models.filter((m) => !looksLikeEmbeddingModel(m));
  if (embedding.length === 0 || others.length === 0) return models.map((m) => item(m, embedding.length > 0));
  return [
    ...embedding.map((m) => item(m, true)),
    { label: 'other models (a chat model cannot embed)', kind: vscode.QuickPickItemKind.Separator },
    ...others.map((m) => item(m, false)),
  ];
}

/**
 * The embedding model of `endpointId`: one of the listed models (those that look like embedding models first and
 * marked), or any model id typed into the box — a server may serve an embedding model its /models does not list,
 * and a typed id is taken as it is.
 */
function pickEmbeddingModel(endpointId: string, models: readonly DiscoveredModel[]): Promise<string | undefined> {
  const listed = modelItems(models);
  const pick = vscode.window.createQuickPick<ModelChoice>();
  pick.title = `SMCS: the embedding model of ${endpointId}`;
  pick.placeholder = models.length > 0 ? 'Choose a model, or type the id of the embedding model the endpoint serves' : 'Type the id of the embedding model the endpoint serves';
  pick.ignoreFocusOut = true;
  pick.items = listed;
  pick.onDidChangeValue((value) => {
    const typed = value.trim();
    const known = typed === '' || models.some((m) => m.id === typed);
    pick.items = known ? listed : [...listed, { label: `Use "${typed}"`, description: 'the model id as typed', model: typed, alwaysShow: true }];
  });
  return new Promise((resolve) => {
    let chosen: string | undefined;
    pick.onDidAccept(() => {
      chosen = pick.selectedItems[0]?.model;
      if (chosen !== undefined) pick.hide();
    });
    pick.onDidHide(() => {
      pick.dispose();
      resolve(chosen);
    });
    pick.show();
  });
}

/** SMCS: Use an /embeddings Endpoint…: one of the configured endpoints and the embedding model it serves. */
export async function useEmbeddingsEndpoint(deps: RemedyDeps): Promise<boolean> {
  const ids = configuredEndpointIds();
  if (ids.length === 0) {
    const choice = await vscode.window.showInformationMessage('SMCS: add the server that serves an embedding model first, then choose it here.', 'Add vLLM Server');
    if (choice === 'Add vLLM Server') await vscode.commands.executeCommand('smcs.addVllmServer');
    return false;
  }
  const endpointId = await vscode.window.showQuickPick(ids, { title: 'SMCS: the endpoint that serves an embedding model (POST /embeddings)', ignoreFocusOut: true });
  if (endpointId === undefined) return false;
  const model = await pickEmbeddingModel(endpointId, await listModels(deps, endpointId));
  if (!model) return false;
  return apply(
    deps,
    { 'embedding.provider': 'endpoint', 'embedding.endpoint': endpointId, 'embedding.model': model },
    (c) => c.embedding.provider === 'endpoint' && c.embedding.endpoint === endpointId && c.embedding.model === model,
    `embedding through ${endpointId} (${model})`,
  );
}

/** The buttons of the modal that offers the ways forward, in the order the panel shows them. */
const REMEDY_BUTTONS: Readonly<Record<EmbedderRemedy, string>> = {
  lexical: 'Use the Lexical Embedder',
  'local-model': 'Use a Local Model Folder…',
  endpoint: 'Use an /embeddings Endpoint…',
};

/** What each way forward means, for the modal's detail. */
const REMEDY_NOTES: Readonly<Record<EmbedderRemedy, string>> = {
  lexical: 'The lexical embedder: nothing to download; it finds similar questions less well than a model.',
  'local-model': 'A local model folder: a copy of the model made on a machine with internet.',
  endpoint: 'An /embeddings endpoint: an embedding model served by one of your servers.',
};

/** A property of a thrown value (errors come from the engine bundle, so they are read as data, not by class). */
const fieldOf = (value: unknown, name: string): unknown => (typeof value === 'object' && value !== null ? (Reflect.get(value, name) as unknown) : undefined);

/** The ways forward an `embedding` failure carries (as data: `remedies[].id`); all of them when it carries none. */
function remediesOf(err: unknown): EmbedderRemedy[] {
  const carried = fieldOf(err, 'remedies');
  const ids = Array.isArray(carried) ? carried.map((r: unknown) => fieldOf(r, 'id')).filter(isEmbedderRemedy) : [];
  return ids.length > 0 ? ids : [...EMBEDDER_REMEDIES];
}

/** The failure in a sentence, without the ways forward spelled out as config keys (the buttons offer them). */
function problemOf(err: unknown): string {
  const problem = fieldOf(err, 'problem');
  return typeof problem === 'string' ? problem : errorMessage(err);
}

/**
 * After an `embedding` failure of something the user started (`what`, e.g. "the import of bank.jsonl"): a modal
 * names the problem and offers the ways forward as buttons. Resolves true once one is applied (the caller then starts
 * `what` again), false when the user closed the modal; a way forward the user cancelled (a folder dialog closed) asks again.
 */
export async function offerEmbedderRemedies(err: unknown, what: string): Promise<boolean> {
  const remedies = remediesOf(err);
  for (;;) {
    const choice = await vscode.window.showWarningMessage(
      `SMCS: ${what} needs the embedding model, which cannot be used.`,
      { modal: true, detail: `${problemOf(err)}\n\nChoose another way to embed questions; ${what} then goes on.\n${remedies.map((r) => `• ${REMEDY_NOTES[r]}`).join('\n')}` },
      ...remedies.map((r) => REMEDY_BUTTONS[r]),
    );
    const remedy = remedies.find((r) => REMEDY_BUTTONS[r] === choice);
    if (remedy === undefined) return false;
    if ((await vscode.commands.executeCommand<boolean>(REMEDY_COMMANDS[remedy])) === true) return true;
  }
}
