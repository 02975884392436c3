/**
 * SMCS: Add Team Server — the URL of an `smcs serve --team` and the key whoever runs it gave you: the server is asked
 * what it is (endpoints/teamServerProbe), the key goes to SecretStorage and the endpoint, marked `teamServer`, to the
 * settings. From then on every question runs once on that server (engine/serverEngine); an unreachable URL or a refused
 * key offers Retry with what was typed.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../core/contracts/errors';
import { inspectSetting, writeSetting } from '../settings';
import type { Log } from '../log';
import type { VscodeSecrets } from './secrets';
import { configuredEndpointIds } from './endpointCommands';
import { normaliseBaseUrl } from './modelDiscovery';
import { probeTeamServer } from './teamServerProbe';

type EndpointSetting = Record<string, unknown>;

export async function addTeamServer(log: Log, secrets: VscodeSecrets): Promise<void> {
  let url = '';
  let key = '';
  for (;;) {
    const typedUrl = await vscode.window.showInputBox({
      title: 'SMCS: Add Team Server (1/2)',
      prompt: 'URL of the team SMCS server (smcs serve --team), e.g. https://smcs.example.com/v1',
      value: url,
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
    if (typedUrl === undefined) return;
    url = typedUrl;
    const typedKey = await vscode.window.showInputBox({
      title: 'SMCS: Add Team Server (2/2)',
      prompt: 'Your team key (smcs keys add printed it for you). Stored in VS Code SecretStorage, never in settings.',
      value: key,
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() === '' ? 'The team server needs your key' : undefined),
    });
    if (typedKey === undefined) return;
    key = typedKey.trim();
    const baseUrl = normaliseBaseUrl(url);
    const probe = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `SMCS: asking ${baseUrl} what it is` }, () => probeTeamServer(baseUrl, key));
    if (probe.ok) return save(baseUrl, key, probe.about.team, log, secrets);
    log.warn(`add team server: ${probe.message}`);
    const retry = await vscode.window.showErrorMessage(`SMCS: ${probe.message}.`, 'Retry');
    if (retry !== 'Retry') return;
  }
}

/** The id offered for the server: `team-<host>`, numbered when taken. */
function suggestTeamId(baseUrl: string, taken: readonly string[]): string {
  const base = `team-${new URL(baseUrl).hostname.replace(/[^a-z0-9]+/gi, '-')}`.toLowerCase();
  let id = base;
  for (let i = 2; taken.includes(id); i++) id = `${base}-${i}`;
  return id;
}

async function save(baseUrl: string, key: string, team: boolean, log: Log, secrets: VscodeSecrets): Promise<void> {
  const input = await vscode.window.showInputBox({
    title: 'SMCS: team server id',
    prompt: 'A short name for this server (used in the settings and the log)',
    value: suggestTeamId(baseUrl, configuredEndpointIds()),
    ignoreFocusOut: true,
    validateInput: (v) => (/^[\w.-]{1,64}$/.test(v.trim()) ? undefined : 'Use letters, digits, ".", "_" or "-" (at most 64)'),
  });
  if (input === undefined) return;
  const id = input.trim();
  const info = inspectSetting<unknown>('endpoints');
  const inWorkspace = Array.isArray(info?.workspaceValue);
  const list = ((inWorkspace ? info?.workspaceValue : info?.globalValue) ?? []) as EndpointSetting[];
  // Another team server stops being one: one server is the engine.
  const others = list.filter((e) => e.id !== id).map((e) => (e.teamServer === true ? { ...e, teamServer: false } : e));
  // The key first: the settings change rebuilds the engine, which then finds it.
  await secrets.setApiKey(id, key);
  await writeSetting('endpoints', [...others, { id, provider: 'openai', baseUrl, teamServer: true }], inWorkspace ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global);
  log.info(`added team server ${id} (${team ? 'smcs serve --team' : 'smcs serve without --team'}); key stored in SecretStorage`);
  const which = team ? 'team server' : 'SMCS server (not a team server: no budgets or team bank)';
  void vscode.window.showInformationMessage(`SMCS: added the ${which} ${id}. Every question now runs there, once, with your key; your choices teach its bank.`);
}
