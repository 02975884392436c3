/** Prompt wording of the pipeline (MoA-style aggregation, our own words). */

const AGGREGATOR_INSTRUCTIONS = [
  'You are given several responses that different AI models wrote for the user question that follows.',
  'Synthesise them into one answer of the highest quality.',
  'Read them critically: any of them may be wrong, incomplete or misleading, and they may disagree.',
  'Keep what is correct, fix what is wrong, fill what is missing, and do not simply copy one response.',
  'When code is involved, give complete, working code with brief explanations.',
  'Answer the user directly, and do not mention that you were shown other responses.',
].join(' ');

/** The aggregator's system prompt: instructions (with the asker's own system message, when there is one) followed by the numbered references. */
export function aggregatorSystemPrompt(references: readonly string[], system?: string): string {
  const numbered = references.map((r, i) => `${i + 1}. ${r}`).join('\n\n');
  const instructions = system ? `${AGGREGATOR_INSTRUCTIONS}\n\nThe user's own instructions, which the answer must follow:\n\n${system}` : AGGREGATOR_INSTRUCTIONS;
  return `${instructions}\n\nResponses from the models:\n\n${numbered}`;
}

/** The user message: the question, then the text of its context (core/context/contextItem.contextText) when there is any. */
export function userMessage(question: string, context?: string): string {
  return context ? `${question}\n\n${context}` : question;
}
