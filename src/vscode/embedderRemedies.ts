/**
 * The ways forward when the embedding model cannot be used (an unreachable model hub, a declined download), as
 * commands: use the lexical embedder, choose a local model folder, or use an /embeddings endpoint. Each sets the
 * `smcs.embedding.*` settings and resolves true once the extension runs on them (so the panel can ask the question
 * again), false when the user cancelled.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../core/errors';
import type { SmcsConfig } from '../core/config';
import type { EmbedderRemedy } from '../shared/protocol';
import { configuredEndpointIds, withDiscovery } from './endpointCommands';
import type { EngineHolder } from './engineHolder';
import type { Log } from './log';
import { loadRuntime } from './runtime';
import type { VscodeSecrets } from './secrets';

/** The command that applies each way forward. */
export const REMEDY_COMMANDS: Readonly<Record<EmbedderRemedy, string>> = {
  lexical: 'smcs.useLexicalEmbedder',
  'local-model': 'smcs.chooseEmbeddingModelFolder',
  endpoint: 'smcs.useEmbeddingsEndpoint',
};

/** Settings that workspace settings may not set in an untrusted workspace (package.json restrictedConfigurations). */
const RESTRICTED = new Set(['embedding.localModelPath', 'embedding.endpoint']);

/**
 * Where to write a setting: the workspace when it already sets it there (a user value would stay overridden),
 * else the user settings (a model folder or an embedding server belongs to the machine, not the project).
 */
function targetOf(section: vscode.WorkspaceConfiguration, key: string): vscode.ConfigurationTarget {
  const inWorkspace = section.inspect(key)?.workspaceValue !== undefined;
  const allowed = vscode.workspace.isTrusted || !RESTRICTED.has(key);
  return inWorkspace && allowed ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
}

export interface RemedyDeps {
  engine: EngineHolder;
  secrets: VscodeSecrets;
  log: Log;
}

/** Writes `smcs.<key>` settings, then waits until the engine holder sees `applied` hold. */
async function apply(deps: RemedyDeps, values: Record<string, string>, applied: (config: SmcsConfig) => boolean, what: string): Promise<boolean> {
  const section = vscode.workspace.getConfiguration('smcs');
  for (const [key, value] of Object.entries(values)) await section.update(key, value, targetOf(section, key));
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

/** SMCS: Use the Lexical Embedder. */
export function useLexicalEmbedder(deps: RemedyDeps): Promise<boolean> {
  return apply(deps, { 'embedding.provider': 'lexical' }, (c) => c.embedding.provider === 'lexical', 'switched to the lexical embedder');
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
      `SMCS: ${folder.fsPath} does not contain ${model}/config.json. Copy the model folder there (${model}/ with config.json, tokenizer.json, tokenizer_config.json and onnx/model_quantized.onnx), or choose another folder.`,
      'Use It Anyway',
    );
    if (choice !== 'Use It Anyway') return false;
  }
  const path = (root ?? folder).fsPath;
  return apply(deps, { 'embedding.provider': 'transformers', 'embedding.localModelPath': path }, (c) => c.embedding.localModelPath === path, `local model folder ${path}`);
}

/** The models an endpoint lists (best effort: none when it cannot be asked). */
async function listModels(deps: RemedyDeps, endpointId: string): Promise<string[]> {
  const endpoint = currentConfig(deps)?.endpoints.find((e) => e.id === endpointId);
  if (!endpoint) return [];
  try {
    const key = (await deps.secrets.apiKey(endpointId)) ?? (endpoint.apiKeyEnv ? process.env[endpoint.apiKeyEnv] : undefined);
    const models = await withDiscovery(`SMCS: listing the models of ${endpointId}`, endpoint.baseUrl, key);
    return (models ?? []).map((m) => m.id);
  } catch (err) {
    deps.log.warn(`embedding: could not list the models of ${endpointId}: ${errorMessage(err)}`);
    return [];
  }
}

const OTHER_MODEL = 'Enter a model id…';

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
  const models = await listModels(deps, endpointId);
  const pickedModel = await vscode.window.showQuickPick([...models, OTHER_MODEL], { title: `SMCS: the embedding model of ${endpointId}`, ignoreFocusOut: true });
  if (pickedModel === undefined) return false;
  const model =
    pickedModel === OTHER_MODEL
      ? (await vscode.window.showInputBox({ title: `SMCS: the embedding model of ${endpointId}`, prompt: 'The model id as the endpoint serves it', ignoreFocusOut: true }))?.trim()
      : pickedModel;
  if (!model) return false;
  return apply(
    deps,
    { 'embedding.provider': 'endpoint', 'embedding.endpoint': endpointId, 'embedding.model': model },
    (c) => c.embedding.provider === 'endpoint' && c.embedding.endpoint === endpointId && c.embedding.model === model,
    `embedding through ${endpointId} (${model})`,
  );
}
