/** The bank's contribution: import, export, statistics, recovery, profiling models, and the team bank's password and schema. */
import * as vscode from 'vscode';
import { registerCommands, type Contribution } from '../hostServices';
import { exportBank, importBank, importTargetsArg, recoverBank, showBankStats } from './bankCommands';
import { profileModelsCommand } from './profileCommand';
import { migrateTeamBankSchema, setTeamBankPassword } from './teamBankCommands';

export const bankContribution: Contribution = ({ engine, log, secrets, context }) =>
  registerCommands({
    'smcs.importBank': (targets?: unknown) => importBank(engine, log, importTargetsArg(targets)),
    'smcs.exportBank': (file?: unknown) => exportBank(engine, log, file instanceof vscode.Uri ? file : undefined),
    'smcs.showBankStats': () => showBankStats(engine, log),
    'smcs.recoverBank': (action?: unknown) => recoverBank(engine, log, action),
    'smcs.profileModels': () => profileModelsCommand(engine, log, context.extensionUri),
    'smcs.setTeamBankPassword': () => setTeamBankPassword(engine, secrets, log),
    'smcs.migrateTeamBankSchema': () => migrateTeamBankSchema(engine, log),
  });
