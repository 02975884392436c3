/** The endpoints' contribution: adding a vLLM server or OpenRouter, and setting a server's API key. */
import { registerCommands, type Contribution } from '../hostServices';
import { addOpenRouter, ServerSetup } from './endpointCommands';

export const endpointsContribution: Contribution = ({ secrets, log, context }) => {
  const servers = new ServerSetup(secrets, log);
  return registerCommands({
    'smcs.setApiKey': () => servers.setApiKey(),
    'smcs.addVllmServer': () => servers.addVllmServer(),
    'smcs.addOpenRouter': () => addOpenRouter(log, secrets, context.extensionMode),
  });
};
