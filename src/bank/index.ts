/** The question bank: one interface over its stores, retrieval, labels, import/export, statistics, feedback. */
export type { Bank, BankAccess, BankStoreKind, FailureEntry, FailureMap, FailureUpdate, WriteOrigin } from './bank';
export { bankExists, checkBankSchema, isLocalBank, localBankSize, migrateBankSchema, openBank, readBankEmbedder, removeInterruptedImport } from './openBank';
export { hasBank, LocalBank, type ModelCoverage, type Neighbour, type OpenBankOptions, type RecordOptions } from './local/localBank';
export { type BankChange, type LabelUpdate, type NewQuestion } from './bank';
export type { EmbedderIdentity } from './embedderIdentity';
export type { LostGeneration, RecoveryReport, ReportedLoss } from './recoveryReport';
export { BankCorruptError, BankError, BankImportError, BankLockedError, BankReadOnlyError, BankSchemaError, BankUnavailableError, EmbedderMismatchError, type LineError } from './errors';
export { validateBankJsonl, JsonlValidator, type ValidatedLine, type ValidateOptions } from './transfer/jsonlValidator';
export { exportBankJsonl, importBankJsonl, type ImportOptions, type ImportProgress, type ImportResult } from './transfer/importExport';
export { importRecords, type RecordImportOptions } from './transfer/importRecords';
export { copyBank, withCopyBanks, type CopyProgress, type CopyResult } from './transfer/copyBank';
export { bankStats } from './local/localStats';
export type { AccuracyCount, BankStats, ModelStats } from './stats';
export { clearFeedback, feedbackId, feedbackQuestionText, forgetFeedback, listFeedback, recordFeedback, removeFeedback, type FeedbackInput, type FeedbackResult } from './feedback';
export { cosineAll, topIndices } from './local/retrieval';
export { SHARD_CAPACITY } from './local/shards';
export { describeLost, recoveryWarning, type RestoreReport } from './local/recovery';
export { formatSkipLines, summarizeSkips, type SkippedRecord, type SkipReason, type SkipSummary } from './transfer/skipReasons';
