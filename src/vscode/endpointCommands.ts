/**
 * Endpoint setup commands: Add vLLM Server (URL → discover models → smcs.endpoints), Add OpenRouter
 * (key → SecretStorage, Quick Pick of models with price and context length) and Set API Key.
 * Keys go to SecretStorage only.
 */
import * as vscode from 'vscode';
import type { DiscoveredModel } from '../llm/discovery';
import { describeModel, normaliseBaseUrl } from './modelDiscovery';
import { loadRuntime } from './runtime';
import type { Log } from './log';
import type { VscodeSecrets } from './secrets';
import { errorMessage } from '../core/errors';

const OPENROUTER_BASE_URL = 'https://openrouter.ai/api/v1';

/** Test hook (ExtensionMode.Test/Development only): where "Add OpenRouter" discovers models, e.g. a loopback server. */
export const OPENROUTER_URL_ENV = 'SMCS_OPENROUTER_BASE_URL';

type EndpointSetting = Record<string, unknown>;

function endpointsInfo(): { list: EndpointSetting[]; target: vscode.ConfigurationTarget } {
  const info = vscode.workspace.getConfiguration('smcs').inspect<unknown>('endpoints');
  if (Array.isArray(info?.workspaceValue)) return { list: info.workspaceValue as EndpointSetting[], target: vscode.ConfigurationTarget.Workspace };
  const list = Array.isArray(info?.globalValue) ? (info.globalValue as EndpointSetting[]) : [];
  return { list, target: vscode.ConfigurationTarget.Global };
}

/** Ids of the endpoints in the settings (read leniently, so it works while other settings are invalid). */
export function configuredEndpointIds(): string[] {
  const all = vscode.workspace.getConfiguration('smcs').get<unknown>('endpoints');
  if (!Array.isArray(all)) return [];
  return all.map((e: unknown) => (typeof e === 'object' && e !== null && typeof (e as EndpointSetting).id === 'string' ? String((e as EndpointSetting).id) : '')).filter((id) => id !== '');
}

/** Adds or replaces (same id) an endpoint in the scope where `smcs.endpoints` is defined. */
async function saveEndpoint(endpoint: EndpointSetting): Promise<void> {
  const { list, target } = endpointsInfo();
  const next = [...list.filter((e) => e.id !== endpoint.id), endpoint];
  await vscode.workspace.getConfiguration('smcs').update('endpoints', next, target);
}

function suggestId(baseUrl: string, taken: readonly string[]): string {
  const url = new URL(baseUrl);
  const base = `vllm-${url.hostname.replace(/[^a-z0-9]+/gi, '-')}${url.port ? `-${url.port}` : ''}`.toLowerCase();
  let id = base;
  for (let i = 2; taken.includes(id); i++) id = `${base}-${i}`;
  return id;
}

/** Lists a server's models (`GET {baseUrl}/models`) behind a cancellable notification titled `title`; cancelling rejects. */
export async function withDiscovery(title: string, baseUrl: string, apiKey: string | undefined): Promise<DiscoveredModel[] | undefined> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (_progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        return await loadRuntime().discoverModels(baseUrl, apiKey, abort.signal);
      } finally {
        sub.dispose();
      }
    },
  );
}

interface ModelItem extends vscode.QuickPickItem {
  model: DiscoveredModel;
}

async function pickModels(models: DiscoveredModel[], title: string, preselectAll: boolean): Promise<DiscoveredModel[] | undefined> {
  const items: ModelItem[] = models.map((m) => ({ label: m.id, detail: describeModel(m) || undefined, picked: preselectAll, model: m }));
  const picked = await vscode.window.showQuickPick(items, {
    title,
    canPickMany: true,
    matchOnDetail: true,
    placeHolder: 'Choose the models SMCS may use as referencers and aggregator',
    ignoreFocusOut: true,
  });
  return picked?.map((p) => p.model);
}

