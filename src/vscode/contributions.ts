/**
 * Every feature's contribution, registered at activation (after vscode-copilot-chat's `contributions.ts`): a feature
 * registers its own commands and providers in its folder, and a new one is added here. Handlers load heavy modules
 * only when they run.
 */
import type * as vscode from 'vscode';
import { bankContribution } from './bank/bankContribution';
import { chatContribution } from './chat/chatContribution';
import { embeddingContribution } from './embedding/embeddingContribution';
import { endpointsContribution } from './endpoints/endpointsContribution';
import { languageModelContribution } from './languageModel/languageModelContribution';
import { registerCommands, type Contribution, type HostServices } from './hostServices';
import { panelContribution } from './panel/panelContribution';
import { serverContribution } from './server/serverContribution';
import { teamUsageContribution } from './teamUsage/teamUsageContribution';
import { openSettings } from './settings';

/** The host's own commands: its settings and its log. */
const hostContribution: Contribution = ({ log }) =>
  registerCommands({
    'smcs.openSettings': () => openSettings(),
    'smcs.showLog': () => log.show(),
  });

export const CONTRIBUTIONS: readonly Contribution[] = [hostContribution, panelContribution, endpointsContribution, bankContribution, embeddingContribution, serverContribution, teamUsageContribution, languageModelContribution, chatContribution];

/** Registers every contribution; returns their disposables. */
export function registerContributions(services: HostServices): vscode.Disposable[] {
  return CONTRIBUTIONS.flatMap((contribute) => contribute(services));
}
