/**
 * Endpoint setup commands: Add vLLM Server (URL → discover models, asking for a key when the server wants one →
 * smcs.endpoints), Add OpenRouter (key → SecretStorage, Quick Pick of models with price and context length) and Set
 * API Key (also for a server being added). Keys go to SecretStorage only.
 */
import * as vscode from 'vscode';
import { inspectSetting, rawSetting, writeSetting } from '../settings';
import type { DiscoveredModel } from '../../llm/discovery';
import { describeModel, normaliseBaseUrl, portSelection, urlProblem } from './modelDiscovery';
import { findClashes, settleClashes, type Clash, type ClashChoice, type ModelSetting } from './modelKeyClash';
import { loadRuntime } from '../loadRuntime';
import type { Log } from '../log';
import type { VscodeSecrets } from './secrets';
import { errorKind, errorMessage, type ErrorKind } from '../../core/contracts/errors';
import { formatQuantity } from '../../presentation/format';

const OPENROUTER_BASE_URL = 'https://openrouter.ai/api/v1';

/** Test hook (ExtensionMode.Test/Development only): where "Add OpenRouter" discovers models, e.g. a loopback server. */
export const OPENROUTER_URL_ENV = 'SMCS_OPENROUTER_BASE_URL';

type EndpointSetting = Record<string, unknown>;

/** The endpoints list as the settings hold it, and the scope it is defined in (the workspace's, else the user's). */
export function endpointsInfo(): { list: EndpointSetting[]; target: vscode.ConfigurationTarget } {
  const info = inspectSetting<unknown>('endpoints');
  if (Array.isArray(info?.workspaceValue)) return { list: info.workspaceValue as EndpointSetting[], target: vscode.ConfigurationTarget.Workspace };
  const list = Array.isArray(info?.globalValue) ? (info.globalValue as EndpointSetting[]) : [];
  return { list, target: vscode.ConfigurationTarget.Global };
}

/** Ids of the endpoints in the settings (read leniently, so it works while other settings are invalid). */
export function configuredEndpointIds(): string[] {
  const all = rawSetting('endpoints');
  if (!Array.isArray(all)) return [];
  return all.map((e: unknown) => (typeof e === 'object' && e !== null && typeof (e as EndpointSetting).id === 'string' ? String((e as EndpointSetting).id) : '')).filter((id) => id !== '');
}

/**
 * Adds or replaces (same id) an endpoint in the scope where `smcs.endpoints` is defined. When another endpoint serves
 * a model under the same key, asks how to settle it first (alias, keep it on this server only, skip it); false when
 * the user closed that question or skipping left nothing to add. Returns the models saved (fewer than offered when
 * the clashing ones were skipped), or undefined when nothing was saved.
 */
async function saveEndpoint(endpoint: EndpointSetting & { id: string; models: string[] }, log: Log, storeKey: () => Promise<void>): Promise<ModelSetting[] | undefined> {
  const { list, target } = endpointsInfo();
  let models: ModelSetting[] = endpoint.models;
  let others = list;
  const clashes = findClashes(endpoint.models, list, endpoint.id);
  if (clashes.length > 0) {
    const choice = await askClash(clashes, endpoint.id);
    if (choice === undefined) return undefined;
    const settled = settleClashes(endpoint.models, clashes, choice, endpoint.id, list);
    if (settled === null) {
      void vscode.window.showInformationMessage(`SMCS: ${endpoint.id} was not added: every model it serves is already served by another endpoint.`);
      return undefined;
    }
    models = settled.models;
    others = settled.endpoints;
    log.info(`endpoint ${endpoint.id}: ${clashes.length} model key(s) also served by another endpoint, settled by "${choice}"`);
  }
  const next = [...others.filter((e) => e.id !== endpoint.id), { ...endpoint, models }];
  // The key first: the settings change rebuilds the engine, which then finds it.
  await storeKey();
  await writeSetting('endpoints', next, target);
  return models;
}

/** Asks how to settle model keys the new endpoint shares with others (a modal; undefined when closed). */
async function askClash(clashes: readonly Clash[], id: string): Promise<ClashChoice | undefined> {
  const names = clashes.map((c) => `${c.key} (${c.endpoint})`);
  const listed = names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
  const alias = `Alias Them (…@${id})`;
  const move = `Use Only ${id} for Them`;
  const skip = 'Skip Them';
  const choice = await vscode.window.showWarningMessage(
    `SMCS: ${clashes.length === 1 ? 'a model' : `${formatQuantity(clashes.length, 'model')}`} of ${id} ${clashes.length === 1 ? 'is' : 'are'} already served by another endpoint: ${listed}.`,
    { modal: true, detail: 'A model name must name one model (the bank keeps its labels under it). Alias them to keep both, serve them from this server only, or leave them out of it.' },
    alias,
    move,
    skip,
  );
  return choice === alias ? 'alias' : choice === move ? 'move' : choice === skip ? 'skip' : undefined;
}

