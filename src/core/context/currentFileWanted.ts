/**
 * Whether a question asked from the command palette is about the file open in the editor (issue 31): the palette shows
 * no chip to remove, so the current file rides along only when the question points at it ("this file", "this
 * function", "here", "this error", `#problems`), names its file, or names an identifier the file uses. A question
 * that is not about that file ("What is the capital of Australia?") sent the whole file before, eight times the answer.
 */
import { mentionsIn, pathMatches, usesIdentifier } from './mentions';

const POINTING = new RegExp(
  [
    String.raw`\b(?:this|these|the current|the open|the opened|my current)\s+(?:file|code|function|method|class|module|script|component|snippet|program|test|tests|line|lines|loop|query|error|errors|crash|bug|exception|warning|warnings|problem|traceback|stack trace|implementation|logic)\b`,
    String.raw`\b(?:here|above|below)\b`,
    String.raw`\b(?:this|it)\s+(?:crash(?:es)?|fails?|throws?|breaks?|returns?)\b`,
    String.raw`\b(?:refactor|optimi[sz]e|explain|document|review|fix|debug|simplify)\s+(?:it|this)\b`,
  ].join('|'),
  'i',
);

export function refersToCurrentFile(question: string, file: { path: string; text: string }, problemsMentioned: boolean): boolean {
  if (problemsMentioned || POINTING.test(question)) return true;
  const { identifiers, files } = mentionsIn(question);
  return files.some((f) => pathMatches(file.path, f)) || identifiers.some((id) => usesIdentifier(file.text, id));
}
