/**
 * SMCS: Add Team Server — the URL of an `smcs serve --team` and the key whoever runs it gave you: the server is asked
 * what it is (endpoints/teamServerProbe), the key goes to SecretStorage and the endpoint, marked `teamServer`, to the
 * settings. From then on every question runs once on that server (engine/serverEngine); an unreachable URL or a refused
 * key offers Retry with what was typed.
 */
import * as vscode from 'vscode';
import { writeSetting } from '../settings';
import type { Log } from '../log';
import type { VscodeSecrets } from './secrets';
import { askEndpointId, endpointsInfo } from './endpointCommands';
import { normaliseBaseUrl, urlProblem } from './modelDiscovery';
import { probeTeamServer } from './teamServerProbe';

export async function addTeamServer(log: Log, secrets: VscodeSecrets): Promise<void> {
  let url = '';
  let key = '';
  for (;;) {
    const typedUrl = await vscode.window.showInputBox({
      title: 'SMCS: Add Team Server (1/3)',
      prompt: 'URL of the team SMCS server (smcs serve --team), e.g. https://smcs.example.com/v1',
      value: url,
      ignoreFocusOut: true,
      validateInput: urlProblem,
    });
    if (typedUrl === undefined) return;
    url = typedUrl;
    const typedKey = await vscode.window.showInputBox({
      title: 'SMCS: Add Team Server (2/3)',
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

async function save(baseUrl: string, key: string, team: boolean, log: Log, secrets: VscodeSecrets): Promise<void> {
  const id = await askEndpointId(baseUrl, 'Add Team Server (3/3)', 'team');
  if (id === undefined) return;
  const { list, target } = endpointsInfo();
  // Another team server stops being one: one server is the engine.
  const others = list.filter((e) => e.id !== id).map((e) => (e.teamServer === true ? { ...e, teamServer: false } : e));
  // The key first: the settings change rebuilds the engine, which then finds it.
  await secrets.setApiKey(id, key);
  await writeSetting('endpoints', [...others, { id, provider: 'openai', baseUrl, teamServer: true }], target);
  log.info(`added team server ${id} (${team ? 'smcs serve --team' : 'smcs serve without --team'}); key stored in SecretStorage`);
  const which = team ? 'team server' : 'SMCS server (not a team server: no budgets or team bank)';
  void vscode.window.showInformationMessage(`SMCS: added the ${which} ${id}. Every question now runs there, once, with your key; your choices teach its bank.`);
}
