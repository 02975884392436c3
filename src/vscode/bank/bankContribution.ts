/**
 * The bank's contribution: import, export, statistics, recovery, profiling models, the team bank's password and schema,
 * and the local bank beside a team bank (copy it in, switch back).
 */
import * as vscode from 'vscode';
import { registerCommands, type Contribution } from '../hostServices';
import { exportBank, importBank, importTargetsArg, recoverBank, showBankStats } from './bankCommands';
import { profileModelsCommand } from './profileCommand';
import { migrateTeamBankSchema, setTeamBankPassword } from './teamBankCommands';
import { copyLocalBankIntoTeamBank, switchToLocalBank } from './localBankCommands';

export const bankContribution: Contribution = ({ engine, log, secrets, context, localBank }) =>
  registerCommands({
    'smcs.importBank': (targets?: unknown) => importBank(engine, log, importTargetsArg(targets)),
    'smcs.exportBank': (file?: unknown) => exportBank(engine, log, file instanceof vscode.Uri ? file : undefined),
    'smcs.showBankStats': () => showBankStats(engine, log),
    'smcs.recoverBank': (action?: unknown) => recoverBank(engine, log, action),
    'smcs.profileModels': () => profileModelsCommand(engine, log, context.extensionUri),
    'smcs.setTeamBankPassword': () => setTeamBankPassword(engine, secrets, log),
    'smcs.migrateTeamBankSchema': () => migrateTeamBankSchema(engine, log),
    'smcs.copyLocalBankIntoTeamBank': () => copyLocalBankIntoTeamBank(engine, log, localBank),
    'smcs.switchToLocalBank': () => switchToLocalBank(engine, log, localBank),
  });
