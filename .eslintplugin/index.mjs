/** The project's own ESLint rules (after microsoft/vscode-copilot-chat's .eslintplugin/). */
import layers from './layers.mjs';

export default { meta: { name: 'smcs-local' }, rules: { layers } };
