/**
 * The form a question asks its final answer to be written in — `finish with "The answer is (X)" where X is …` — as a
 * pattern a reply written so matches. Of replies holding the same answer, one in that form states it where the asker (a
 * person, or the script that reads the reply) will look for it. Pure.
 */

/** A quoted phrase with a placeholder X in it: the template the question gives for its answer. */
const TEMPLATE = /["“'‘]([^"“”'‘’\n]{0,60}?\(?\bX\b\)?[^"“”'‘’\n]{0,20}?)["”'’]/;

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The question's answer template as a pattern (the placeholder matching a label of up to three letters or digits), or null. */
export function askedAnswerForm(question: string): RegExp | null {
  const phrase = TEMPLATE.exec(question)?.[1]?.trim().replace(/[.!]+$/, '');
  if (phrase === undefined) return null;
  const [before = '', after = ''] = phrase.split(/\(?\bX\b\)?/, 2);
  if (!/[\p{L}\p{N}]/u.test(before + after)) return null;
  const words = (text: string): string => escape(text.trim()).replace(/\s+/g, '\\s+');
  const label = '[\\s*_]*\\(?([A-Za-z0-9]{1,3})\\)?';
  return new RegExp(`${words(before)}${label}${after.trim() ? `\\s*${words(after)}` : ''}`, 'i');
}