/** The id offered for a server at `baseUrl`: `<kind>-<host>-<port>`, numbered when taken. */
function suggestId(baseUrl: string, taken: readonly string[], kind = 'vllm'): string {
  const url = new URL(baseUrl);
  const base = `${kind}-${url.hostname.replace(/[^a-z0-9]+/gi, '-')}${url.port ? `-${url.port}` : ''}`.toLowerCase();
  let id = base;
  for (let i = 2; taken.includes(id); i++) id = `${base}-${i}`;
  return id;
}

/** Asks the id of the endpoint being added at `baseUrl` (one is offered); undefined when the box was closed. */
export async function askEndpointId(baseUrl: string, title: string, kind?: string): Promise<string | undefined> {
  const input = await vscode.window.showInputBox({
    title: `SMCS: ${title}`,
    prompt: 'A short name for this server (used in the settings and the log)',
    value: suggestId(baseUrl, configuredEndpointIds(), kind),
    ignoreFocusOut: true,
    validateInput: (v) => (/^[\w.-]{1,64}$/.test(v.trim()) ? undefined : 'Use letters, digits, ".", "_" or "-" (at most 64)'),
  });
  return input?.trim();
}

/**
 * How long a listing runs before its progress notification shows: a local server answers in milliseconds, and a
 * notification that flashes up and away says nothing — and counts towards the workbench's limit of three toasts in
 * 800 ms, past which it drops the next one (the "added … with N models" that follows).
 */
export const DISCOVERY_PROGRESS_DELAY_MS = 500;

/**
 * Lists a server's models (`GET {baseUrl}/models`); one that takes longer than DISCOVERY_PROGRESS_DELAY_MS shows a
 * cancellable notification titled `title`. Cancelling rejects.
 */
export async function withDiscovery(title: string, baseUrl: string, apiKey: string | undefined): Promise<DiscoveredModel[] | undefined> {
  const abort = new AbortController();
  const listing = loadRuntime().discoverModels(baseUrl, apiKey, abort.signal);
  let timer: NodeJS.Timeout | undefined;
  const slow = await Promise.race([
    listing.then(() => false, () => false),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), DISCOVERY_PROGRESS_DELAY_MS);
    }),
  ]);
  clearTimeout(timer);
  if (!slow) return listing;
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (_progress, token) => {
    const sub = token.onCancellationRequested(() => abort.abort());
    try {
      return await listing;
    } finally {
      sub.dispose();
    }
  });
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

/** The URL Add vLLM Server offers before the user typed one. */
const DEFAULT_SERVER_URL = 'http://127.0.0.1:8000/v1';

/** A server being added that refused to list its models without an API key: Set API Key offers it until a key works. */
interface PendingServer {
  /** The id it is offered under (the one Add vLLM Server suggests). */
  id: string;
  baseUrl: string;
}

/** How listing a server's models ended: the models (and the key that listed them), or why not. */
type Discovery =
  | { outcome: 'listed'; models: DiscoveredModel[]; key: string | undefined }
  | { outcome: 'needs-key' }
  | { outcome: 'cancelled' }
  | { outcome: 'failed'; message: string; kind: ErrorKind };

/**
 * Add vLLM Server and Set API Key, which share what a session knows about servers being added: the URL typed last
 * (offered again, so a wrong port is fixed rather than retyped) and the servers that wait for a key.
 */
export class ServerSetup {
  private lastUrl: string | undefined;
  private readonly pending = new Map<string, PendingServer>();

  constructor(
    private readonly secrets: VscodeSecrets,
    private readonly log: Log,
  ) {}

