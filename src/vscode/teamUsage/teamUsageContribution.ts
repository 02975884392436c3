/**
 * SMCS: Show My Team Usage: the spend of the signed-in key on each endpoint marked `teamServer` (a team SMCS server),
 * with its spend by stage in the log, and — when the server refuses — the endpoint named and the command that fixes it.
 */
import * as vscode from 'vscode';
import { registerCommands, type Contribution } from '../hostServices';
import type { VscodeSecrets } from '../endpoints/secrets';
import type { Log } from '../log';
import type { SettingsWatcher } from '../settings';
import { stageSpendText, teamUsageLine, type TeamUsage } from '../../presentation/teamUsage';
import { endpointKey, fetchTeamUsage, teamEndpoints, TeamUsageError } from './teamUsageClient';

/** A refusal in a toast's length (the whole message goes to the log), and the command that fixes its cause. */
const REFUSALS: Record<TeamUsageError['reason'], { toast: (endpoint: string) => string; label: string; command: string }> = {
  key: { toast: (e) => `SMCS: the team server of endpoint ${e} refused your key (missing, wrong or revoked).`, label: 'Set API Key', command: 'smcs.setApiKey' },
  'not-team': { toast: (e) => `SMCS: endpoint ${e} is not a team SMCS server (smcs serve --team).`, label: 'Open Endpoint Settings', command: 'smcs.openEndpointSettings' },
  unreachable: { toast: (e) => `SMCS: the team server of endpoint ${e} could not be reached.`, label: 'Show Log', command: 'smcs.showLog' },
  server: { toast: (e) => `SMCS: the team server of endpoint ${e} answered with an error.`, label: 'Show Log', command: 'smcs.showLog' },
};

/** Shows each team endpoint's usage; resolves to the reports read (for scripts and tests). */
async function showTeamUsage(settings: SettingsWatcher, secrets: VscodeSecrets, log: Log): Promise<TeamUsage[]> {
  const endpoints = teamEndpoints(settings.current.config?.endpoints ?? []);
  if (endpoints.length === 0) {
    const open = await vscode.window.showInformationMessage('SMCS: no endpoint is marked "teamServer": true; mark the one that points at smcs serve --team.', 'Open Endpoint Settings');
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
        const refusal = REFUSALS[err.reason];
        void vscode.window.showErrorMessage(refusal.toast(endpoint.id), refusal.label).then((picked) => picked && vscode.commands.executeCommand(refusal.command));
        return undefined;
      }
    }),
  );
  const usages = read.filter((u): u is TeamUsage => u !== undefined);
  for (const usage of usages) {
    const stages = stageSpendText(usage.byStage);
    log.info(`team usage: ${teamUsageLine(usage)}${stages ? `; by stage: ${stages}` : ''}`);
    // The line fits a toast; the spend by stage is one click away, in the log.
    void vscode.window.showInformationMessage(`SMCS: ${teamUsageLine(usage)}`, 'Show by Stage').then((picked) => picked && log.show());
  }
  return usages;
}

export const teamUsageContribution: Contribution = ({ settings, secrets, log }) =>
  registerCommands({
    'smcs.showTeamUsage': () => showTeamUsage(settings, secrets, log),
  });