/** SMCS: Add vLLM Server. */
export async function addVllmServer(log: Log): Promise<void> {
  const input = await vscode.window.showInputBox({
    title: 'SMCS: Add vLLM Server',
    prompt: 'URL of an OpenAI-compatible server (vLLM, llama.cpp, Ollama, LM Studio…)',
    value: 'http://127.0.0.1:8000/v1',
    ignoreFocusOut: true,
    validateInput: (v) => {
      try {
        normaliseBaseUrl(v);
        return undefined;
      } catch (err) {
        return `Not a valid URL: ${errorMessage(err)}`;
      }
    },
  });
  if (input === undefined) return;
  const baseUrl = normaliseBaseUrl(input);
  let models: DiscoveredModel[] | undefined;
  try {
    models = await withDiscovery(`SMCS: discovering models at ${baseUrl}`, baseUrl, undefined);
  } catch (err) {
    const message = errorMessage(err);
    log.warn(`add vLLM server: ${message}`);
    void vscode.window.showErrorMessage(`SMCS: could not list the models of ${baseUrl}: ${message}`);
    return;
  }
  if (!models || models.length === 0) {
    void vscode.window.showWarningMessage(`SMCS: ${baseUrl} serves no models.`);
    return;
  }
  const chosen = models.length === 1 ? models : await pickModels(models, `Models served at ${baseUrl}`, true);
  if (!chosen || chosen.length === 0) return;
  const taken = configuredEndpointIds();
  const id = await vscode.window.showInputBox({
    title: 'SMCS: endpoint id',
    prompt: 'A short name for this server (used in the settings and the log)',
    value: suggestId(baseUrl, taken),
    ignoreFocusOut: true,
    validateInput: (v) => (/^[\w.-]{1,64}$/.test(v.trim()) ? undefined : 'Use letters, digits, ".", "_" or "-" (at most 64)'),
  });
  if (id === undefined) return;
  await saveEndpoint({ id: id.trim(), provider: 'vllm', baseUrl, models: chosen.map((m) => m.id) });
  log.info(`added endpoint ${id.trim()} with ${chosen.length} model(s)`);
  void vscode.window.showInformationMessage(`SMCS: added ${id.trim()} with ${chosen.length} model${chosen.length === 1 ? '' : 's'}.`);
}

/** SMCS: Add OpenRouter. */
export async function addOpenRouter(log: Log, secrets: VscodeSecrets, mode: vscode.ExtensionMode): Promise<void> {
  const key = await vscode.window.showInputBox({
    title: 'SMCS: Add OpenRouter',
    prompt: 'Your OpenRouter API key (stored in VS Code SecretStorage, never in settings)',
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim().length >= 8 ? undefined : 'Paste the key from openrouter.ai/keys'),
  });
  if (key === undefined) return;
  const override = mode !== vscode.ExtensionMode.Production ? process.env[OPENROUTER_URL_ENV] : undefined;
  const baseUrl = override && override.trim() !== '' ? override.trim().replace(/\/+$/, '') : OPENROUTER_BASE_URL;
  let models: DiscoveredModel[] | undefined;
  try {
    models = await withDiscovery('SMCS: loading the OpenRouter model list', baseUrl, key.trim());
  } catch (err) {
    const message = errorMessage(err);
    log.warn(`add OpenRouter: ${message}`);
    void vscode.window.showErrorMessage(`SMCS: could not load the OpenRouter model list: ${message}`);
    return;
  }
  if (!models || models.length === 0) return;
  const chosen = await pickModels(models, 'OpenRouter models (price per million tokens, context length)', false);
  if (!chosen || chosen.length === 0) return;
  const id = 'openrouter';
  await secrets.setApiKey(id, key);
  await saveEndpoint({ id, provider: 'openrouter', baseUrl, models: chosen.map((m) => m.id) });
  log.info(`added endpoint ${id} with ${chosen.length} model(s); key stored in SecretStorage`);
  void vscode.window.showInformationMessage(`SMCS: added OpenRouter with ${chosen.length} model${chosen.length === 1 ? '' : 's'}.`);
}

/** SMCS: Set API Key — stores (or removes) the key of one configured endpoint in SecretStorage. */
export async function setApiKey(secrets: VscodeSecrets, log: Log): Promise<void> {
  const ids = configuredEndpointIds();
  if (ids.length === 0) {
    const choice = await vscode.window.showInformationMessage('SMCS: no endpoint is configured yet.', 'Add vLLM Server', 'Add OpenRouter');
    if (choice === 'Add vLLM Server') await vscode.commands.executeCommand('smcs.addVllmServer');
    if (choice === 'Add OpenRouter') await vscode.commands.executeCommand('smcs.addOpenRouter');
    return;
  }
  const items = await Promise.all(
    ids.map(async (id) => ({ label: id, description: (await secrets.apiKey(id)) ? 'key stored' : 'no key stored' })),
  );
  const picked = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { title: 'SMCS: Set API Key', placeHolder: 'Endpoint' });
  if (!picked) return;
  const key = await vscode.window.showInputBox({
    title: `SMCS: API key for ${picked.label}`,
    prompt: 'Stored in VS Code SecretStorage. Leave empty to remove the stored key.',
    password: true,
    ignoreFocusOut: true,
  });
  if (key === undefined) return;
  if (key.trim() === '') {
    await secrets.deleteApiKey(picked.label);
    log.info(`API key of ${picked.label} removed`);
    void vscode.window.showInformationMessage(`SMCS: removed the API key of ${picked.label}.`);
  } else {
    await secrets.setApiKey(picked.label, key);
    log.info(`API key of ${picked.label} stored`);
    void vscode.window.showInformationMessage(`SMCS: stored the API key of ${picked.label}.`);
  }
}