  /**
   * SMCS: Add vLLM Server: the URL, its models (asking for the key while the server answers 401/403), the models to
   * use and an id; then the key goes to SecretStorage and the endpoint to the settings. A server that cannot be
   * reached offers Retry, with the typed URL (its port selected) in the box again.
   */
  async addVllmServer(): Promise<void> {
    let value = this.lastUrl ?? DEFAULT_SERVER_URL;
    let selection: [number, number] | undefined;
    for (;;) {
      const input = await askServerUrl(value, selection);
      if (input === undefined) return;
      this.lastUrl = input;
      const baseUrl = normaliseBaseUrl(input);
      const listed = await this.discover(baseUrl, undefined);
      if (listed.outcome === 'listed') return this.finishAdding(baseUrl, listed.models, listed.key);
      if (listed.outcome === 'needs-key') return this.tellKeyNeeded(baseUrl);
      if (listed.outcome === 'cancelled') return;
      this.log.warn(`add vLLM server: ${listed.message}`);
      const hint = listed.kind === 'connection' ? ' Is the server running, at that host and port?' : '';
      const retry = await vscode.window.showErrorMessage(`SMCS: could not list the models of ${baseUrl}: ${listed.message.replace(/\.$/, '')}.${hint}`, 'Retry');
      if (retry !== 'Retry') return;
      value = input;
      selection = listed.kind === 'connection' ? portSelection(input) : undefined;
    }
  }

  /**
   * Lists the models at `baseUrl` with `key`; while the server refuses (401/403) it asks for a key, remembering the
   * server as waiting for one until a key works. `needs-key` when the user closed the key box.
   */
  private async discover(baseUrl: string, key: string | undefined): Promise<Discovery> {
    let tried = key;
    for (;;) {
      try {
        const models = await withDiscovery(`SMCS: discovering models at ${baseUrl}`, baseUrl, tried);
        this.pending.delete(baseUrl);
        return { outcome: 'listed', models: models ?? [], key: tried };
      } catch (err) {
        const kind = errorKind(err);
        if (kind === 'cancelled') return { outcome: 'cancelled' };
        if (kind !== 'auth') return { outcome: 'failed', message: errorMessage(err), kind };
        this.pending.set(baseUrl, { baseUrl, id: this.pending.get(baseUrl)?.id ?? suggestId(baseUrl, configuredEndpointIds()) });
        this.log.info(`add vLLM server: ${baseUrl} ${tried === undefined ? 'needs an API key' : 'rejected the key'} (${errorMessage(err)})`);
        const next = await askServerKey(baseUrl, httpStatus(err), tried !== undefined);
        if (next === undefined) return { outcome: 'needs-key' };
        tried = next;
      }
    }
  }

  /** Says where to give the key later, when the user closed the key box of a server that needs one. */
  private async tellKeyNeeded(baseUrl: string): Promise<void> {
    const choice = await vscode.window.showWarningMessage(
      `SMCS: ${baseUrl} needs an API key to list its models. Give it with SMCS: Set API Key and the server is added.`,
      'Set API Key',
    );
    if (choice === 'Set API Key') await this.setApiKey();
  }

  /** The models to use and the endpoint's id; then the key (if any) goes to SecretStorage and the endpoint to the settings. */
  private async finishAdding(baseUrl: string, models: DiscoveredModel[], key: string | undefined): Promise<void> {
    if (models.length === 0) {
      void vscode.window.showWarningMessage(`SMCS: ${baseUrl} serves no models.`);
      return;
    }
    const chosen = models.length === 1 ? models : await pickModels(models, `Models served at ${baseUrl}`, true);
    if (!chosen || chosen.length === 0) return;
    const id = await askEndpointId(baseUrl, 'endpoint id');
    if (id === undefined) return;
    const stored = await saveEndpoint({ id, provider: 'vllm', baseUrl, models: chosen.map((m) => m.id) }, this.log, async () => {
      if (key !== undefined) await this.secrets.setApiKey(id, key);
    });
    if (!stored) return;
    this.log.info(`added endpoint ${id} with ${stored.length} model(s)${key !== undefined ? '; key stored in SecretStorage' : ''}`);
    const keyNote = key !== undefined ? '; its API key is in VS Code\'s secret storage' : '';
    void vscode.window.showInformationMessage(`SMCS: added ${id} with ${formatQuantity(stored.length, 'model')}${keyNote}.`);
  }

