/** What the workbench's bank learned from the user's choices, read from disk as the extension wrote it. */
import { LocalBank, listFeedback } from '../../src/bank';
import { LexicalEmbedder } from '../../src/embed/lexical';
import type { Workbench } from './workbench';

/** The questions in the bank learned from choices (none while there is no bank). */
export async function feedbackQuestions(wb: Workbench): Promise<string[]> {
  return feedbackQuestionsIn((JSON.parse(wb.userSettingsText()) as Record<string, unknown>)['smcs.bank'] as string);
}

/** The questions learned from choices in the lexical-embedder bank at `dir` (none while there is no bank there). */
export async function feedbackQuestionsIn(dir: string): Promise<string[]> {
  const embedder = new LexicalEmbedder();
  const bank = await LocalBank.open(dir, { embedder: { id: embedder.id, dimension: await embedder.dimension() } }).catch(() => undefined);
  if (!bank) return [];
  try {
    return (await listFeedback(bank)).map((r) => r.question);
  } finally {
    await bank.close();
  }
}
