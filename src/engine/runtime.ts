/**
 * The engine side of the extension, bundled separately (dist/runtime.js) and loaded on first use,
 * so that activating the extension only loads the small host bundle.
 */
export { hasBank } from '../bank';
export { bankDir, createEngine, embedderFor } from './engine';
export { bankStats, exportBankJsonl, importBankJsonl, importRecords, QuestionBank } from '../bank';
export { readRecordedEmbedder } from '../bank/manifest';
export { detectFormat, importFiles } from '../bank/importers';
export { embedderId } from '../embed/factory';
export { createGateway } from '../llm/gateway';
export { discoverModels } from '../llm/discovery';
export { estimateProfile, profileModels } from '../profile/profiler';
export { recordFeedback, removeFeedback } from '../bank/feedback';
