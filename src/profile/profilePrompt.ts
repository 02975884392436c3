/** The prompt profiling sends for a bank question: the question, and how to state the final answer so the grader finds it. */
import type { BankRecord, ChatMessage, GraderKind } from '../core/contracts/types';

const FINAL_LINE: Record<Exclude<GraderKind, 'none'>, string> = {
  choice: 'End your reply with a final line of the form "Answer: X", where X is the letter of the correct option.',
  number: 'End your reply with a final line of the form "Answer: X", where X is the final number only.',
  exact: 'End your reply with a final line of the form "Answer: X", where X is the short final answer only.',
  code: 'Give your solution as one complete Python program in a single ```python fenced code block.',
};

/** The chat messages that ask a model one bank question (`none` questions are never asked). */
export function profileMessages(record: Pick<BankRecord, 'question' | 'grader'>): ChatMessage[] {
  const grader = record.grader && record.grader !== 'none' ? record.grader : 'exact';
  return [
    { role: 'system', content: `Answer the user's question. Reason briefly if it helps. ${FINAL_LINE[grader]}` },
    { role: 'user', content: record.question },
  ];
}
