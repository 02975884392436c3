/**
 * The engine side of the extension, bundled separately (dist/runtime.js) and loaded on first use through
 * src/vscode/loadRuntime.ts, so that activating the extension only loads the small host bundle: the engine, the bank's
 * commands, the embedders, the LLM clients, profiling, and the local API server (SMCS: Start Local API Server).
 */
export { bankAccess, bankDir, createEngine, embedderFor, indexesUnasked } from '../engine/engine';
export { bankExists, checkBankSchema, copyBank, withCopyBanks, exportBankJsonl, importBankJsonl, importRecords, isLocalBank, localBankSize, migrateBankSchema, openBank, readBankEmbedder } from '../bank';
export { detectFormat, importFiles } from '../bank/transfer/importers';
export { embedderId } from '../embed/factory';
export { createGateway } from '../llm/gateway';
export { discoverModels } from '../llm/discovery';
export { estimateProfile, profileModels } from '../profile/profiler';
export { forgetFeedback, recordFeedback, removeFeedback } from '../bank/feedback';
export { startServer } from '../server/server';
export { generateServerKey } from '../server/auth';
export { parseChatRequest } from '../server/chatRequest';
export { mayConcernAWorkspace, parseFile } from '../engine/workspaceContext';
export { oneModelParts } from '../server/routedParts';
