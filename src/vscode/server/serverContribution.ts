/** The local API server's contribution: starting it, stopping it, and its URL, key and Stop in one menu. */
import * as vscode from 'vscode';
import { registerCommands, type Contribution } from '../hostServices';

export const serverContribution: Contribution = ({ localServer }) => [
  localServer,
  ...registerCommands({
    'smcs.startLocalApiServer': () => localServer.start(),
    'smcs.stopLocalApiServer': async () => {
      if (!(await localServer.stop())) void vscode.window.showInformationMessage('SMCS: the local API server is not running.');
    },
    'smcs.localApiServerActions': (choice?: unknown) => localServer.actions(choice),
  }),
];
