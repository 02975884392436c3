/** The question bank (DESIGN §3 `bank/`): one interface over its stores, retrieval, labels, import/export, statistics, feedback. */
export type { Bank, BankAccess, BankStoreKind, FailureEntry, FailureMap, FailureUpdate, WriteOrigin } from './bank';
export { bankExists, isLocalBank, migrateBankSchema, openBank, readBankEmbedder } from './openBank';
export {
  hasBank,
  QuestionBank,
  type BankChange,
  type LabelUpdate,
  type ModelCoverage,
  type Neighbour,
  type NewQuestion,
  type OpenBankOptions,
  type RecordOptions,
  type RecoveryReport,
} from './questionBank';
export type { EmbedderIdentity } from './manifest';
export { BankCorruptError, BankError, BankImportError, BankLockedError, BankReadOnlyError, BankSchemaError, BankUnavailableError, EmbedderMismatchError, type LineError } from './errors';
export { validateBankJsonl, JsonlValidator, type ValidatedLine, type ValidateOptions } from './jsonlValidator';
export { exportBankJsonl, importBankJsonl, type ImportOptions, type ImportProgress, type ImportResult } from './importExport';
export { importRecords, type RecordImportOptions } from './importRecords';
export { bankStats, type AccuracyCount, type BankStats, type ModelStats } from './stats';
export { clearFeedback, feedbackId, feedbackQuestionText, listFeedback, recordFeedback, removeFeedback, type FeedbackInput, type FeedbackResult } from './feedback';
export { cosineAll, topIndices } from './retrieval';
export { SHARD_CAPACITY } from './shards';
export { describeLost, recoveryWarning, type LostGeneration, type ReportedLoss, type RestoreReport } from './recovery';
export { formatSkipLines, summarizeSkips, type SkippedRecord, type SkipReason, type SkipSummary } from './skipReasons';
