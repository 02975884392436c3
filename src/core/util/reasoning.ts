/**
 * The one place a finished reply loses its reasoning before anything reads its answer (graders, the learning loop's
 * final answers, model-written tests, the code the checks run). Streams are split as they arrive by
 * src/llm/thinkSplitter.ts; this reads text that is already whole.
 */

/**
 * The answer part of a reply: `<think>…</think>` blocks removed, everything up to a lone `</think>` (a chat template
 * pre-filled the `<think>`) removed, and a `<think>` never closed (a reply cut while reasoning) removed to the end.
 */
export function stripReasoning(reply: string): string {
  const blocksRemoved = reply.replace(/<think>[\s\S]*?<\/think>/gi, ' ');
  const lone = blocksRemoved.toLowerCase().lastIndexOf('</think>');
  const afterLone = lone < 0 ? blocksRemoved : blocksRemoved.slice(lone + '</think>'.length);
  return afterLone.replace(/<think>[\s\S]*$/i, ' ');
}
