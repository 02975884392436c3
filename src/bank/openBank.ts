/**
 * The one way to open a bank: `openBank(location)` picks the store from the location (a folder is the local
 * store), so the engine, the CLI, the profiler and the extension never name a store.
 */
import type { Bank, OpenBankOptions } from './bank';
import { readRecordedEmbedder, type EmbedderIdentity } from './manifest';
import { hasBank, QuestionBank } from './questionBank';

/** Opens (or with `create`, creates) the bank at `location`; refuses another embedder than the one that built it. */
export async function openBank(location: string, options: OpenBankOptions): Promise<Bank> {
  return QuestionBank.open(location, options);
}

/** True when `location` holds a bank (also a damaged one, or a file where a folder should be: opening it then says which). */
export function bankExists(location: string): Promise<boolean> {
  return hasBank(location);
}

/** The embedder the bank at `location` records, or why it cannot be read (for commands that open a bank without embedding). */
export function readBankEmbedder(location: string): Promise<{ embedder: EmbedderIdentity } | { problems: string[] }> {
  return readRecordedEmbedder(location);
}

/** The local store's own operations (recovery of set-aside generations) are there only when this is true. */
export function isLocalBank(bank: Bank): bank is QuestionBank {
  return bank.store === 'local';
}
