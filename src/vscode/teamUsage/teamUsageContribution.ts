/**
 * SMCS: Show My Team Usage: the spend of the signed-in key on each endpoint marked `teamServer` (a team SMCS server),
 * with its spend by stage, and — when the server refuses — the endpoint named and the command that fixes it.
 */
import * as vscode from 'vscode';
import { registerCommands, type Contribution } from '../hostServices';
import type { VscodeSecrets } from '../endpoints/secrets';
import type { Log } from '../log';
import type { SettingsWatcher } from '../settings';
import { stageSpendText, teamUsageLine, type TeamUsage } from '../../presentation/teamUsage';
import { endpointKey, fetchTeamUsage, teamEndpoints, TeamUsageError } from './teamUsageClient';

/** What to offer beside a refusal: the command that fixes its cause. */
const REMEDIES: Record<TeamUsageError['reason'], { label: string; command: string }> = {
  key: { label: 'Set API Key', command: 'smcs.setApiKey' },
  'not-team': { label: 'Open Endpoint Settings', command: 'smcs.openEndpointSettings' },
  unreachable: { label: 'Open Endpoint Settings', command: 'smcs.openEndpointSettings' },
  server: { label: 'Show Log', command: 'smcs.showLog' },
};

/** Shows each team endpoint's usage; resolves to the reports read (for scripts and tests). */
async function showTeamUsage(settings: SettingsWatcher, secrets: VscodeSecrets, log: Log): Promise<TeamUsage[]> {
  const endpoints = teamEndpoints(settings.current.config?.endpoints ?? []);
  if (endpoints.length === 0) {
    const open = await vscode.window.showInformationMessage('SMCS: no endpoint is marked as a team SMCS server: add "teamServer": true to the endpoint that points at smcs serve --team.', 'Open Endpoint Settings');
    if (open) await vscode.commands.executeCommand('smcs.openEndpointSettings');
    return [];
  }
  const read = await Promise.all(
    endpoints.map(async (endpoint) => {
      try {
        return await fetchTeamUsage(endpoint, await endpointKey(secrets, endpoint));
      } catch (err) {
        if (!(err instanceof TeamUsageError)) throw err;
        log.warn(`team usage: ${err.message}`);
        const remedy = REMEDIES[err.reason];
        void vscode.window.showErrorMessage(`SMCS: ${err.message}`, remedy.label).then((picked) => picked && vscode.commands.executeCommand(remedy.command));
        return undefined;
      }
    }),
  );
  const usages = read.filter((u): u is TeamUsage => u !== undefined);
  for (const usage of usages) {
    const stages = stageSpendText(usage.byStage);
    log.info(`team usage: ${teamUsageLine(usage)}${stages ? `; by stage: ${stages}` : ''}`);
    void vscode.window.showInformationMessage(`SMCS: ${teamUsageLine(usage)}${stages ? ` — ${stages}` : ''}`);
  }
  return usages;
}

export const teamUsageContribution: Contribution = ({ settings, secrets, log }) =>
  registerCommands({
    'smcs.showTeamUsage': () => showTeamUsage(settings, secrets, log),
  });
