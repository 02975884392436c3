/**
 * The engine side of the extension, bundled separately (dist/runtime.js) and loaded on first use,
 * so that activating the extension only loads the small host bundle.
 */
export { bankDir, createEngine } from './engine';
export { bankStats, exportBankJsonl, importBankJsonl, QuestionBank } from './bank';
export { createEmbedder } from './embed/factory';
export { createGateway } from './llm/gateway';
export { estimateProfile, profileModels } from './bank/profiler';
export { recordFeedback } from './bank/feedback';
