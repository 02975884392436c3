/**
 * The engine side of the extension, bundled separately (dist/runtime.js) and loaded on first use,
 * so that activating the extension only loads the small host bundle.
 */
export { bankDir, createEngine, hasBank } from './engine';
export { bankStats, exportBankJsonl, importBankJsonl, importRecords, QuestionBank } from './bank';
export { MANIFEST_FILE, PREVIOUS_MANIFEST_FILE, parseManifest } from './bank/manifest';
export { detectFormat, importFiles } from './bank/importers';
export { createEmbedder } from './embed/factory';
export { createGateway } from './llm/gateway';
export { estimateProfile, profileModels } from './bank/profiler';
export { recordFeedback } from './bank/feedback';
