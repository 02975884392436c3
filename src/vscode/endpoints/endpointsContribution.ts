/** The endpoints' contribution: adding a vLLM server, OpenRouter or a team server, setting a server's API key, testing the connections. */
import { registerCommands, type Contribution } from '../hostServices';
import { openSettings } from '../settings';
import { testEndpointConnections } from './connectionTest';
import { addOpenRouter, ServerSetup } from './endpointCommands';
import { addTeamServer } from './addTeamServer';

export const endpointsContribution: Contribution = ({ secrets, log, context }) => {
  const servers = new ServerSetup(secrets, log);
  return registerCommands({
    'smcs.setApiKey': () => servers.setApiKey(),
    'smcs.addVllmServer': () => servers.addVllmServer(),
    'smcs.addOpenRouter': () => addOpenRouter(log, secrets, context.extensionMode),
    'smcs.addTeamServer': () => addTeamServer(log, secrets),
    'smcs.testEndpoints': () => testEndpointConnections(secrets, log),
    'smcs.openEndpointSettings': () => openSettings('smcs.endpoints'),
  });
};