  /**
   * SMCS: Set API Key — stores (or removes) the key of a configured endpoint in SecretStorage, or gives the key of a
   * server being added (one that answered 401/403 to Add vLLM Server), which then lists its models and is added.
   */
  async setApiKey(): Promise<void> {
    const ids = configuredEndpointIds();
    const pending = [...this.pending.values()].filter((p) => !ids.includes(p.id));
    if (ids.length === 0 && pending.length === 0) {
      const choice = await vscode.window.showInformationMessage('SMCS: no endpoint is configured yet.', 'Add vLLM Server', 'Add OpenRouter');
      if (choice === 'Add vLLM Server') await vscode.commands.executeCommand('smcs.addVllmServer');
      if (choice === 'Add OpenRouter') await vscode.commands.executeCommand('smcs.addOpenRouter');
      return;
    }
    const items: KeyItem[] = [
      ...pending.map((p) => ({ label: p.id, description: 'being added: needs a key', detail: p.baseUrl, pending: p })),
      ...(await Promise.all(ids.map(async (id) => ({ label: id, description: (await this.secrets.apiKey(id)) ? 'key stored' : 'no key stored' })))),
    ];
    const picked = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { title: 'SMCS: Set API Key', placeHolder: 'Endpoint' });
    if (!picked) return;
    if (picked.pending) return this.keyForPending(picked.pending);
    const key = await vscode.window.showInputBox({
      title: `SMCS: API key for ${picked.label}`,
      prompt: 'Stored in VS Code SecretStorage. Leave empty to remove the stored key.',
      password: true,
      ignoreFocusOut: true,
    });
    if (key === undefined) return;
    if (key.trim() === '') {
      await this.secrets.deleteApiKey(picked.label);
      this.log.info(`API key of ${picked.label} removed`);
      void vscode.window.showInformationMessage(`SMCS: removed the API key of ${picked.label}.`);
    } else {
      await this.secrets.setApiKey(picked.label, key);
      this.log.info(`API key of ${picked.label} stored`);
      void vscode.window.showInformationMessage(`SMCS: stored the API key of ${picked.label}.`);
    }
  }

  /** The key of a server being added: its models are listed with it, and adding goes on from there. */
  private async keyForPending(server: PendingServer): Promise<void> {
    const key = await askServerKey(server.baseUrl, undefined, false);
    if (key === undefined) return;
    const listed = await this.discover(server.baseUrl, key);
    if (listed.outcome === 'listed') return this.finishAdding(server.baseUrl, listed.models, listed.key);
    if (listed.outcome === 'failed') {
      this.log.warn(`set API key: ${listed.message}`);
      void vscode.window.showErrorMessage(`SMCS: could not list the models of ${server.baseUrl}: ${listed.message}`);
    }
  }
}

interface KeyItem extends vscode.QuickPickItem {
  /** Set for a server being added. */
  pending?: PendingServer;
}

/** Asks for the server URL, offering `value` (the URL typed last, or the default) with `selection` selected. */
function askServerUrl(value: string, selection: [number, number] | undefined): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: 'SMCS: Add vLLM Server',
    prompt: 'URL of an OpenAI-compatible server (vLLM, llama.cpp, Ollama, LM Studio…)',
    value,
    ...(selection ? { valueSelection: selection } : {}),
    ignoreFocusOut: true,
    validateInput: urlProblem,
  });
}

/** The HTTP status a failed discovery carries, when the server answered. */
function httpStatus(err: unknown): number | undefined {
  const status: unknown = typeof err === 'object' && err !== null ? Reflect.get(err, 'status') : undefined;
  return typeof status === 'number' ? status : undefined;
}

/** Asks for the API key of a server that refused to list its models (`status`), or rejected the key given (`rejected`). */
async function askServerKey(baseUrl: string, status: number | undefined, rejected: boolean): Promise<string | undefined> {
  const answered = status !== undefined ? ` (HTTP ${status})` : '';
  const key = await vscode.window.showInputBox({
    title: `SMCS: API key for ${baseUrl}`,
    prompt: rejected
      ? `The server rejected this key${answered}. Enter the key it was started with (vLLM: --api-key or VLLM_API_KEY).`
      : `The server needs an API key${answered}: the key it was started with (vLLM: --api-key or VLLM_API_KEY). Stored in VS Code's secret storage, never in settings.`,
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() === '' ? 'Enter the key, or press Escape to give it later with SMCS: Set API Key' : undefined),
  });
  return key === undefined ? undefined : key.trim();
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
  const stored = await saveEndpoint({ id, provider: 'openrouter', baseUrl, models: chosen.map((m) => m.id) }, log, () => secrets.setApiKey(id, key));
  if (!stored) return;
  log.info(`added endpoint ${id} with ${stored.length} model(s); key stored in SecretStorage`);
  void vscode.window.showInformationMessage(`SMCS: added OpenRouter with ${formatQuantity(stored.length, 'model')}.`);
}
